#include "steps/intake/attachments.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <magic.h>
#include <sodium.h>

#include "steps/intake/application.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/tmpfile.h"
#include "core/multipart.h"
#include "core/sha256.h"
#include "core/banned.h"

/* ---- the policy of each kind ---- */

static const char *const pdf_only[] = { "application/pdf", NULL };
static const char *const pdf_or_image[] = { "application/pdf", "image/jpeg", "image/png", NULL };

static const struct kind_policy {
	const char *name;
	const char *label;
	const char *types;
	int max;
	bool replaces;
	const char *const *mimes;
} policies[ATT_KINDS] = {
	[ATT_EXPERIENCE] = { "experience", "典型经验材料", "PDF", 1, true, pdf_only },
	[ATT_COMMITMENT] = { "commitment", "承诺书", "PDF、JPEG 或 PNG", 1, true, pdf_or_image },
	[ATT_SUPPORTING] = { "supporting", "佐证材料", "PDF、JPEG 或 PNG", ATT_SUPPORTING_MAX,
			     false, pdf_or_image },
};

static const struct kind_policy *policy(enum att_kind k)
{
	if ((unsigned)k >= ATT_KINDS)
		abort(); /* an impossible kind is a caller bug */
	return &policies[k];
}

int att_kind_parse(const char *name)
{
	if (!name)
		return -1;
	for (int k = 0; k < ATT_KINDS; k++)
		if (!strcmp(name, policies[k].name))
			return k;
	return -1;
}

const char *att_kind_name(enum att_kind k)
{
	return policy(k)->name;
}

const char *att_kind_label(enum att_kind k)
{
	return policy(k)->label;
}

const char *att_kind_types(enum att_kind k)
{
	return policy(k)->types;
}

int att_kind_max(enum att_kind k)
{
	return policy(k)->max;
}

bool att_kind_replaces(enum att_kind k)
{
	return policy(k)->replaces;
}

bool att_type_allowed(enum att_kind k, const char *mime)
{
	if (!mime)
		return false;
	for (const char *const *m = policy(k)->mimes; *m; m++)
		if (!strcmp(*m, mime))
			return true;
	return false;
}

