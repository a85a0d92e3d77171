#include "core/zipw.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "core/config.h"
#include "core/log.h"
#include "core/tmpfile.h"
#include "core/utf8.h"
#include "core/banned.h"

/* Why name may not be an entry's name, or NULL if it may.  The rules are
 * those of the header: what an unzipper on Windows or Linux would place
 * outside the target folder (absolute, "..", a backslash that Windows reads
 * as a separator, a drive's colon) or show as something else (controls,
 * bidirectional overrides) is refused.  ".." is refused as a part of the
 * path, not as text: "报告..终稿.pdf" is an ordinary file name. */
static const char *name_problem(const char *name)
{
	size_t len = name ? strlen(name) : 0;
	const char *part;
	if (!len)
		return "empty name";
	if (len > ZIPW_NAME_MAX)
		return "name too long";
	if (!utf8_valid(name, len))
		return "name not UTF-8";
	if (utf8_has_controls(name, len, false) || memchr(name, '\t', len))
		return "control character in name";
	if (utf8_has_bidi_controls(name, len))
		return "bidirectional formatting character in name";
	if (strchr(name, '\\'))
		return "backslash in name";
	if (strchr(name, ':'))
		return "colon in name";
	if (name[0] == '/')
		return "absolute name";
	for (part = name;;) {
		const char *slash = strchr(part, '/');
		size_t n = slash ? (size_t)(slash - part) : strlen(part);
		if (!n)
			return "empty part in name"; /* "a//b" or a trailing '/' */
		if ((n == 1 && part[0] == '.') || (n == 2 && part[0] == '.' && part[1] == '.'))
			return "\".\" or \"..\" in name";
		if (!slash)
			break;
		part = slash + 1;
	}
	return NULL;
}

/* Deflating a PDF or a picture gains nothing and costs time: those are
 * stored.  By extension, which is what the caller chose the name from. */
static bool compressed_already(const char *name)
{
	static const char *const exts[] = { ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp",
					    ".zip", ".docx", ".xlsx", ".pptx", ".ofd", ".gz" };
	size_t len = strlen(name);
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t n = strlen(exts[i]);
		if (len > n && !strcasecmp(name + len - n, exts[i]))
			return true;
	}
	return false;
}

/* -1 with errno e and the reason kept for zipw_error().  Only while the
 * archive is open: a zipw that is closed owns no memory and keeps it so. */
static int refuse(struct zipw *z, int e, const char *name, const char *why)
{
	if (z->za) {
		buf_reset(&z->why);
		buf_addf(&z->why, "%s: %s", why, name ? name : "(null)");
	}
	errno = e;
	return -1;
}

/* Adds src as name.  src is libzip's (or freed) afterwards, whatever
 * happens. */
static int add_source(struct zipw *z, const char *name, zip_source_t *src)
{
	zip_int64_t idx = zip_file_add(z->za, name, src, ZIP_FL_ENC_UTF_8);
	zip_int32_t method = compressed_already(name) ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
	int e;
	if (idx < 0) {
		e = zip_error_code_zip(zip_get_error(z->za)) == ZIP_ER_EXISTS ? EEXIST : EIO;
		refuse(z, e, name, zip_strerror(z->za));
		zip_source_free(src); /* not taken by a failed zip_file_add */
		zip_error_clear(z->za);
		errno = e;
		return -1;
	}
	if (zip_set_file_compression(z->za, (zip_uint64_t)idx, method, 0)) {
		refuse(z, EIO, name, zip_strerror(z->za));
		zip_delete(z->za, (zip_uint64_t)idx); /* frees src with the entry */
		zip_error_clear(z->za);
		errno = EIO;
		return -1;
	}
	return 0;
}

int zipw_open(struct zipw *z, struct buf *err)
{
	int fd, zerr = 0;
	z->za = NULL;
	buf_init(&z->path);
	buf_init(&z->why);
	buf_addf(&z->path, "%s/biaogan-zip-XXXXXX", tmpfile_dir());
	fd = mkstemp(z->path.data);
	if (fd < 0) {
		buf_addf(err, "mkstemp in %s: %s", tmpfile_dir(), strerror(errno));
		buf_release(&z->path);
		return -1;
	}
	close(fd);
	/* zip_close() writes a sibling temporary file and renames it over this
	 * one, giving it this file's mode: it stays 0600 and in this folder. */
	z->za = zip_open(z->path.data, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z->za) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		buf_addf(err, "zip_open %s: %s", z->path.data, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		zipw_discard(z);
		return -1;
	}
	return 0;
}

int zipw_add_buffer(struct zipw *z, const char *name, const void *data, size_t len)
{
	const char *why = name_problem(name);
	zip_source_t *src;
	void *copy = NULL;
	if (!z->za)
		return refuse(z, EINVAL, name, "archive not open");
	if (why)
		return refuse(z, EINVAL, name, why);
	if (len) {
		copy = xmalloc(len);
		memcpy(copy, data, len);
	}
	/* freep=1: libzip frees the copy with the entry (after zip_close, or
	 * zip_discard). */
	src = zip_source_buffer(z->za, copy, len, 1);
	if (!src) {
		/* Only on exhausted memory; whether libzip freed the copy then
		 * depends on where it failed, and a leak beats a double free. */
		refuse(z, EIO, name, zip_strerror(z->za));
		zip_error_clear(z->za);
		errno = EIO;
		return -1;
	}
	return add_source(z, name, src);
}

