/* micro: the in-process micro-benchmarks of bench/run, and the one step of
 * its seeding that must be the real code (the expert draws of the current
 * round).  Links src/libbiaogan.a; built by "make bench", never by "make"
 * or "make check".
 *
 *   micro workdays CALENDAR.csv [SECONDS]
 *       calendar_publicity_end (5 working days) from starts spread over the
 *       loaded years, as many as fit in SECONDS (default 1)
 *   micro render TEMPLATES_DIR [SECONDS]
 *       html_render of the annual list (publish_list, 100 rows) inside the
 *       layout, as publish_page_list renders it
 *   micro multipart [MIB] [SECONDS]
 *       the streaming parser over a body with the CSRF field and one file of
 *       MIB MiB (default 10), fed in 64 KiB pieces as core/mpform.c reads them
 *   micro draw OPERATOR_ID SUPERVISOR_ID SESSIONS
 *       in the configured database (BIAOGAN_CONF; BENCH_DB_NAME overrides
 *       db_name): for each of SESSIONS review sessions in state preparing,
 *       draw_commit (screening of the pool with recusals, the candidate
 *       list, the seed: one transaction) and draw_panel (the draw: one
 *       transaction); then the pure parts alone on the last one: the
 *       screening (draw_screen over the pool) and lot_pick of the panel
 *   micro seed-draw OPERATOR_ID SUPERVISOR_ID SESSION_ID PUBLIC_VALUE
 *                   [T_COMMIT T_PANEL T_REVEAL]
 *       commit (the public source announced), panel (with PUBLIC_VALUE) and
 *       reveal of one session: how bench/seed.py makes the current round's
 *       panels, so that their record is the program's own and verifies.
 *       T_*: Unix times the connection's NOW() is set to (SET timestamp)
 *       for each step, so the record and its audit rows carry the dates of
 *       the seeded history rather than the day of the seeding
 *
 * Every result is one line "RESULT <name> <value> <unit> <what>" on stdout
 * (bench/run reads those); anything else is for people.  Exit 0, or 1 when
 * something failed (said on stderr). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <sodium.h>

#include "core/audit.h"
#include "core/buf.h"
#include "core/civil_date.h"
#include "core/config.h"
#include "core/db.h"
#include "core/html.h"
#include "core/log.h"
#include "core/multipart.h"
#include "rules/calendar.h"
#include "rules/lottery.h"
#include "steps/draw/draw.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double arg_double(const char *s, double dflt)
{
	char *end;
	double v;
	if (!s)
		return dflt;
	errno = 0;
	v = strtod(s, &end);
	return errno || end == s || *end || v <= 0 ? dflt : v;
}

static long long arg_ll(const char *s)
{
	char *end;
	long long v;
	errno = 0;
	v = strtoll(s, &end, 10);
	return errno || end == s || *end ? -1 : v;
}

/* ---- working days ---- */

static int bench_workdays(int argc, char **argv)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT;
	double seconds = arg_double(argc > 3 ? argv[3] : NULL, 1.0);
	if (argc < 3 || calendar_load_csv(&cal, argv[2], &err)) {
		fprintf(stderr, "micro workdays: cannot load %s: %s\n", argc < 3 ? "(none)" : argv[2],
			err.data ? err.data : "");
		buf_release(&err);
		return 1;
	}
	buf_release(&err);
	if (!cal.nyears) {
		fputs("micro workdays: no year loaded\n", stderr);
		return 1;
	}
	/* Starts over every loaded year but its last 3 weeks (a period from
	 * there would need the next year, which is refused, not computed). */
	int32_t first = civil_from_ymd(cal.years[0], 1, 1);
	int32_t last = civil_from_ymd(cal.years[cal.nyears - 1], 12, 10);
	size_t nstarts = 4096;
	int32_t *starts = malloc(nstarts * sizeof *starts);
	if (!starts)
		return 1;
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < nstarts; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		starts[i] = first + (int32_t)(x % (uint32_t)(last - first));
	}
	long long n = 0, refused = 0;
	int64_t sink = 0;
	double t0 = now_s(), t;
	do {
		for (size_t i = 0; i < nstarts; i++) {
			int32_t end;
			if (calendar_publicity_end(&cal, starts[i], CALENDAR_PUBLICITY_DAYS, &end, NULL))
				refused++;
			else
				sink += end;
		}
		n += (long long)nstarts;
		t = now_s() - t0;
	} while (t < seconds);
	printf("RESULT workdays_per_s %.0f 1/s calendar_publicity_end(start, 5): %lld computations"
	       " in %.3f s, %lld refused (checksum %lld)\n",
	       (double)n / t, n, t, refused, (long long)(sink % 1000));
	free(starts);
	calendar_release(&cal);
	return refused ? 1 : 0;
}

