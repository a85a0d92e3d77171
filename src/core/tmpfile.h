/* tmpfile: where the programs put their private temporary files, and
 * reading one back.
 *
 * Uploads being received (steps/intake/attachments.h), workbooks being
 * written (core/export.h) and ZIP archives being built (core/zipw.h) all go
 * to one directory: config upload_tmp_dir, else $TMPDIR, else /tmp.  Each
 * caller makes its file with mkstemp (mode 0600) and removes it.
 */
#ifndef BIAOGAN_TMPFILE_H
#define BIAOGAN_TMPFILE_H

#include "core/buf.h"

/* The directory (the config's string or the environment's: not owned). */
const char *tmpfile_dir(void);
/* Appends the whole file at path to out.  0, or -1 with errno set. */
int tmpfile_slurp(const char *path, struct buf *out);

#endif
