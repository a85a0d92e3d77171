/* files_pages: downloads of an application's files (program files).  Who
 * may see them is core/auth.h's; the bytes are attachments.h's. */
#ifndef BIAOGAN_FILES_PAGES_H
#define BIAOGAN_FILES_PAGES_H

#include "core/app.h"

int files_page_download(struct ctx *c);

#endif
