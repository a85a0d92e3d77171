/* zipw: a ZIP archive written for a download (an enterprise's application
 * with its attachments, a review session's papers), over libzip.
 *
 * zipw_open() starts an archive in a private temporary file (config
 * upload_tmp_dir, else $TMPDIR, else /tmp; mkstemp, mode 0600), so that
 * attachments of many megabytes are streamed from their files rather than
 * held twice in memory; zipw_add_buffer() and zipw_add_file() add entries;
 * zipw_finish() writes the archive, appends its bytes to a buf and removes
 * the file; zipw_discard() abandons it.  The temporary file is removed on
 * every path, success or failure.
 *
 * Entry names are UTF-8 and are written with the language encoding flag
 * (general purpose bit 11), which Windows Explorer and every current
 * unzipper read, so "企业A/申报书.html" shows as such rather than being read
 * as GBK (the code page of a Chinese Windows) and garbled.  A name is
 * refused unless it is valid UTF-8 of 1 to ZIPW_NAME_MAX bytes, relative (no
 * leading '/'), made of non-empty parts none of which is "." or ".." (".."
 * inside a part, "报告..终稿.pdf", is fine), without a backslash, a colon
 * (a drive, or an NTFS stream), a control character or a bidirectional
 * formatting character: nothing in an archive made here can land outside
 * the folder it is unpacked into, or pretend to be another kind of file.
 * Folders are implied by the names ("企业A/…"); no separate folder entries
 * are written.  Entries whose name ends in an already-compressed type (.pdf
 * .png .jpg .jpeg .gif .webp .zip .docx .xlsx .pptx .ofd .gz) are stored,
 * the others deflated.
 *
 * Only programs that write archives link libzip (LIBZIP_LIBS).
 */
#ifndef BIAOGAN_ZIPW_H
#define BIAOGAN_ZIPW_H

#include <stddef.h>

#include "core/buf.h"

/* Longest entry name, in bytes (well under ZIP's 65535 and Windows' 260
 * characters for a path once unpacked). */
#define ZIPW_NAME_MAX 240

struct zip; /* libzip's zip_t; callers need not include <zip.h> */

/* Fields are private to zipw.c. */
struct zipw {
	struct zip *za;  /* the open archive, NULL when none */
	struct buf path; /* the temporary file's name, empty when none */
	struct buf why;  /* why the last zipw_add_* failed (zipw_error) */
};

/* A zipw that zipw_discard() may be called on before zipw_open(). */
#define ZIPW_INIT { NULL, BUF_INIT, BUF_INIT }

/* Starts an empty archive in z, which must not hold an open one (its fields
 * are overwritten).  0, or -1 with the reason in err (nothing left behind;
 * z may still be given to zipw_discard). */
int zipw_open(struct zipw *z, struct buf *err);

/* Adds an entry named name holding len bytes of data (data may be NULL
 * when len is 0).  data is copied: the caller keeps its buffer and may free
 * it at once; the copy is libzip's, freed by zipw_finish or zipw_discard.
 * 0, or -1 with errno set (EINVAL: a refused name, or no archive open;
 * EEXIST: the name is in the archive already; EIO: libzip failed) and the
 * reason in zipw_error(z); the archive is then as it was and may still be
 * finished. */
int zipw_add_buffer(struct zipw *z, const char *name, const void *data, size_t len);

/* Adds an entry named name holding the content of the regular file open on
 * fd: its bytes from offset 0 to the size it has now, read (with pread, so
 * fd's own offset is neither used nor moved) when zipw_finish runs.  fd is
 * duplicated: the caller still owns fd and may close it at once; zipw closes
 * its duplicate in zipw_finish or zipw_discard.  The file must not shrink
 * in between (zipw_finish would fail); what is appended after the call is
 * not in the entry.  0, or -1 as zipw_add_buffer (EBADF for a descriptor
 * that is not open for reading on a regular file). */
int zipw_add_file(struct zipw *z, const char *name, int fd);

/* Why the last zipw_add_* call on the open archive failed ("" if none
 * has).  Valid until the next call on z. */
const char *zipw_error(const struct zipw *z);

/* Writes the archive and appends its bytes to out (an archive with no
 * entries is the 22-byte empty ZIP).  The temporary file is removed and z
 * is left closed, also on failure.  0, or -1 with the reason in err (out as
 * it was). */
int zipw_finish(struct zipw *z, struct buf *out, struct buf *err);

/* Abandons the archive and removes its temporary file.  Safe on a zipw that
 * is ZIPW_INIT, failed to open, was finished or was discarded already. */
void zipw_discard(struct zipw *z);

#endif
