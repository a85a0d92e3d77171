/* draw_pages: the handlers of the draw program (cgi-bin/draw.c): review
 * sessions, the supervised draw and its replacements, the reveal, the
 * printed record, the export, and each expert's own assignments.  The
 * model is src/steps/draw/draw.h.
 *
 * Confidentiality (附件四): province administrators and the supervisor see
 * sessions and panels; an expert sees only their own assignments; nobody
 * else sees anything (the page table's roles: 403).  A session that does
 * not exist answers 404 with a refusal audit record.
 */
#ifndef BIAOGAN_DRAW_PAGES_H
#define BIAOGAN_DRAW_PAGES_H

#include "core/app.h"

int draw_page_index(struct ctx *c);
int draw_page_new(struct ctx *c);
int draw_page_edit(struct ctx *c);
int draw_page_session(struct ctx *c);
int draw_page_commit(struct ctx *c);
int draw_page_panel(struct ctx *c);
int draw_page_replace(struct ctx *c);
int draw_page_reveal(struct ctx *c);
int draw_page_rate(struct ctx *c);
int draw_page_record(struct ctx *c);
int draw_page_export(struct ctx *c);
int draw_page_mine(struct ctx *c);

#endif
