#include "core/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>


#include "core/buf.h"
#include "core/db.h"
#include "core/sha256.h"
#include "core/banned.h"

static const char SQL_CREATE[] =
	"CREATE TABLE IF NOT EXISTS schema_migration ("
	" name VARCHAR(128) NOT NULL PRIMARY KEY,"
	" sha256 CHAR(64) NOT NULL,"
	" applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
static const char SQL_GET[] = "SELECT sha256 FROM schema_migration WHERE name = ?";
static const char SQL_PUT[] = "INSERT INTO schema_migration (name, sha256) VALUES (?, ?)";

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* NNN_*.sql: three digits, an underscore, and .sql. */
static int is_migration(const char *name)
{
	size_t n = strlen(name);
	return n > 8 && name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' &&
	       name[2] >= '0' && name[2] <= '9' && name[3] == '_' && !strcmp(name + n - 4, ".sql");
}

static int list_files(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	*names = NULL;
	*n = 0;
	if (!d) {
		fprintf(stderr, "biaogan-admin: %s: %s\n", dir, strerror(errno));
		return -10;
	}
	while ((e = readdir(d))) {
		if (!is_migration(e->d_name))
			continue;
		*names = xrealloc(*names, (*n + 1) * sizeof **names);
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(*names, *n, sizeof **names, by_name);
	return 0;
}

static int read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t got;
	if (!f) {
		fprintf(stderr, "biaogan-admin: %s: %s\n", path, strerror(errno));
		return -10;
	}
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(out, chunk, got);
	if (ferror(f)) {
		fclose(f);
		fprintf(stderr, "biaogan-admin: %s: read error\n", path);
		return -10;
	}
	fclose(f);
	return 0;
}

static void hex_digest(const struct buf *b, struct buf *hex)
{
	unsigned char h[SHA256_BYTES];
	sha256(h, b->data, b->len);
	buf_addhex(hex, h, sizeof h);
}

/* Modes of walk: apply the pending files; list every file's state; only
 * count (no statement but SELECT: the programs' account may run it). */
enum walk_mode { WALK_APPLY, WALK_LIST, WALK_COUNT };

static int walk(const char *sql_dir, FILE *out, enum walk_mode mode, struct migrate_counts *counts)
{
	char **names;
	size_t n;
	int rc = list_files(sql_dir, &names, &n);
	if (rc)
		return rc;
	if (mode != WALK_COUNT && (rc = db_exec(SQL_CREATE, "")) != DB_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct buf path = BUF_INIT, text = BUF_INIT, hex = BUF_INIT;
		json_object *row = NULL;
		buf_addf(&path, "%s/%s", sql_dir, names[i]);
		rc = read_file(path.data, &text);
		if (rc == 0) {
			hex_digest(&text, &hex);
			rc = db_query_row(&row, SQL_GET, "s", names[i]);
		}
		if (rc == 0 && row) {
			const char *was = db_str(row, "sha256", "");
			if (mode == WALK_COUNT) {
				if (strcmp(was, hex.data)) {
					counts->changed++;
					if (!counts->first_changed[0])
						snprintf(counts->first_changed, sizeof counts->first_changed,
							 "%s", names[i]);
				} else {
					counts->applied++;
				}
			} else if (strcmp(was, hex.data)) {
				fprintf(stderr, "biaogan-admin: %s changed after it was applied; "
						"add a new migration instead\n", names[i]);
				rc = -10;
			} else if (mode == WALK_LIST) {
				fprintf(out, "applied  %s\n", names[i]);
			}
		} else if (rc == 0 && mode == WALK_COUNT) {
			if (!counts->pending++)
				snprintf(counts->first_pending, sizeof counts->first_pending, "%s", names[i]);
		} else if (rc == 0 && mode == WALK_LIST) {
			fprintf(out, "pending  %s\n", names[i]);
		} else if (rc == 0) {
			/* DDL commits implicitly in MariaDB, so files are written to be
			 * re-runnable (IF NOT EXISTS, INSERT IGNORE) in case of a crash
			 * between the script and its record. */
			rc = db_run_script(text.data, text.len);
			if (rc == 0)
				rc = db_exec(SQL_PUT, "ss", names[i], hex.data);
			if (rc == 0)
				fprintf(out, "applied  %s\n", names[i]);
			else
				fprintf(stderr, "biaogan-admin: %s failed (see log above)\n", names[i]);
		}
		json_object_put(row);
		buf_release(&path);
		buf_release(&text);
		buf_release(&hex);
		if (rc)
			break;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int migrate_apply(const char *sql_dir, FILE *out)
{
	return walk(sql_dir, out, WALK_APPLY, NULL);
}

int migrate_status(const char *sql_dir, FILE *out)
{
	return walk(sql_dir, out, WALK_LIST, NULL);
}

int migrate_count(const char *sql_dir, struct migrate_counts *counts)
{
	memset(counts, 0, sizeof *counts);
	return walk(sql_dir, NULL, WALK_COUNT, counts);
}
