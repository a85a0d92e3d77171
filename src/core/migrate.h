/* migrate: applies the numbered SQL files of sql_dir (NNN_name.sql) in order,
 * each once, recording each in schema_migration with its SHA-256.  A file
 * already applied is skipped; one whose content changed since is reported
 * (an applied migration must never be edited: add a new one). */
#ifndef BIAOGAN_MIGRATE_H
#define BIAOGAN_MIGRATE_H

#include <stdio.h>

/* Returns 0 when everything is applied; prints progress to out.
 * Negative: a db_status or -10 for a file problem (message on stderr). */
int migrate_apply(const char *sql_dir, FILE *out);
/* Lists applied and pending migrations. */
int migrate_status(const char *sql_dir, FILE *out);

/* What migrate_apply would find, counted without changing anything (only
 * SELECTs, so the programs' own account may ask: biaogan-admin doctor).
 * No schema_migration table at all is a db_status (nothing applied yet). */
struct migrate_counts {
	size_t applied, pending, changed;
	char first_pending[128], first_changed[128]; /* "" when none */
};
int migrate_count(const char *sql_dir, struct migrate_counts *counts);

#endif