/* ---- the renderer ---- */

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

static const char *const cities[] = { "哈尔滨市", "齐齐哈尔市", "鸡西市", "鹤岗市", "双鸭山市",
				      "大庆市", "伊春市", "佳木斯市", "七台河市", "牡丹江市",
				      "黑河市", "绥化市", "大兴安岭地区" };
static const char *const scopes[] = { "（一）制造业企业", "（二）服务业企业",
				      "（三）建筑业企业", "（四）中小企业",
				      "（五）其他组织" };

/* What publish_page_list puts in c->data for a year of `rows` benchmarks,
 * with the layout's part (user, navigation) as app.c adds it. */
static json_object *list_data(int rows)
{
	json_object *d = json_object_new_object(), *list = json_object_new_array();
	char buf[256];
	for (int i = 1; i <= rows; i++) {
		json_object *r = json_object_new_object();
		snprintf(buf, sizeof buf, "HLJZLBG-2025-%03d", i);
		json_object_object_add(r, "cert_no", jstr(buf));
		snprintf(buf, sizeof buf, "黑龙江省%s示范精密制造第%d有限公司", cities[i % 13], i);
		json_object_object_add(r, "enterprise_name", jstr(buf));
		json_object_object_add(r, "city_name", jstr(cities[i % 13]));
		json_object_object_add(r, "scope_label", jstr(scopes[i % 5]));
		snprintf(buf, sizeof buf, "以卓越绩效模式驱动的全过程质量提升与数字化质量管控实践（%d）", i);
		json_object_object_add(r, "title", jstr(buf));
		json_object_object_add(r, "status", jstr("valid"));
		json_object_object_add(r, "status_label", jstr("有效"));
		json_object_object_add(r, "national", json_object_new_boolean(i % 20 == 0));
		json_object_object_add(r, "revoked", json_object_new_boolean(0));
		json_object_array_add(list, r);
	}
	json_object_object_add(d, "year", json_object_new_int(2025));
	json_object_object_add(d, "is_province", json_object_new_boolean(0));
	json_object_object_add(d, "list_title", jstr("2025年度黑龙江省质量标杆名单"));
	json_object_object_add(d, "benchmarks", list);
	json_object_object_add(d, "title", jstr("2025年度黑龙江省质量标杆名单"));
	return d;
}

static int bench_render(int argc, char **argv)
{
	double seconds = arg_double(argc > 3 ? argv[3] : NULL, 1.0);
	struct buf out = BUF_INIT, body = BUF_INIT, err = BUF_INIT;
	if (argc < 3) {
		fputs("micro render: TEMPLATES_DIR missing\n", stderr);
		return 1;
	}
	html_set_dir(argv[2]);
	json_object *d = list_data(100);
	long long n = 0;
	size_t bytes = 0;
	double t0 = now_s(), t;
	do {
		buf_reset(&body);
		buf_reset(&out);
		if (html_render(&body, "publish_list", d, NULL, &err) ||
		    html_render(&out, "layout", d, body.data, &err)) {
			fprintf(stderr, "micro render: %s\n", err.data ? err.data : "?");
			return 1;
		}
		bytes = out.len;
		n++;
		t = now_s() - t0;
	} while (t < seconds);
	printf("RESULT render_us %.1f us publish_list (100 rows) in the layout: %zu bytes a page,"
	       " %.0f pages/s, %.1f MiB/s of HTML\n",
	       t / (double)n * 1e6, bytes, (double)n / t, (double)n * (double)bytes / t / 1048576.0);
	json_object_put(d);
	buf_release(&out);
	buf_release(&body);
	buf_release(&err);
	return 0;
}

