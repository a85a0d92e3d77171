/* rules: the measures' rules that are pure functions of their input.
 *
 * Owns the working-day arithmetic and the publicity deadline (calendar), the
 * unified social credit code (uscc, GB 32100) and the SME classes of the
 * 2011 standard (sme); and the expert draw (lottery).  No database, no request, no
 * session: each module is unit-tested and fuzzed on its own.
 *
 * Include rule (scripts/check-layers): a rules file includes rules headers,
 * core's small utilities only (core/buf.h, core/utf8.h, core/civil_date.h,
 * core/banned.h), and system or package headers.
 *
 * This header declares nothing: it is the folder's table of contents.
 */
#ifndef BIAOGAN_RULES_H
#define BIAOGAN_RULES_H
#endif