const char *att_type_label(const char *mime, char *out, size_t size)
{
	static const struct {
		const char *mime;
		const char *label;
	} labels[] = {
		{ "application/pdf", "PDF 文档" },
		{ "image/jpeg", "JPEG 图片" },
		{ "image/png", "PNG 图片" },
		{ "image/gif", "GIF 图片" },
		{ "image/webp", "WebP 图片" },
		{ "text/html", "网页（HTML）" },
		{ "text/x-shellscript", "脚本" },
		{ "text/x-script.python", "脚本" },
		{ "text/x-php", "脚本" },
		{ "application/javascript", "脚本" },
		{ "application/x-executable", "可执行程序" },
		{ "application/x-pie-executable", "可执行程序" },
		{ "application/x-dosexec", "可执行程序" },
		{ "application/zip", "ZIP 压缩包" },
		{ "application/x-empty", "空文件" },
		{ "application/msword", "Word 文档" },
		{ "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		  "Word 文档" },
	};
	char safe[101];
	size_t n = 0;
	if (!mime)
		mime = "";
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (!strcmp(mime, labels[i].mime)) {
			snprintf(out, size, "%s", labels[i].label);
			return out;
		}
	if (!strncmp(mime, "text/", 5)) {
		snprintf(out, size, "%s", "文本文件");
		return out;
	}
	/* libmagic's names are tokens; keep only their characters anyway. */
	for (const char *p = mime; *p && n < sizeof safe - 1; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/.+-_", *p))
			safe[n++] = *p;
	safe[n] = '\0';
	snprintf(out, size, "其他类型（%s）", n ? safe : "未知");
	return out;
}

/* ---- limits and names ---- */

long long att_max_bytes(void)
{
	long long v = config_int("upload_max_bytes", ATT_DEFAULT_MAX_BYTES);
	if (v < ATT_MIN_MAX_BYTES)
		v = ATT_MIN_MAX_BYTES;
	if (v > ATT_LIMIT_MAX_BYTES)
		v = ATT_LIMIT_MAX_BYTES;
	return v;
}

void att_mp_limits(long long max_bytes, struct mp_limits *out)
{
	/* The application form's text fields (about 60) and one file input per
	 * kind, with room to spare. */
	out->max_parts = ATT_FORM_MAX_PARTS;
	out->max_header_bytes = 4096;
	/* A 3000-character text of 4-byte characters with CRLF line breaks. */
	out->max_field_bytes = 64 * 1024;
	out->max_file_bytes = (size_t)max_bytes;
	out->max_total_bytes = (size_t)max_bytes * ATT_KINDS + ATT_FORM_OVERHEAD_BYTES;
	/* A name of 255 characters of up to 4 bytes each; it is cut later. */
	out->max_filename_bytes = 1024;
}

const char *att_size_label(long long bytes, char *out, size_t size)
{
	if (bytes < 0)
		bytes = 0;
	if (bytes >= 1024 * 1024) {
		long long tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
		if (tenths % 10)
			snprintf(out, size, "%lld.%lld MiB", tenths / 10, tenths % 10);
		else
			snprintf(out, size, "%lld MiB", tenths / 10);
	} else if (bytes >= 1024) {
		snprintf(out, size, "%lld KiB", (bytes + 512) / 1024);
	} else {
		snprintf(out, size, "%lld 字节", bytes);
	}
	return out;
}

char *att_stored_name(const char *client_name)
{
	return mp_safe_filename(client_name ? client_name : "", ATT_NAME_MAX);
}

/* ---- the real type ---- */

static magic_t magic_cookie;

int att_sniff(const void *buf, size_t len, char *out, size_t size)
{
	const char *m;
	if (!magic_cookie) {
		/* Once per process: loading the database takes milliseconds. */
		magic_t c = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
		if (!c) {
			log_err("libmagic: magic_open failed: %s", strerror(errno));
			return -1;
		}
		if (magic_load(c, NULL)) {
			log_err("libmagic: cannot load the magic database: %s", magic_error(c));
			magic_close(c);
			return -1;
		}
		magic_cookie = c;
	}
	m = magic_buffer(magic_cookie, buf, len);
	if (!m) {
		log_err("libmagic: %s", magic_error(magic_cookie));
		return -1;
	}
	snprintf(out, size, "%s", m);
	return 0;
}

/* ---- one file received as a stream ---- */

int att_spool_begin(struct att_spool *s)
{
	const char *dir = tmpfile_dir();
	struct buf path = BUF_INIT;
	int fd;

	memset(s, 0, sizeof *s);
	s->fd = -1;
	buf_addf(&path, "%s/biaogan-upload-XXXXXX", dir);
	fd = mkstemp(path.data);
	if (fd < 0) {
		int e = errno;
		log_err("upload: cannot create a temporary file in %s: %s", dir, strerror(e));
		buf_release(&path);
		errno = e;
		return -1;
	}
	/* Unlinked at once: the bytes vanish with the descriptor, whatever happens. */
	if (unlink(path.data))
		log_warn("upload: cannot unlink %s: %s", path.data, strerror(errno));
	buf_release(&path);
	s->fd = fd;
	sha256_begin(&s->sha);
	return 0;
}

int att_spool_write(struct att_spool *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t left = len;
	if (s->fd < 0)
		return -1;
	if (s->head_len < sizeof s->head) {
		size_t take = sizeof s->head - s->head_len;
		if (take > len)
			take = len;
		memcpy(s->head + s->head_len, data, take);
		s->head_len += take;
	}
	sha256_add(&s->sha, p, len);
	while (left) {
		ssize_t w = write(s->fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_err("upload: cannot write the temporary file: %s",
				w < 0 ? strerror(errno) : "no progress");
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	s->size += (long long)len;
	return 0;
}

int att_spool_end(struct att_spool *s)
{
	unsigned char digest[SHA256_BYTES];
	if (s->fd < 0)
		return -1;
	sha256_end(&s->sha, digest);
	sodium_bin2hex(s->sha256, sizeof s->sha256, digest, sizeof digest);
	if (att_sniff(s->head, s->head_len, s->mime, sizeof s->mime))
		return -1;
	if (lseek(s->fd, 0, SEEK_SET) != 0) {
		log_err("upload: cannot rewind the temporary file: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void att_spool_close(struct att_spool *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	sha256_release(&s->sha);
}

/* ---- one file input ---- */

void att_one_init(struct att_one *u, const char *field)
{
	memset(u, 0, sizeof *u);
	u->spool.fd = -1;
	u->field = field;
}

void att_one_release(struct att_one *u)
{
	att_spool_close(&u->spool);
	free(u->name);
	u->name = NULL;
}

static int one_begin(void *ctx, const struct mp_part *part)
{
	struct att_one *u = ctx;
	u->in_file = !strcmp(part->name, u->field) && part->filename[0];
	if (!u->in_file)
		return 0;
	if (u->chosen) {
		u->second = true;
		return -1;
	}
	u->chosen = true;
	u->name = att_stored_name(part->filename);
	if (att_spool_begin(&u->spool)) {
		u->io = true;
		return -1;
	}
	return 0;
}

static int one_data(void *ctx, const struct mp_part *part, const char *data, size_t len)
{
	struct att_one *u = ctx;
	(void)part;
	if (!u->in_file || u->spool.fd < 0)
		return 0;
	if (att_spool_write(&u->spool, data, len)) {
		u->io = true;
		return -1;
	}
	return 0;
}

static int one_end(void *ctx, const struct mp_part *part)
{
	struct att_one *u = ctx;
	(void)part;
	if (!u->in_file || u->spool.fd < 0)
		return 0;
	u->in_file = false;
	if (att_spool_end(&u->spool)) {
		u->io = true;
		return -1;
	}
	u->complete = true;
	return 0;
}

const struct mp_callbacks att_one_callbacks = { one_begin, one_data, one_end };

/* ---- database ---- */

static const char SQL_COUNT[] =
	"SELECT COUNT(*) AS n FROM attachment WHERE application_id = ? AND kind = ?";
static const char SQL_OF_KIND[] =
	"SELECT id, original_name FROM attachment WHERE application_id = ? AND kind = ? ORDER BY id";
static const char SQL_INSERT[] =
	"INSERT INTO attachment (application_id, kind, original_name, mime, size_bytes, sha256,"
	" content, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)";
static const char SQL_CHUNK[] =
	"INSERT INTO attachment_chunk (attachment_id, seq, data) VALUES (?, ?, ?)";
/* attachment_chunk rows go with it (ON DELETE CASCADE, sql/006). */
static const char SQL_DELETE[] = "DELETE FROM attachment WHERE id = ?";
static const char SQL_LIST[] =
	"SELECT id, kind, original_name, mime, size_bytes, sha256,"
	" DATE_FORMAT(uploaded_at, '%Y-%m-%d %H:%i') AS uploaded_at"
	" FROM attachment WHERE application_id = ? ORDER BY kind, id";
static const char SQL_META[] =
	"SELECT t.id, t.application_id, t.kind, t.original_name, t.mime, t.size_bytes, t.sha256,"
	" e.account_id, e.city_code, a.status"
	" FROM attachment t JOIN application a ON a.id = t.application_id"
	" JOIN enterprise e ON e.id = a.enterprise_id WHERE t.id = ?";
static const char SQL_OF_APP[] =
	"SELECT id, kind, original_name FROM attachment WHERE id = ? AND application_id = ?";
/* Rows written before sql/006 hold their bytes in attachment.content. */
static const char SQL_LEGACY[] =
	"SELECT content FROM attachment WHERE id = ? AND content IS NOT NULL";
static const char SQL_READ_CHUNK[] =
	"SELECT data FROM attachment_chunk WHERE attachment_id = ? AND seq = ?";

int att_count(long long app_id, enum att_kind k, long long *count)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_COUNT, "is", app_id, att_kind_name(k));
	*count = rc == DB_OK ? db_int(row, "n", 0) : 0;
	json_object_put(row);
	return rc;
}

/* Copies the spooled bytes into chunk rows of attachment id. */
static int store_chunks(long long id, struct att_spool *s)
{
	char *chunk = xmalloc(ATT_CHUNK_BYTES);
	long long total = 0;
	int rc = DB_OK;

	if (lseek(s->fd, 0, SEEK_SET) != 0) {
		log_err("upload: cannot rewind the temporary file: %s", strerror(errno));
		free(chunk);
		return DB_ERROR;
	}
	for (long long seq = 0; rc == DB_OK; seq++) {
		size_t have = 0;
		while (have < ATT_CHUNK_BYTES) {
			ssize_t n = read(s->fd, chunk + have, ATT_CHUNK_BYTES - have);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				log_err("upload: cannot read the temporary file: %s", strerror(errno));
				rc = DB_ERROR;
				break;
			}
			if (n == 0)
				break;
			have += (size_t)n;
		}
		if (rc != DB_OK || have == 0)
			break;
		rc = db_exec(SQL_CHUNK, "iib", id, seq, chunk, have);
		total += (long long)have;
	}
	free(chunk);
	if (rc == DB_OK && total != s->size) {
		log_err("upload: temporary file holds %lld bytes, %lld were received", total, s->size);
		rc = DB_ERROR;
	}
	return rc;
}

int att_store(const struct actor *who, long long app_id, enum att_kind k, const char *name,
	      struct att_spool *s, long long *new_id)
{
	json_object *lock = NULL, *round = NULL, *old = NULL;
	struct buf summary = BUF_INIT;
	char oid[24], size[32];
	long long n = 0;
	int rc;

	*new_id = 0;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = app_lock_editable(app_id, &lock, &round)) != DB_OK)
		goto out;
	if ((rc = db_query(&old, SQL_OF_KIND, "is", app_id, att_kind_name(k))) != DB_OK)
		goto out;
	n = (long long)json_object_array_length(old);
	if (att_kind_replaces(k)) {
		for (size_t i = 0; rc == DB_OK && i < json_object_array_length(old); i++)
			rc = db_exec(SQL_DELETE, "i", db_int(json_object_array_get_idx(old, i), "id", 0));
		if (rc != DB_OK)
			goto out;
	} else if (n >= att_kind_max(k)) {
		rc = ATT_E_TOO_MANY;
		goto out;
	}
	rc = db_exec(SQL_INSERT, "isssisi", app_id, att_kind_name(k), name, s->mime,
		     (long long)s->size, s->sha256, who->user_id);
	if (rc != DB_OK)
		goto out;
	*new_id = db_insert_id();
	if ((rc = store_chunks(*new_id, s)) != DB_OK)
		goto out;
	snprintf(oid, sizeof oid, "%lld", *new_id);
	buf_addf(&summary, "申报书%lld：上传%s“%s”（%s，%s，SHA-256 %.16s…）", app_id,
		 att_kind_label(k), name, s->mime, att_size_label(s->size, size, sizeof size),
		 s->sha256);
	if (att_kind_replaces(k) && n > 0)
		buf_addf(&summary, "，替换“%s”", db_str(json_object_array_get_idx(old, 0),
						       "original_name", ""));
	rc = audit_write(who, "attachment.upload", "attachment", oid, summary.data);
out:
	rc = db_finish(rc);
	if (rc != DB_OK)
		*new_id = 0;
	json_object_put(lock);
	json_object_put(round);
	json_object_put(old);
	buf_release(&summary);
	return rc;
}

static const char SQL_INSERT_OBJECTION[] =
	"INSERT INTO attachment (application_id, objection_id, kind, original_name, mime,"
	" size_bytes, sha256, content, uploaded_by) VALUES (NULL, ?, 'objection', ?, ?, ?, ?, NULL, NULL)";
static const char SQL_OBJECTION_META[] =
	"SELECT id, kind, original_name, mime, size_bytes, sha256, objection_id"
	" FROM attachment WHERE objection_id = ? AND kind = 'objection' ORDER BY id LIMIT 1";

int att_insert_objection(long long objection_id, const char *name, struct att_spool *s,
			 long long *new_id)
{
	int rc = db_exec(SQL_INSERT_OBJECTION, "issis", objection_id, name, s->mime,
			 (long long)s->size, s->sha256);
	*new_id = rc == DB_OK ? db_insert_id() : 0;
	if (rc == DB_OK)
		rc = store_chunks(*new_id, s);
	return rc;
}

static const char SQL_INSERT_DECISION[] =
	"INSERT INTO attachment (application_id, kind, original_name, mime, size_bytes, sha256,"
	" content, uploaded_by) VALUES (NULL, 'decision', ?, ?, ?, ?, NULL, ?)";
static const char SQL_DECISION_META[] =
	"SELECT id, kind, original_name, mime, size_bytes, sha256"
	" FROM attachment WHERE id = ? AND kind = 'decision'";
static const char SQL_DELETE_DECISION[] = "DELETE FROM attachment WHERE id = ? AND kind = 'decision'";

int att_insert_decision(long long uploaded_by, const char *name, struct att_spool *s,
			long long *new_id)
{
	int rc = db_exec(SQL_INSERT_DECISION, "ssisi", name, s->mime, (long long)s->size, s->sha256,
			 uploaded_by);
	*new_id = rc == DB_OK ? db_insert_id() : 0;
	if (rc == DB_OK)
		rc = store_chunks(*new_id, s);
	return rc;
}

int att_decision_meta(long long id, json_object **row)
{
	return db_query_row(row, SQL_DECISION_META, "i", id);
}

int att_delete_decision(long long id)
{
	return db_exec(SQL_DELETE_DECISION, "i", id);
}

int att_objection_meta(long long objection_id, json_object **row)
{
	return db_query_row(row, SQL_OBJECTION_META, "i", objection_id);
}

int att_list(long long app_id, json_object **rows)
{
	int rc = db_query(rows, SQL_LIST, "i", app_id);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		int k = att_kind_parse(db_str(r, "kind", ""));
		char size[32];
		if (k >= 0)
			json_object_object_add(r, "kind_label",
					       json_object_new_string(att_kind_label((enum att_kind)k)));
		json_object_object_add(r, "size_label",
				       json_object_new_string(
					       att_size_label(db_int(r, "size_bytes", 0), size, sizeof size)));
	}
	return DB_OK;
}

