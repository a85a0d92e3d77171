/* attachments: the files an enterprise uploads with its application (issue 4).
 *
 * Owns: the upload policy of each kind of file (which real types, how many,
 * whether a new upload replaces the old one, the size limit of config key
 * upload_max_bytes); the multipart limits of an upload request; receiving
 * one uploaded file as a stream (struct att_spool: the bytes go into an
 * unlinked temporary file as they arrive, SHA-256 is computed on the way, and
 * the real type is read by libmagic from the first ATT_SNIFF_BYTES, never
 * from the file's name or declared type); and the SQL of the tables
 * attachment and attachment_chunk (sql/005_application.sql,
 * sql/006_attachment_chunks.sql): store, list, count, read, delete.  Every
 * change is one transaction with its audit record; a download writes an
 * audit record too (a sensitive read); the stored bytes can be checked
 * against their hashes (att_verify_all).
 *
 * Who may do what is not decided here: callers ask src/core/auth.h
 * (auth_can_see_application, auth_can_edit_application); whether the
 * application can still change is src/steps/intake/application.h's app_lock_editable,
 * which att_store and att_delete call under the row lock.
 *
 * Storage: in the database, never under the web root, in pieces of
 * ATT_CHUNK_BYTES so that no packet to or from MariaDB comes near
 * max_allowed_packet (16 MiB by default; a file may be 20 MiB).
 *
 * Pure part (no database; tests/unit/test_attachments.c): the kinds, the
 * type policy, the limits, the names, the messages and struct att_spool.
 */
#ifndef BIAOGAN_ATTACHMENTS_H
#define BIAOGAN_ATTACHMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/buf.h"
#include "core/multipart.h"
#include "core/response.h"
#include "core/sha256.h"

#define ATT_DEFAULT_MAX_BYTES (20LL * 1024 * 1024)
/* upload_max_bytes is clamped to this range. */
#define ATT_MIN_MAX_BYTES 1024LL
#define ATT_LIMIT_MAX_BYTES (100LL * 1024 * 1024)
/* The first bytes of a file that libmagic looks at. */
#define ATT_SNIFF_BYTES (64 * 1024)
/* Bytes per attachment_chunk row. */
#define ATT_CHUNK_BYTES (1024 * 1024)
/* The longest stored name, in bytes (original_name is VARCHAR(255)). */
#define ATT_NAME_MAX 240
/* Supporting files per application. */
#define ATT_SUPPORTING_MAX 10

/* Results beside the db_status values (which are <= 0); the application's
 * own APP_E_NOT_FOUND (1), APP_E_CLOSED (2) and APP_E_NOT_EDITABLE (3) pass
 * through unchanged. */
#define ATT_E_TOO_MANY 20 /* the kind already has its maximum number of files */

enum att_kind { ATT_EXPERIENCE = 0, ATT_COMMITMENT, ATT_SUPPORTING, ATT_KINDS };

/* "experience" -> ATT_EXPERIENCE ...; -1 for anything else (NULL too). */
int att_kind_parse(const char *name);
/* The column value; aborts on a value outside the enum (a caller bug). */
const char *att_kind_name(enum att_kind k);
/* "典型经验材料", "承诺书", "佐证材料". */
const char *att_kind_label(enum att_kind k);
/* "PDF", "PDF、JPEG 或 PNG": for the forms and the messages. */
const char *att_kind_types(enum att_kind k);
/* How many files of the kind an application may hold. */
int att_kind_max(enum att_kind k);
/* True when a new upload of the kind replaces the one held (one-file kinds). */
bool att_kind_replaces(enum att_kind k);
/* True when the real type mime (as libmagic names it) is accepted for k. */
bool att_type_allowed(enum att_kind k, const char *mime);
/* "PDF 文档", "PNG 图片", ... or "其他类型（mime）" for a message; the result
 * is written to out (at least 160 bytes) and returned. */
const char *att_type_label(const char *mime, char *out, size_t size);

/* The configured limit per file (upload_max_bytes, default 20 MiB, clamped
 * to ATT_MIN_MAX_BYTES..ATT_LIMIT_MAX_BYTES). */
long long att_max_bytes(void);
/* Parts of one POST of the application form, and the room its text fields,
 * part headers and boundaries take beside the files. */
#define ATT_FORM_MAX_PARTS 128
#define ATT_FORM_OVERHEAD_BYTES (1024 * 1024)
/* The limits of one POST of the application form (multipart/form-data), which
 * carries its text fields and at most one file per kind: each file at most
 * max_bytes, the whole at most ATT_KINDS files and ATT_FORM_OVERHEAD_BYTES. */