/* ---- a file as a source, read with pread() ----
 *
 * zip_source_filep() reads from the FILE's current position, and a dup()
 * of the caller's descriptor shares that position with it (and with any
 * other entry made from the same descriptor), so the entry could start
 * anywhere.  This source reads with pread() from its own duplicate at
 * explicit offsets, whatever the caller does with the shared offset. */
struct file_src {
	int fd;                 /* our duplicate, closed when libzip frees the source */
	zip_uint64_t size;      /* fixed when added */
	zip_uint64_t offset;    /* where the next read starts */
	time_t mtime;
	zip_error_t error;
};

static zip_int64_t file_src_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct file_src *f = ud;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		f->offset = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		zip_uint64_t want = f->size - f->offset < len ? f->size - f->offset : len;
		ssize_t n;
		if (!want)
			return 0;
		do
			n = pread(f->fd, data, (size_t)want, (off_t)f->offset);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			zip_error_set(&f->error, ZIP_ER_READ, errno);
			return -1;
		}
		if (n == 0) { /* shorter than when it was added */
			zip_error_set(&f->error, ZIP_ER_READ, EIO);
			return -1;
		}
		f->offset += (zip_uint64_t)n;
		return n;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &f->error);
		if (!st)
			return -1;
		zip_stat_init(st);
		st->size = f->size;
		st->comp_size = f->size;
		st->comp_method = ZIP_CM_STORE; /* the data is plain, not already compressed */
		st->encryption_method = ZIP_EM_NONE;
		st->mtime = f->mtime;
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
			    ZIP_STAT_ENCRYPTION_METHOD | ZIP_STAT_MTIME;
		return sizeof *st;
	}
	case ZIP_SOURCE_SEEK: {
		zip_int64_t to = zip_source_seek_compute_offset(f->offset, f->size, data, len,
								&f->error);
		if (to < 0)
			return -1;
		f->offset = (zip_uint64_t)to;
		return 0;
	}
	case ZIP_SOURCE_TELL:
		return (zip_int64_t)f->offset;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&f->error, data, len);
	case ZIP_SOURCE_FREE:
		close(f->fd);
		zip_error_fini(&f->error);
		free(f);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
						      ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
						      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
						      ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL, -1);
	default:
		zip_error_set(&f->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

int zipw_add_file(struct zipw *z, const char *name, int fd)
{
	const char *why = name_problem(name);
	struct file_src *f;
	struct stat st;
	zip_source_t *src;
	int flags, dupfd;
	if (!z->za)
		return refuse(z, EINVAL, name, "archive not open");
	if (why)
		return refuse(z, EINVAL, name, why);
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || (flags & O_ACCMODE) == O_WRONLY || fstat(fd, &st) || !S_ISREG(st.st_mode))
		return refuse(z, EBADF, name, "not a readable regular file");
	dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dupfd < 0)
		return refuse(z, errno, name, strerror(errno));
	f = xcalloc(1, sizeof *f);
	f->fd = dupfd;
	f->size = (zip_uint64_t)st.st_size;
	f->mtime = st.st_mtime;
	zip_error_init(&f->error);
	src = zip_source_function(z->za, file_src_cb, f);
	if (!src) { /* libzip never saw f: ours to free */
		refuse(z, EIO, name, zip_strerror(z->za));
		zip_error_clear(z->za);
		close(dupfd);
		free(f);
		errno = EIO;
		return -1;
	}
	return add_source(z, name, src);
}

const char *zipw_error(const struct zipw *z)
{
	return z->why.data;
}

int zipw_finish(struct zipw *z, struct buf *out, struct buf *err)
{
	/* The End of Central Directory record of an archive with no entries:
	 * zip_close() removes the file instead of writing one. */
	static const char empty_zip[22] = "PK\x05\x06";
	size_t before = out->len;
	zip_int64_t entries;
	int rc = -1;
	if (!z->za) {
		buf_adds(err, "zipw_finish: no archive open");
		zipw_discard(z);
		return -1;
	}
	entries = zip_get_num_entries(z->za, 0);
	if (zip_close(z->za)) {
		buf_addf(err, "writing the archive: %s", zip_strerror(z->za));
		goto out; /* zipw_discard() frees it */
	}
	z->za = NULL; /* zip_close freed it */
	if (entries <= 0) {
		buf_add(out, empty_zip, sizeof empty_zip);
		rc = 0;
		goto out;
	}
	if (tmpfile_slurp(z->path.data, out)) {
		buf_addf(err, "reading %s: %s", z->path.data, strerror(errno));
		buf_truncate(out, before);
		goto out;
	}
	rc = 0;
out:
	zipw_discard(z);
	return rc;
}

void zipw_discard(struct zipw *z)
{
	if (z->za) {
		zip_discard(z->za); /* frees every source: the copies, our duplicates */
		z->za = NULL;
	}
	if (z->path.len && unlink(z->path.data) && errno != ENOENT)
		log_warn("zipw: cannot remove %s: %s", z->path.data, strerror(errno));
	buf_release(&z->path);
	buf_release(&z->why);
}
