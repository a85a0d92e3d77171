/* draw_cli: the operator commands "biaogan-admin lottery …" (issue 11).
 * biaogan-admin's main has loaded the configuration and passes its argv
 * from the command word on, so argv[0] is "lottery".
 *
 *   lottery verify SESSION   recompute every draw and replacement of the
 *                            session from its record (docs/lottery.md) and
 *                            say, check by check, whether each matches
 *   lottery export SESSION   print the record as JSON (the export format of
 *                            docs/lottery.md; the seed is null until the
 *                            supervisor has confirmed its reveal)
 *
 * verify reads the seed from the database even before the reveal: it is
 * the operator's check that the record is intact; anyone else checks the
 * exported record after the reveal (docs/lottery.md, "Verifying").
 *
 * Exit status: 0 done (verify: every check matches); 1 database or system
 * failure; 2 bad command line; 4 no such session, or no record yet (not
 * committed); 5 verify: a check does not match (the record was altered).
 */
#ifndef BIAOGAN_DRAW_CLI_H
#define BIAOGAN_DRAW_CLI_H

int draw_cli_lottery(int argc, char **argv);

#endif