void att_mp_limits(long long max_bytes, struct mp_limits *out);
/* "20 MiB", "1.5 MiB", "300 KiB", "12 字节": out at least 32 bytes. */
const char *att_size_label(long long bytes, char *out, size_t size);

/* The name stored for an uploaded file: mp_safe_filename(name, ATT_NAME_MAX)
 * (last path component, no control characters, never empty).  malloc'ed. */
char *att_stored_name(const char *client_name);

/* --- one file received as a stream --- */

struct att_spool {
	int fd;                             /* the unlinked temporary file; -1 when closed */
	long long size;                     /* bytes written */
	struct sha256 sha;                  /* its context freed by att_spool_close */
	unsigned char head[ATT_SNIFF_BYTES];
	size_t head_len;
	char sha256[SHA256_HEX_SIZE];       /* hex, after att_spool_end */
	char mime[101];                     /* libmagic's MIME type, after att_spool_end */
};

/* Opens an unlinked temporary file in config upload_tmp_dir, else $TMPDIR,
 * else /tmp (mkstemp, mode 0600, unlinked at once: nothing remains if the
 * worker dies).  0, or -1 with errno set (logged by the caller). */
int att_spool_begin(struct att_spool *s);
/* Appends len bytes.  0, or -1 on a write error. */
int att_spool_write(struct att_spool *s, const void *data, size_t len);
/* Finishes the hash and detects the real type (s->mime, s->sha256); rewinds
 * the file for reading.  0, or -1 when libmagic is unusable or seek fails. */
int att_spool_end(struct att_spool *s);
/* Closes the file (safe twice, and on a spool never begun if zeroed with fd -1). */
void att_spool_close(struct att_spool *s);

/* The real type of buf (libmagic MIME type, e.g. "application/pdf"), into
 * out; the magic database is loaded once per process.  0, or -1 when
 * libmagic cannot be used (logged). */
int att_sniff(const void *buf, size_t len, char *out, size_t size);

/* What a form says at its file input when the spool failed (the disk full,
 * an I/O error, libmagic): the server's fault, not the visitor's, so 503;
 * nothing of that submission is stored. */
#define ATT_SPOOL_FAILED                                                                         \
	"服务器暂时无法保存上传的文件（存储空间不足或读写故障），本次提交的内容均未保存。"          \
	"请稍后重试；如仍不成功，请联系系统管理员。"
#define ATT_SPOOL_FAILED_STATUS 503

/* --- one file input of a form read by mpform_read --- */

/* The form's one file (the objection's evidence, a decision document),
 * spooled as it arrives: at most one file in the input named field (a
 * second is refused: `second`); `complete` once its bytes are all in the
 * spool (att_spool_end done: spool.mime, spool.sha256); `io` when the
 * spool failed.  An input sent with no file chosen is no file. */
struct att_one {
	struct att_spool spool;
	char *name;        /* att_stored_name of the client's name; owned */
	const char *field; /* the input's name; borrowed */
	bool chosen, complete, second, io;
	bool in_file;      /* the part being read is the file input */
};
void att_one_init(struct att_one *u, const char *field);
/* The callbacks for mpform_read, with the struct att_one as their ctx. */
extern const struct mp_callbacks att_one_callbacks;
void att_one_release(struct att_one *u);

/* --- database --- */

/* Stores the spooled file (after att_spool_end) as a new attachment of kind k
 * of application app_id, uploaded by who->user_id, in one transaction under
 * the application's row lock: still editable (app_lock_editable), room for
 * another file of the kind (else ATT_E_TOO_MANY), the file of a one-file
 * kind replaced; the bytes in ATT_CHUNK_BYTES rows read back from the spool;
 * an "attachment.upload" audit record.  DB_OK and *new_id, or
 * APP_E_NOT_FOUND, APP_E_NOT_EDITABLE, APP_E_CLOSED, ATT_E_TOO_MANY, or a
 * db_status; nothing changes unless DB_OK. */
int att_store(const struct actor *who, long long app_id, enum att_kind k, const char *name,
	      struct att_spool *s, long long *new_id);
/* The file of a public objection (src/steps/publicity/publicity.h): an
 * attachment row of kind 'objection' that belongs to no application, so no
 * application's list or /files download ever shows it.  Stored from the
 * spool like att_store, but inside the caller's transaction, whose audit
 * record covers it (uploaded_by NULL: the public).  DB_OK with *new_id, or
 * a db_status.  Its type is checked by the caller (att_type_allowed with
 * ATT_SUPPORTING: the same rules). */
