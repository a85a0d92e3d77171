/* announce: public announcements (公告) and their archive.
 *
 * Owns the table announcement (sql/021_publicity.sql): what the province
 * announces to the public, never changed once written (a trigger refuses
 * it): a publicity started (publicity.h), a year's list published
 * (publish.h), a title revoked or reinstated (issue 14).  Each states only
 * what may be public and links to the page it announces.  announce_add runs
 * inside the caller's transaction, whose audit record covers it.
 */
#ifndef BIAOGAN_ANNOUNCE_H
#define BIAOGAN_ANNOUNCE_H

#include <stdbool.h>

#include <json-c/json.h>

#define ANNOUNCE_PAGE_SIZE 20

/* kind: "publicity", "publication", "revocation", "reinstatement"; link: a
 * local path ("/publish/list?year=2026").  DB_OK with *id, or a db_status. */
int announce_add(const char *kind, int year, const char *title, const char *body,
		 const char *link, long long *id);
/* Newest first: id, kind, kind_label, year, title, link, published_at,
 * published_at_zh.  ANNOUNCE_PAGE_SIZE per page (from 1). */
int announce_list(long long page, json_object **rows, bool *more);
/* The newest n with their bodies (feeds). */
int announce_recent(long long n, json_object **rows);
/* One with its body; *row NULL when none. */
int announce_get(long long id, json_object **row);
/* "公示", "名单发布", "撤销称号", "恢复称号"; "公告" otherwise. */
const char *announce_kind_label(const char *kind);

#endif
