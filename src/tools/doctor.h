/* doctor: "biaogan-admin doctor", an installation's check-up in one command.
 *
 * Owns nothing but its checks, each read-only: the configuration (the
 * file's mode, unknown or malformed keys, the sample's password left in,
 * the installed templates and migrations, the spool directory), the
 * database (reachable, utf8mb4, the programs' account's privileges: enough,
 * and no more than docs/deploy.md grants), the migrations (none pending,
 * none changed), the working-day calendar (this year loaded, next year
 * before it is needed), mail (sendmail runs, the queue moves) and the free
 * space where uploads are spooled, the anchors written and MariaDB keeps
 * its data.  Run it with the programs' configuration after an install, an
 * upgrade or a restore; it changes nothing.
 *
 * Each finding is one line on out: "[正常]", "[注意]" (works, but an
 * operator should look) or "[错误]" (something will fail), then a last
 * line with the counts.
 */
#ifndef BIAOGAN_DOCTOR_H
#define BIAOGAN_DOCTOR_H

#include <stdio.h>

/* The exit status of "biaogan-admin doctor" when some check found an error
 * (warnings alone leave it 0). */
#define DOCTOR_EXIT_PROBLEM 6

/* Runs every check (those needing the database are skipped, as errors,
 * when it cannot be reached).  The configuration is config_load's.
 * Returns 0 or DOCTOR_EXIT_PROBLEM. */
int doctor_run(FILE *out);

#endif
