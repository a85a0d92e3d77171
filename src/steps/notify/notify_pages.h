/* notify_pages: the user's inbox (通知), pages of program home.
 *
 *   GET  /home/notices[?show=all][&page=N]   the notices, unread first by
 *                                            default (show=all: every one),
 *                                            newest first, 20 a page
 *   POST /home/notices/read                  id=N (one) or all=1; back=home
 *                                            returns to /home, else to the
 *                                            list; 303 either way
 *
 * The newest unread ones are also on the home page (home_data.c).
 */
#ifndef BIAOGAN_NOTIFY_PAGES_H
#define BIAOGAN_NOTIFY_PAGES_H

#include "core/app.h"

int notify_page_list(struct ctx *c);
int notify_page_read(struct ctx *c);

#endif
