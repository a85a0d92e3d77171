/* app_status: the one statement that changes application.status.
 *
 * Every step moves an application through app_status_move(), which asks the
 * table of src/rules/lifecycle.h whether the event has an arrow from the
 * state the caller read and whether the actor may cause it, and then runs
 *   UPDATE application SET status = <to> ... WHERE id = ? AND status = <from>
 * so a second tab, a replayed POST or a concurrent change finds the row no
 * longer in <from> and changes nothing.  It runs inside the caller's
 * transaction and writes no audit record: the caller's change has one.
 * Submitting (LC_SUBMIT, LC_RESUBMIT) also stamps submitted_at and
 * updated_at; the other events leave both as they were.  Each move also
 * writes its row of application_event (sql/028), the application's timeline.
 */
#ifndef BIAOGAN_APP_STATUS_H
#define BIAOGAN_APP_STATUS_H

#include <json-c/json.h>
#include "rules/lifecycle.h"

/* Results beside the db_status values (<= 0) and application.h's 1..4. */
#define APP_E_STATE 5 /* no such arrow from the current state for this actor,
                         or the row was no longer in it: nothing changed */

/* Moves application id from state `from` (its status column value) along
 * `event`, when one of the actors in `who` (LC_BY_*) may cause it.  DB_OK,
 * APP_E_STATE, or a db_status.  *to (may be NULL) gets the new state. */
int app_status_move(long long id, const char *from, enum lc_event event, unsigned who,
		    enum lc_state *to);

/* The application's timeline, oldest first: its creation and every move,
 * each row with at, at_zh ("2026年11月25日"), time ("14:30"), label (the
 * event's Chinese name), actor_label (申报企业, <city_name>工信局, 省工信厅,
 * 评审专家组) and status_label (the state it led to).  No person is named:
 * the enterprise sees it too.  *rows: a new array (caller owns it). */
int app_timeline(long long id, const char *city_name, json_object **rows);

#endif
