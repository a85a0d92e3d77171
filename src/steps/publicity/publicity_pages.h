/* publicity_pages: the handlers of cgi-bin/publicity.c (statuses there). */
#ifndef BIAOGAN_PUBLICITY_PAGES_H
#define BIAOGAN_PUBLICITY_PAGES_H

#include "core/app.h"

int publicity_page_index(struct ctx *c);
int publicity_page_round(struct ctx *c);
int publicity_page_propose(struct ctx *c);
int publicity_page_unpropose(struct ctx *c);
int publicity_page_start(struct ctx *c);
int publicity_page_objection(struct ctx *c);
int publicity_page_note(struct ctx *c);
int publicity_page_decide(struct ctx *c);
int publicity_page_file(struct ctx *c);
int publicity_page_notice(struct ctx *c);
int publicity_page_archive(struct ctx *c);
int publicity_page_object(struct ctx *c);
int publicity_page_received(struct ctx *c);
int publicity_page_track(struct ctx *c);
int publicity_page_announcements(struct ctx *c);
int publicity_page_announcement(struct ctx *c);

#endif