int att_meta(long long id, json_object **row)
{
	return db_query_row(row, SQL_META, "i", id);
}

static const char SQL_LEGACY_SIZE[] =
	"SELECT LENGTH(content) AS n FROM attachment WHERE id = ? AND content IS NOT NULL";
static const char SQL_CHUNKS[] = "SELECT COUNT(*) AS n FROM attachment_chunk WHERE attachment_id = ?";

int att_check_stored(long long id, long long size)
{
	json_object *row = NULL;
	long long want = size > 0 ? (size + ATT_CHUNK_BYTES - 1) / ATT_CHUNK_BYTES : 0, have;
	int rc = db_query_row(&row, SQL_LEGACY_SIZE, "i", id);
	if (rc != DB_OK)
		return rc;
	if (row) {
		have = db_int(row, "n", -1);
		json_object_put(row);
		if (have == size)
			return DB_OK;
		log_err("attachment %lld: %lld bytes stored, %lld expected", id, have, size);
		return DB_ERROR;
	}
	if ((rc = db_query_row(&row, SQL_CHUNKS, "i", id)) != DB_OK)
		return rc;
	have = db_int(row, "n", 0);
	json_object_put(row);
	if (have != want) {
		log_err("attachment %lld: %lld chunks stored, %lld expected for %lld bytes", id, have,
			want, size);
		return DB_ERROR;
	}
	return DB_OK;
}

