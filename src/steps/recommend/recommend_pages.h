/* recommend_pages: the handlers of the recommend program (cgi-bin/recommend.c),
 * the city bureaus' review and recommendation and the province's view of
 * it.  Each handler's comment lists what it answers; the model is
 * src/steps/recommend/recommend.h.  Objects of others (another city's
 * application or batch, a draft, an id that does not exist) answer 404,
 * the same for all, and leave a "recommend.refused" audit record.
 */
#ifndef BIAOGAN_RECOMMEND_PAGES_H
#define BIAOGAN_RECOMMEND_PAGES_H

#include "core/app.h"

int rec_page_index(struct ctx *c);
int rec_page_app(struct ctx *c);
int rec_page_return(struct ctx *c);
int rec_page_decline(struct ctx *c);
int rec_page_recommend(struct ctx *c);
int rec_page_reconsider(struct ctx *c);
int rec_page_credit(struct ctx *c);
int rec_page_batch(struct ctx *c);
int rec_page_order(struct ctx *c);
int rec_page_submit(struct ctx *c);
int rec_page_reopen(struct ctx *c);
int rec_page_extend(struct ctx *c);
int rec_page_letter(struct ctx *c);
int rec_page_export(struct ctx *c);
int rec_page_province(struct ctx *c);
int rec_page_province_export(struct ctx *c);

#endif
