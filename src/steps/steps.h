/* steps: one folder per workflow step, with its model (tables and
 * statements, one transaction and audit record per change) and its pages
 * (the handlers a cgi-bin program's page table names).
 *
 *   accounts/  accounts, login and password, the audit log viewer
 *   calendar/  the working-day calendar in the database, its pages and CLI
 *   rounds/    the yearly selection rounds
 *   intake/    enterprise registration, the application, its attachments,
 *              the credit-code exceptions
 *   files/     downloads of an application's files
 *   home/      each role's home page (what needs the user's action)
 *   recommend/ the city bureaus' review, decisions and batch; the
 *              province's view, reopening and extensions; credit checks
 *   draw/      review sessions, the supervised expert draw, its record,
 *              verification and export (lottery CLI)
 *   experts/   the expert pool: experts, their relations, status, account,
 *              the CSV import
 *   review/    the panel's review: declarations, score sheets, the chair's
 *              conclusions, the members' answers, the score sheets' export
 *   publicity/ the proposed list, its publicity, the public's objections
 *              and their handling; public announcements
 *   publish/   approval, the year's benchmarks and certificates, the public
 *              lists and open data, the national recommendation
 *   manage/    the titles' dynamic management: revocation and reinstatement
 *              with their announcements, national titles, the
 *              experience-exchange activities and who took part
 *   notify/    the notices of events that need someone, each user's inbox,
 *              the deadline reminders and the mail queue (biaogan-admin mail)
 *
 * Include rule (scripts/check-layers): a step includes core, rules, its own
 * folder, and another step only through that step's interface: its model
 * headers (never a *_pages.h), and only along the edges listed below.
 *
 *   intake   -> accounts   users.h: the account made at registration, cities
 *   rounds   -> accounts   users.h: the cities and their quotas
 *   files    -> intake     attachments.h, application.h: the file and who
 *                          may see it
 *   home     -> any step   each step's model: home lists what awaits the user
 *   recommend -> intake    application.h, attachments.h, app_status.h: the
 *                          application shown in full, its status moved
 *   recommend -> rounds    rounds.h: the round, its deadline and quotas
 *   recommend -> accounts  users.h: the cities
 *   draw     -> intake     app_status.h: the applications go to review;
 *                          application.h: the search (APP_MATCHES_SQL)
 *   draw     -> rounds     rounds.h: the rounds of the session form
 *   draw     -> accounts   users.h: the supervisor's confirmation
 *   experts  -> accounts   users.h: the expert's account (users_insert)
 *   review   -> intake     application.h, attachments.h, app_status.h: the
 *                          application and its files shown to the panel,
 *                          its status moved by the conclusions
 *   review   -> accounts   users.h: the member's password on the declaration
 *   publicity -> intake    app_status.h, application.h, attachments.h: the
 *                          list's applications moved, labelled; the
 *                          objection's attachment stored and sent
 *   publicity -> recommend recommend.h: the credit checks (第十二条)
 *   publicity -> calendar  calendar_db.h: the period's working days
 *   publish  -> publicity  announce.h: the list's announcement
 *   publish  -> intake     app_status.h, application.h, attachments.h: the
 *                          benchmarks' status; the national package's
 *                          applications and files
 *   manage   -> publish    publish.h: the status labels of a benchmark
 *   manage   -> publicity  announce.h: a decision's announcement
 *   manage   -> intake     app_status.h, application.h, attachments.h: the
 *                          application's status moved (LC_REVOKE,
 *                          LC_REINSTATE), the report's scope labels, the
 *                          decision document stored and sent
 *
 *   intake   -> notify     notify.h: each status move tells the enterprise
 *                          or its city bureau (notify_app_move)
 *   recommend -> notify    notify.h: a batch submitted, reopened, extended
 *   draw     -> notify     notify.h: an expert drawn or replaced
 *   review   -> notify     notify.h: all scores in; the scoring reminders
 *   publicity -> notify    notify.h: an objection received
 *   notify   -> calendar   calendar_db.h: the working days to a deadline
 *
 * intake's app_reapply_ban reads the benchmark's status columns (a bar on
 * applying again, 第十六条) without including manage: a read of public
 * facts, not a dependency on the step that writes them.
 *
 * Pages headers (*_pages.h) are included only by cgi-bin programs.
 *
 * This header declares nothing: it is the folder's table of contents.
 */
#ifndef BIAOGAN_STEPS_H
#define BIAOGAN_STEPS_H
#endif