int att_send(long long id, long long size, resp_writer w, void *wctx)
{
	struct buf chunk = BUF_INIT;
	long long sent = 0;
	bool found = false;
	int rc = db_query_blob(&chunk, &found, SQL_LEGACY, "i", id);

	if (rc == DB_OK && found) {
		/* A row from before sql/006: one value, sent as it is. */
		if ((long long)chunk.len == size && !w(wctx, chunk.data, chunk.len))
			sent = size;
	} else {
		for (long long seq = 0; rc == DB_OK && sent < size; seq++) {
			long long want = size - sent < ATT_CHUNK_BYTES ? size - sent : ATT_CHUNK_BYTES;
			buf_reset(&chunk);
			rc = db_query_blob(&chunk, &found, SQL_READ_CHUNK, "ii", id, seq);
			if (rc != DB_OK)
				break;
			if (!found || (long long)chunk.len != want) {
				log_err("attachment %lld: chunk %lld is %s (%zu bytes, %lld expected)", id,
					seq, found ? "of the wrong length" : "missing", chunk.len, want);
				break;
			}
			if (w(wctx, chunk.data, chunk.len)) {
				log_warn("attachment %lld: the client went away after %lld of %lld bytes", id,
					 sent, size);
				break;
			}
			sent += want;
		}
	}
	if (sent != size && rc != DB_OK)
		log_err("attachment %lld: reading failed after %lld of %lld bytes (%d)", id, sent, size,
			rc);
	buf_release(&chunk);
	return sent == size ? 0 : -1;
}

