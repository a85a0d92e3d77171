/* experts_cli: the operator commands "biaogan-admin experts ..." (issue 11).
 * biaogan-admin's main has loaded the configuration and passes its argv from
 * the command word on, so argv[0] is "experts".
 *
 *   experts import FILE                           a CSV file as the page
 *                                                 /experts/import takes it (the
 *                                                 same check and the same one
 *                                                 transaction: experts_import.h)
 *   experts suspend MOBILE --until DATE --reason TEXT
 *   experts remove MOBILE --reason TEXT
 *   experts reactivate MOBILE --reason TEXT
 *
 * An expert is named by the mobile number it is registered with.  Every
 * change is audited with the role "operator".  Exit status: 0 done; 1
 * database or system failure; 2 bad command line or a bad file (every bad
 * line is listed on stderr, nothing changed); 4 no expert with that mobile
 * number; 5 the change does not start from the expert's status.  Results go
 * to stdout, messages (Chinese) to stderr.
 */
#ifndef BIAOGAN_EXPERTS_CLI_H
#define BIAOGAN_EXPERTS_CLI_H

int experts_cli(int argc, char **argv);

#endif
