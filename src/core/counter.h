/* counter: the database's change counters, on which a worker's caches are
 * keyed (table change_counter, sql/027_change_counters.sql).
 *
 * Triggers bump a counter in the transaction of every change to the tables
 * it stands for, so a cache that read the counter *before* reading its data
 * is stale exactly when the counter has moved since: one primary-key read
 * per request instead of reading the data again.  (Read in that order, a
 * change committed in between makes the cache newer than its counter,
 * never older.)
 *   COUNTER_CALENDAR  the working-day calendar (steps/calendar/calendar_db.h)
 *   COUNTER_PUBLIC    what the public pages show (core/pagecache.h)
 */
#ifndef BIAOGAN_COUNTER_H
#define BIAOGAN_COUNTER_H

enum counter { COUNTER_CALENDAR, COUNTER_PUBLIC };

/* *n: the counter's value now.  Returns a db_status (core/db.h); a missing
 * row (a database not migrated) is DB_ERROR. */
int counter_read(enum counter which, long long *n);

#endif