/* att_verify_all's writer: the bytes go into the hash only. */
static int hash_writer(void *ctx, const char *data, size_t len)
{
	sha256_add(ctx, data, len);
	return 0;
}

static const char SQL_VERIFY_PAGE[] =
	"SELECT id, size_bytes, sha256 FROM attachment WHERE id > ? ORDER BY id LIMIT 200";

int att_verify_all(struct att_verify *v)
{
	struct sha256 h = { NULL };
	long long after = 0;
	int rc = DB_OK;
	memset(v, 0, sizeof *v);
	for (;;) {
		json_object *rows = NULL;
		if ((rc = db_query(&rows, SQL_VERIFY_PAGE, "i", after)) != DB_OK)
			break;
		size_t n = json_object_array_length(rows);
		for (size_t i = 0; i < n; i++) {
			json_object *r = json_object_array_get_idx(rows, i);
			long long id = db_int(r, "id", 0), size = db_int(r, "size_bytes", 0);
			unsigned char digest[SHA256_BYTES];
			struct buf hex = BUF_INIT;
			sha256_begin(&h);
			int sent = att_send(id, size, hash_writer, &h);
			sha256_end(&h, digest);
			buf_addhex(&hex, digest, sizeof digest);
			if (sent || strcmp(hex.data, db_str(r, "sha256", ""))) {
				if (!sent)
					log_err("attachment %lld: SHA-256 %s, recorded %s", id, hex.data,
						db_str(r, "sha256", ""));
				if (v->bad < ATT_VERIFY_LISTED)
					v->bad_ids[v->bad] = id;
				v->bad++;
			}
			buf_release(&hex);
			v->files++;
			v->bytes += size;
			after = id;
		}
		json_object_put(rows);
		if (n < 200)
			break;
	}
	sha256_release(&h);
	return rc;
}