/* ---- the multipart parser ---- */

struct mp_count {
	size_t parts, bytes;
};

static int on_data(void *ctx, const struct mp_part *p, const char *data, size_t len)
{
	(void)p;
	(void)data;
	((struct mp_count *)ctx)->bytes += len;
	return 0;
}

static int on_end(void *ctx, const struct mp_part *p)
{
	(void)p;
	((struct mp_count *)ctx)->parts++;
	return 0;
}

static int bench_multipart(int argc, char **argv)
{
	double mib = arg_double(argc > 2 ? argv[2] : NULL, 10.0);
	double seconds = arg_double(argc > 3 ? argv[3] : NULL, 1.0);
	size_t file = (size_t)(mib * 1048576.0);
	static const char boundary[] = "----benchBoundary7MA4YWxkTrZu0gW";
	struct buf body = BUF_INIT;
	buf_addf(&body, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%064d\r\n"
			"--%s\r\nContent-Disposition: form-data; name=\"file_experience\";"
			" filename=\"典型经验材料.pdf\"\r\nContent-Type: application/pdf\r\n\r\n",
		 boundary, 0, boundary);
	size_t head = body.len;
	char *junk = malloc(file);
	if (!junk)
		return 1;
	randombytes_buf(junk, file); /* CRs and dashes at random, as in a real PDF */
	buf_add(&body, junk, file);
	free(junk);
	buf_addf(&body, "\r\n--%s--\r\n", boundary);
	(void)head;
	struct mp_limits lim = { 20, 16384, 65536, 100u << 20, 101u << 20, 1024 };
	struct mp_callbacks cb = { NULL, on_data, on_end };
	const size_t chunk = 64 * 1024;
	double *runs = NULL;
	size_t nruns = 0, cap = 0;
	double t0 = now_s();
	do {
		struct mp_count cnt = { 0, 0 };
		double t1 = now_s();
		struct mp_parser *p = mp_parser_new(boundary, &lim, &cb, &cnt);
		enum mp_err e = MP_OK;
		for (size_t off = 0; e == MP_OK && off < body.len; off += chunk)
			e = mp_feed(p, body.data + off, body.len - off < chunk ? body.len - off : chunk);
		if (e == MP_OK)
			e = mp_finish(p);
		mp_parser_free(p);
		if (e != MP_OK || cnt.parts != 2 || cnt.bytes != file + 64) {
			fprintf(stderr, "micro multipart: %s, %zu parts, %zu bytes\n", mp_errname(e),
				cnt.parts, cnt.bytes);
			return 1;
		}
		if (nruns == cap) {
			cap = cap ? 2 * cap : 64;
			double *r = realloc(runs, cap * sizeof *runs);
			if (!r)
				return 1;
			runs = r;
		}
		runs[nruns++] = now_s() - t1;
	} while (now_s() - t0 < seconds || nruns < 3);
	double m = median(runs, nruns);
	printf("RESULT multipart_mibs %.0f MiB/s mp_feed of a %.0f MiB file in 64 KiB pieces:"
	       " median %.2f ms a body over %zu bodies\n",
	       (double)body.len / 1048576.0 / m, mib, m * 1e3, nruns);
	free(runs);
	buf_release(&body);
	return 0;
}

/* ---- the expert draw, with its transactions ---- */

static const char SQL_PREPARING[] =
	"SELECT id FROM review_session WHERE state = 'preparing' ORDER BY id LIMIT ?";
static const char SQL_CANDS[] =
	"SELECT expert_id, org_key FROM draw_candidate WHERE session_id = ? ORDER BY position";
