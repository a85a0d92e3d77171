/* calendar_cli: the operator commands "biaogan-admin workdays …" and
 * "biaogan-admin calendar …" (issue 3).  biaogan-admin's main has loaded the
 * configuration and passes its argv from the command word on, so argv[0] is
 * "workdays" or "calendar".
 *
 *   workdays end START N [--calendar FILE.csv]   N-th working day of a period
 *                                                starting START (publicity rule)
 *   workdays count FROM TO [--calendar FILE.csv] working days in [FROM, TO]
 *   calendar import FILE [--replace]             replace the years in FILE
 *   calendar export YEAR                         that year's rows as CSV
 *   calendar years                               loaded years
 *
 * Without --calendar the calendar comes from the database.  `calendar
 * import` refuses to delete dates an already-loaded year has and the file
 * lacks (a mistyped year in the file would otherwise wipe that year) unless
 * --replace is given.
 *
 * Exit status: 0 done; 1 database or system failure; 2 bad command line,
 * bad date, N < 1 or a bad calendar file (nothing changed); 3 the answer
 * needs a year whose arrangement is not loaded.  Results go to stdout,
 * messages (Chinese) to stderr.
 */
#ifndef BIAOGAN_CALENDAR_CLI_H
#define BIAOGAN_CALENDAR_CLI_H

enum {
	CALENDAR_CLI_OK = 0,
	CALENDAR_CLI_FAIL = 1,
	CALENDAR_CLI_USAGE = 2,
	CALENDAR_CLI_NO_YEAR = 3,
};

int calendar_cli_workdays(int argc, char **argv);
int calendar_cli_calendar(int argc, char **argv);

#endif