char *att_download_name(const char *name, const char *mime)
{
	static const struct {
		const char *mime;
		const char *ext;  /* the one given */
		const char *also; /* another that is right too, or NULL */
	} exts[] = {
		{ "application/pdf", ".pdf", NULL },
		{ "image/jpeg", ".jpg", ".jpeg" },
		{ "image/png", ".png", NULL },
	};
	struct buf out = BUF_INIT;
	const char *dot, *ext = NULL, *also = NULL;
	size_t stem, tail;
	bool is_ext = true;

	if (!name || !*name)
		name = "file";
	for (size_t i = 0; mime && i < sizeof exts / sizeof exts[0]; i++)
		if (!strcmp(mime, exts[i].mime)) {
			ext = exts[i].ext;
			also = exts[i].also;
		}
	if (!ext)
		return xstrdup(name);
	dot = strrchr(name, '.');
	stem = strlen(name);
	if (dot && dot != name) {
		tail = strlen(dot + 1);
		for (const char *p = dot + 1; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
				is_ext = false;
		if (is_ext && tail >= 1 && tail <= 8) {
			if (!strcasecmp(dot, ext) || (also && !strcasecmp(dot, also)))
				return xstrdup(name);
			stem = (size_t)(dot - name);
		}
	}
	buf_add(&out, name, stem);
	buf_adds(&out, ext);
	return buf_detach(&out, NULL);
}

int att_audit_read(const struct actor *who, json_object *meta)
{
	struct buf summary = BUF_INIT;
	int k = att_kind_parse(db_str(meta, "kind", ""));
	int rc;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if (db_int(meta, "objection_id", 0))
		buf_addf(&summary, "下载异议%lld的附件“%s”", db_int(meta, "objection_id", 0),
			 db_str(meta, "original_name", ""));
	else
		buf_addf(&summary, "下载申报书%lld的%s“%s”", db_int(meta, "application_id", 0),
			 k >= 0 ? att_kind_label((enum att_kind)k) : "附件",
			 db_str(meta, "original_name", ""));
	rc = audit_write(who, "attachment.download", "attachment", db_str(meta, "id", "0"),
			 summary.data);
	buf_release(&summary);
	return db_finish(rc);
}

int att_delete(const struct actor *who, long long app_id, long long att_id)
{
	json_object *lock = NULL, *round = NULL, *row = NULL;
	struct buf summary = BUF_INIT;
	char oid[24];
	int k, rc;

	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = app_lock_editable(app_id, &lock, &round)) != DB_OK)
		goto out;
	if ((rc = db_query_row(&row, SQL_OF_APP, "ii", att_id, app_id)) != DB_OK)
		goto out;
	if (!row) {
		rc = APP_E_NOT_FOUND;
		goto out;
	}
	if ((rc = db_exec(SQL_DELETE, "i", att_id)) != DB_OK)
		goto out;
	k = att_kind_parse(db_str(row, "kind", ""));
	snprintf(oid, sizeof oid, "%lld", att_id);
	buf_addf(&summary, "申报书%lld：删除%s“%s”", app_id,
		 k >= 0 ? att_kind_label((enum att_kind)k) : "附件", db_str(row, "original_name", ""));
	rc = audit_write(who, "attachment.delete", "attachment", oid, summary.data);
