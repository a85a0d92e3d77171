/* config: the process's one configuration, read once at start-up.
 *
 * The file is lines of "key = value"; '#' starts a comment line.  Its path is
 * $BIAOGAN_CONF when set (tests use that), else BIAOGAN_SYSCONF_PATH
 * (/etc/biaogan/biaogan.conf for a system install).  Values live until
 * config_release().  Keys in use:
 *   db_socket, db_host, db_port, db_name, db_user, db_password
 *   templates_dir, sql_dir, cookie_secure (true/false), session_idle_seconds,
 *   max_body_bytes, max_fields, max_field_bytes, upload_max_bytes, upload_tmp_dir,
 *   credit_check_max_age_days, audit_refusals_per_source, audit_refusals_per_minute,
 *   mail_sendmail, mail_from, public_base_url (notify_cli.h); the full list,
 *   checked by "biaogan-admin doctor", is src/tools/doctor.c's
 */
#ifndef BIAOGAN_CONFIG_H
#define BIAOGAN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* Load path (NULL: environment or default).  0 on success; -1 with a message
 * in err (file unreadable, line without '=', duplicate key). */
int config_load(const char *path, struct buf *err);
/* Set one key (tests, command-line overrides). */
void config_set(const char *key, const char *value);
const char *config_str(const char *key, const char *dflt);
/* Checked conversions: a malformed value yields dflt and a log warning. */
long long config_int(const char *key, long long dflt);
bool config_bool(const char *key, bool dflt);
/* The file config_load read, or NULL (none loaded). */
const char *config_path(void);
/* The i-th key in file order, or NULL past the last (doctor: unknown keys). */
const char *config_key_at(size_t i);
void config_release(void);

#endif