static const char SQL_POOL[] = "SELECT id, org_key FROM expert WHERE status = 'active' ORDER BY id";
static const char SQL_APPLICANTS[] =
	"SELECT e.uscc, e.name FROM review_session_application x"
	" JOIN application a ON a.id = x.application_id JOIN enterprise e ON e.id = a.enterprise_id"
	" WHERE x.session_id = ? ORDER BY a.id";
static const char SQL_RELATED[] =
	"SELECT DISTINCT r.expert_id FROM expert_relation r JOIN enterprise e ON e.uscc = r.uscc"
	" JOIN application a ON a.enterprise_id = e.id"
	" JOIN review_session_application x ON x.application_id = a.id WHERE x.session_id = ?";
static const char SQL_COUNTS[] =
	"SELECT (SELECT COUNT(*) FROM draw_candidate WHERE session_id = ?) AS candidates,"
	" (SELECT COUNT(*) FROM draw_exclusion WHERE session_id = ?) AS excluded,"
	" (SELECT COUNT(*) FROM review_session_application WHERE session_id = ?) AS apps,"
	" (SELECT COUNT(*) FROM expert) AS pool";

static int connect_db(void)
{
	struct buf err = BUF_INIT;
	const char *name = getenv("BENCH_DB_NAME");
	if (config_load(NULL, &err)) {
		fprintf(stderr, "micro: cannot read the configuration: %s\n", err.data ? err.data : "");
		buf_release(&err);
		return 1;
	}
	buf_release(&err);
	if (name && *name)
		config_set("db_name", name);
	if (db_ensure() != DB_OK) {
		fputs("micro: cannot connect to the database\n", stderr);
		return 1;
	}
	return 0;
}

static const char *draw_error(int rc)
{
	switch (rc) {
	case DRAW_E_NOT_FOUND: return "no such session";
	case DRAW_E_STATE: return "wrong state";
	case DRAW_E_SHORT: return "candidates short";
	case DRAW_E_APPS: return "applications not with the province";
	case DRAW_E_PUBLIC: return "public value";
	default: return "database error";
	}
}

/* The pure parts of the last session: the screening of the pool and the
 * panel's lot_pick, without the database. */