out:
	rc = db_finish(rc);
	json_object_put(lock);
	json_object_put(round);
	json_object_put(row);
	buf_release(&summary);
	return rc;
}

/* What the streamed body needs after the handler has returned. */
struct download {
	long long id;
	long long size;
};

static int send_download(void *ctx, resp_writer w, void *wctx)
{
	const struct download *d = ctx;
	return att_send(d->id, d->size, w, wctx);
}

int att_respond(struct response *resp, const struct actor *who, json_object *meta)
{
	struct buf disp = BUF_INIT;
	long long id = db_int(meta, "id", 0), size = db_int(meta, "size_bytes", 0);
	/* Everything that can fail before the first byte does: the bytes are
	 * all stored, and no read leaves without its audit record. */
	int rc = att_check_stored(id, size);
	if (rc == DB_OK)
		rc = att_audit_read(who, meta);
	if (rc != DB_OK)
		return rc;
	char *name = att_download_name(db_str(meta, "original_name", "file"), db_str(meta, "mime", ""));
	mp_content_disposition(&disp, name);
	free(name);
	if (resp_header(resp, "Content-Type", db_str(meta, "mime", "application/octet-stream")) ||
	    resp_header(resp, "Content-Disposition", disp.data)) {
		rc = DB_ERROR; /* stored values are checked on upload: a bug if this happens */
	} else {
		struct download *d = xmalloc(sizeof *d);
		d->id = id;
		d->size = size;
		resp_stream(resp, (unsigned long long)size, send_download, d, free);
		resp->status = 200;
	}
	buf_release(&disp);
	return rc;
}
