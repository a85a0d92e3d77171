/* publish_pages: the handlers of cgi-bin/publish.c (statuses there). */
#ifndef BIAOGAN_PUBLISH_PAGES_H
#define BIAOGAN_PUBLISH_PAGES_H

#include "core/app.h"

int publish_page_index(struct ctx *c);
int publish_page_approve(struct ctx *c);
int publish_page_publish(struct ctx *c);
int publish_page_lists(struct ctx *c);
int publish_page_list(struct ctx *c);
int publish_page_list_json(struct ctx *c);
int publish_page_list_csv(struct ctx *c);
int publish_page_verify(struct ctx *c);
int publish_page_qr(struct ctx *c);
int publish_page_certificate(struct ctx *c);
int publish_page_announcements_json(struct ctx *c);
int publish_page_feed(struct ctx *c);
int publish_page_national(struct ctx *c);
int publish_page_package(struct ctx *c);

#endif