static int pure_parts(long long sid, int panel)
{
	json_object *pool = NULL, *apps = NULL, *rel = NULL, *cands = NULL;
	int rc = db_query(&pool, SQL_POOL, "");
	if (rc == DB_OK)
		rc = db_query(&apps, SQL_APPLICANTS, "i", sid);
	if (rc == DB_OK)
		rc = db_query(&rel, SQL_RELATED, "i", sid);
	if (rc == DB_OK)
		rc = db_query(&cands, SQL_CANDS, "i", sid);
	if (rc != DB_OK) {
		fputs("micro draw: reading the session back failed\n", stderr);
		return 1;
	}
	size_t napps = json_object_array_length(apps), npool = json_object_array_length(pool);
	size_t nrel = json_object_array_length(rel), ncand = json_object_array_length(cands);
	char(*keys)[LOT_ORG_KEY_MAX + 1] = calloc(2 * napps + 1, sizeof *keys);
	const char **akeys = calloc(2 * napps + 1, sizeof *akeys);
	long long *related = calloc(nrel + 1, sizeof *related);
	struct lot_candidate *cand = calloc(ncand + 1, sizeof *cand);
	bool *used = calloc(ncand + 1, 1), *on = calloc(ncand + 1, 1);
	size_t *picked = calloc((size_t)panel, sizeof *picked);
	if (!keys || !akeys || !related || !cand || !used || !on || !picked)
		return 1;
	for (size_t i = 0; i < napps; i++) {
		json_object *a = json_object_array_get_idx(apps, i);
		akeys[2 * i] = lot_org_key(db_str(a, "uscc", ""), "", keys[2 * i], sizeof keys[2 * i])
				       ? keys[2 * i] : NULL;
		akeys[2 * i + 1] = lot_org_key("", db_str(a, "name", ""), keys[2 * i + 1],
					       sizeof keys[2 * i + 1]) ? keys[2 * i + 1] : NULL;
	}
	for (size_t i = 0; i < nrel; i++)
		related[i] = db_int(json_object_array_get_idx(rel, i), "expert_id", 0);
	struct draw_screen_in in = { akeys, 2 * napps, related, nrel, NULL, 0 };
	size_t kept = 0;
	double runs[64];
	for (int r = 0; r < 64; r++) {
		double t = now_s();
		kept = 0;
		for (size_t i = 0; i < npool; i++) {
			json_object *e = json_object_array_get_idx(pool, i);
			size_t which;
			kept += draw_screen(&in, db_int(e, "id", 0), db_str(e, "org_key", ""), &which) ==
				DX_NONE;
		}
		runs[r] = now_s() - t;
	}
	printf("RESULT draw_screen_us %.0f us draw_screen of the pool (%zu experts, %zu applicant keys,"
	       " %zu declared relations): %zu candidates\n",
	       median(runs, 64) * 1e6, npool, 2 * napps, nrel, kept);

	for (size_t i = 0; i < ncand; i++) {
		json_object *c = json_object_array_get_idx(cands, i);
		cand[i].expert_id = db_int(c, "expert_id", 0);
		cand[i].org_key = db_str(c, "org_key", "");
	}
	unsigned char seed[LOT_SEED_BYTES], pub[LOT_DIGEST_BYTES], digest[LOT_DIGEST_BYTES];
	randombytes_buf(seed, sizeof seed);
	lot_public_digest(NULL, pub);
	double t = now_s();
	lot_candidate_digest(cand, ncand, digest);
	double tdigest = now_s() - t;
	struct lot_draw d = { seed, pub, digest, cand, ncand };
	double picks[200];
	for (int r = 0; r < 200; r++) {
		memset(used, 0, ncand);
		memset(on, 0, ncand);
		seed[0] = (unsigned char)r;
		t = now_s();
		int lr = lot_pick(&d, 1, (size_t)panel, used, on, picked, NULL);
		picks[r] = now_s() - t;
		if (lr != LOT_OK) {
			fprintf(stderr, "micro draw: lot_pick %d\n", lr);
			return 1;
		}
	}
	printf("RESULT lot_pick_us %.0f us lot_pick of a panel of %d from %zu candidates"
	       " (with lot_check_list and the digest check inside; the digest alone %.0f us)\n",
	       median(picks, 200) * 1e6, panel, ncand, tdigest * 1e6);
	free(keys);
	free(akeys);
	free(related);
	free(cand);
	free(used);
	free(on);
	free(picked);
	json_object_put(pool);
	json_object_put(apps);
	json_object_put(rel);
	json_object_put(cands);
	return 0;
}