int att_insert_objection(long long objection_id, const char *name, struct att_spool *s,
			 long long *new_id);
/* The decision document of a title's revocation or reinstatement
 * (src/steps/manage/manage.h): an attachment row of kind 'decision' that
 * belongs to no application, stored from the spool inside the caller's
 * transaction (whose audit record covers it), uploaded_by who.  Its type
 * is checked by the caller.  DB_OK with *new_id, or a db_status. */
int att_insert_decision(long long uploaded_by, const char *name, struct att_spool *s,
			long long *new_id);
/* A decision document's description (id, kind, original_name, mime,
 * size_bytes, sha256); *row NULL unless id is one. */
int att_decision_meta(long long id, json_object **row);
/* Removes decision document id (a draft's, replaced or given up), inside
 * the caller's transaction.  DB_OK (also when there is none) or a db_status. */
int att_delete_decision(long long id);
/* The objection's file as att_meta describes one (id, kind, original_name,
 * mime, size_bytes, sha256, objection_id); *row NULL when it has none. */
int att_objection_meta(long long objection_id, json_object **row);
/* The application's files, by kind then upload order: id, kind, kind_label,
 * original_name, mime, size_bytes, size_label, sha256, uploaded_at.  Caller
 * owns *rows. */
int att_list(long long app_id, json_object **rows);
/* Files of one kind. */
int att_count(long long app_id, enum att_kind k, long long *count);
/* One file's description without its bytes, with what the access check
 * needs from its application: id, application_id, kind, original_name, mime,
 * size_bytes, sha256, account_id (the owning enterprise's account),
 * city_code, status.  *row NULL when there is no such file. */
int att_meta(long long id, json_object **row);
/* The file of meta (att_meta's row, borrowed) as the response, after the
 * caller's access check: its bytes checked complete, its read audited,
 * then its headers and its streamed body (one chunk row at a time).  The
 * one way a file leaves, for every program that lets a reader have one. */
int att_respond(struct response *resp, const struct actor *who, json_object *meta);
/* Before a download is announced: are the file's bytes all there (the
 * number of chunk rows that size bytes need, or a legacy content column of
 * that length)?  DB_OK, DB_ERROR (logged) when not, or a db_status. */
int att_check_stored(long long id, long long size);
/* Writes the file's bytes through w as they are read: one chunk row
 * (ATT_CHUNK_BYTES) per statement into one reused buffer, so a download
 * holds about one chunk in memory whatever the file's size.  Exactly size
 * bytes, or -1 (logged) as soon as a row is missing, of the wrong length,
 * the database fails or the client goes away.  0 when all were written. */
int att_send(long long id, long long size, resp_writer w, void *wctx);
/* Every stored file checked against its SHA-256 (biaogan-admin files
 * verify, after a restore above all): each attachment's bytes read back as
 * a download reads them (att_send, one chunk at a time) and hashed.  files
 * and bytes count what was checked; bad the files whose bytes are missing,
 * short or of another hash, the first ATT_VERIFY_LISTED of them in
 * bad_ids.  Read-only.  Returns a db_status. */
#define ATT_VERIFY_LISTED 20
struct att_verify {
	long long files, bytes, bad;
	long long bad_ids[ATT_VERIFY_LISTED];
};
int att_verify_all(struct att_verify *v);
/* The name a download is served under: the stored name with the extension
 * of its verified type mime, ".pdf" (application/pdf), ".jpg" (image/jpeg;
 * ".jpeg" is kept too) or ".png" (image/png), whatever the uploader called
 * it: another extension (a last ".xyz" of 1 to 8 ASCII letters and digits)
 * is replaced, none gets one.  Any other type: the name as it is.
 * malloc'ed. */
char *att_download_name(const char *name, const char *mime);
/* The audit record of a download ("attachment.download"), committed on its
 * own; a download is not sent unless this returns DB_OK. */
int att_audit_read(const struct actor *who, json_object *meta);
/* Deletes file att_id of application app_id in one transaction under the
 * application's row lock, with an "attachment.delete" audit record.
 * DB_OK, APP_E_NOT_FOUND (no such file of that application),
 * APP_E_NOT_EDITABLE, APP_E_CLOSED or a db_status. */
int att_delete(const struct actor *who, long long app_id, long long att_id);

#endif