static int bench_draw(int argc, char **argv)
{
	if (argc < 5) {
		fputs("micro draw OPERATOR_ID SUPERVISOR_ID SESSIONS\n", stderr);
		return 1;
	}
	long long op = arg_ll(argv[2]), sup = arg_ll(argv[3]), want = arg_ll(argv[4]);
	if (op < 1 || sup < 1 || want < 1 || connect_db())
		return 1;
	json_object *ids = NULL;
	if (db_query(&ids, SQL_PREPARING, "i", want) != DB_OK)
		return 1;
	size_t n = json_object_array_length(ids);
	if (n < (size_t)want) {
		fprintf(stderr, "micro draw: %zu sessions in state preparing, %lld needed\n", n, want);
		return 1;
	}
	struct actor who = { op, "benchadmin", "province", "127.0.0.1" };
	double *commit = calloc(n, sizeof *commit), *panel = calloc(n, sizeof *panel);
	if (!commit || !panel)
		return 1;
	long long last = 0;
	json_object *counts = NULL;
	for (size_t i = 0; i < n; i++) {
		long long sid = db_int(json_object_array_get_idx(ids, i), "id", 0);
		struct lot_shortfall why;
		db_request_start();
		double t0 = now_s();
		int rc = draw_commit(&who, sid, "", &why);
		double t1 = now_s();
		if (rc == DB_OK)
			rc = draw_panel(&who, sid, sup, "", &why);
		double t2 = now_s();
		if (rc != DB_OK) {
			fprintf(stderr, "micro draw: session %lld: %s (%d)\n", sid, draw_error(rc), rc);
			return 1;
		}
		commit[i] = t1 - t0;
		panel[i] = t2 - t1;
		last = sid;
	}
	if (db_query_row(&counts, SQL_COUNTS, "iii", last, last, last) != DB_OK || !counts)
		return 1;
	double both[256];
	size_t nb = n < 256 ? n : 256;
	for (size_t i = 0; i < nb; i++)
		both[i] = commit[i] + panel[i];
	printf("RESULT draw_panel_ms %.2f ms draw_panel: the draw of a panel of 9 with its transaction"
	       " (lock, the committed list read back, lot_pick, the picks and the audit record),"
	       " median of %zu sessions\n",
	       median(panel, n) * 1e3, n);
	printf("RESULT draw_commit_ms %.1f ms draw_commit: the pool screened (%lld experts, %lld"
	       " applications, recusals by organisation and declared relation: %lld excluded),"
	       " %lld candidates and the seed fixed, one transaction; median of %zu sessions\n",
	       median(commit, n) * 1e3, db_int(counts, "pool", 0), db_int(counts, "apps", 0),
	       db_int(counts, "excluded", 0), db_int(counts, "candidates", 0), n);
	printf("RESULT draw_total_ms %.1f ms commit + panel, median of %zu sessions\n",
	       median(both, nb) * 1e3, nb);
	json_object_put(counts);
	json_object_put(ids);
	free(commit);
	free(panel);
	int rc = pure_parts(last, 9);
	db_close();
	config_release();
	return rc;
}

static const char SQL_SET_TIME[] = "SET timestamp = ?";

static int seed_draw(int argc, char **argv)
{
	if (argc < 6) {
		fputs("micro seed-draw OPERATOR_ID SUPERVISOR_ID SESSION_ID PUBLIC_VALUE\n", stderr);
		return 1;
	}
	long long op = arg_ll(argv[2]), sup = arg_ll(argv[3]), sid = arg_ll(argv[4]);
	if (op < 1 || sup < 1 || sid < 1 || connect_db())
		return 1;
	struct actor who = { op, "admin", "province", "10.12.3.45" };
	struct lot_shortfall why;
	long long at[3] = { 0, 0, 0 };
	for (int i = 0; i < 3 && argc > 6 + i; i++)
		at[i] = arg_ll(argv[6 + i]);
	int rc = at[0] > 0 ? db_exec(SQL_SET_TIME, "i", at[0]) : DB_OK;
	if (rc == DB_OK)
		rc = draw_commit(&who, sid, "评审会当日中国福利彩票“福彩3D”开奖号码", &why);
	if (rc == DB_OK && at[1] > 0)
		rc = db_exec(SQL_SET_TIME, "i", at[1]);
	if (rc == DB_OK)
		rc = draw_panel(&who, sid, sup, argv[5], &why);
	if (rc == DB_OK && at[2] > 0)
		rc = db_exec(SQL_SET_TIME, "i", at[2]);
	if (rc == DB_OK)
		rc = draw_reveal(&who, sid, sup);
	if (rc != DB_OK) {
		fprintf(stderr, "micro seed-draw: session %lld: %s (%d; needed %zu, capacity %zu)\n", sid,
			draw_error(rc), rc, why.needed, why.capacity);
		return 1;
	}
	db_close();
	config_release();
	return 0;
}

int main(int argc, char **argv)
{
	log_init("bench-micro");
	if (sodium_init() < 0)
		return 1;
	if (argc >= 2 && !strcmp(argv[1], "workdays"))
		return bench_workdays(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "render"))
		return bench_render(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "multipart"))
		return bench_multipart(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "draw"))
		return bench_draw(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "seed-draw"))
		return seed_draw(argc, argv);
	fputs("usage: micro workdays|render|multipart|draw|seed-draw ... (see bench/micro.c)\n", stderr);
	return 2;
}
