/* Unit tests for src/steps/draw/draw.c without a database: the session's
 * table of arrows, the screening of the pool (recusal and rotation), and
 * the verification of a record: a record made by the draw itself passes,
 * and every kind of alteration of it fails. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "steps/draw/draw.h"
#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- the arrows ---- */

static const struct {
	enum draw_state from;
	enum draw_action action;
	bool allowed;
	enum draw_state to;
} arrows[] = {
	{ DS_PREPARING, DA_UPDATE, true, DS_PREPARING },
	{ DS_PREPARING, DA_COMMIT, true, DS_COMMITTED },
	{ DS_PREPARING, DA_PANEL, false, 0 },
	{ DS_PREPARING, DA_REVEAL, false, 0 },
	{ DS_COMMITTED, DA_UPDATE, false, 0 },
	{ DS_COMMITTED, DA_COMMIT, false, 0 },
	{ DS_COMMITTED, DA_PANEL, true, DS_DRAWN },
	{ DS_COMMITTED, DA_REPLACE, false, 0 },
	{ DS_COMMITTED, DA_REVEAL, false, 0 },
	{ DS_DRAWN, DA_PANEL, false, 0 }, /* never two panels */
	{ DS_DRAWN, DA_REPLACE, true, DS_DRAWN },
	{ DS_DRAWN, DA_REVEAL, true, DS_REVEALED },
	{ DS_DRAWN, DA_RATE, false, 0 },
	{ DS_REVEALED, DA_REPLACE, false, 0 }, /* the seed is public: no more draws */
	{ DS_REVEALED, DA_REVEAL, false, 0 },
	{ DS_REVEALED, DA_RATE, true, DS_REVEALED },
	{ DS_REVEALED, DA_UPDATE, false, 0 },
};

START_TEST(arrow)
{
	enum draw_state to = DS_STATES;
	ck_assert_int_eq(draw_next(arrows[_i].from, arrows[_i].action, &to), arrows[_i].allowed);
	if (arrows[_i].allowed)
		ck_assert_int_eq(to, arrows[_i].to);
}
END_TEST

START_TEST(every_pair_in_the_table_or_refused)
{
	/* Exactly the six arrows of draw.h, nothing else. */
	int allowed = 0;
	for (int s = 0; s < DS_STATES; s++)
		for (int a = 0; a < DA_ACTIONS; a++)
			allowed += draw_next((enum draw_state)s, (enum draw_action)a, NULL);
	ck_assert_int_eq(allowed, 6);
}
END_TEST

START_TEST(state_names)
{
	for (int s = 0; s < DS_STATES; s++) {
		ck_assert_int_eq(draw_state_parse(draw_state_name((enum draw_state)s)), s);
		ck_assert(strlen(draw_state_label((enum draw_state)s)) > 0);
	}
	ck_assert_int_eq(draw_state_parse("open"), DS_STATES);
	ck_assert_int_eq(draw_state_parse(NULL), DS_STATES);
	ck_assert_str_eq(draw_exclusion_name(DX_RECUSAL_ORG), "recusal_org");
	ck_assert_str_eq(draw_exclusion_name(DX_RECUSAL_RELATION), "recusal_relation");
	ck_assert_str_eq(draw_exclusion_name(DX_ROTATION), "rotation");
}
END_TEST

/* ---- screening ---- */

START_TEST(screen)
{
	char k[4][LOT_ORG_KEY_MAX + 1];
	ck_assert(lot_org_key("91230100MA1BCDEF2X", "", k[0], sizeof k[0]));
	ck_assert(lot_org_key("", "哈尔滨某某装备有限公司", k[1], sizeof k[1]));
	const char *keys[] = { k[0], k[1] };
	const long long related[] = { 7, 9 }, rotated[] = { 9, 11 };
	struct draw_screen_in in = { keys, 2, related, 2, rotated, 2 };
	size_t which = 99;
	char e[LOT_ORG_KEY_MAX + 1];

	/* Same credit code, typed in lower case. */
	ck_assert(lot_org_key("91230100ma1bcdef2x", "别的名字", e, sizeof e));
	ck_assert_int_eq(draw_screen(&in, 1, e, &which), DX_RECUSAL_ORG);
	ck_assert_uint_eq(which, 0);
	/* No code: the name, with a full-width space and full-width letters. */
	ck_assert(lot_org_key("", " 哈尔滨某某装备\u3000有限公司 ", e, sizeof e));
	ck_assert_int_eq(draw_screen(&in, 2, e, &which), DX_RECUSAL_ORG);
	ck_assert_uint_eq(which, 1);
	/* An expert with a code of another organisation of the same name is
	 * another legal person: no recusal by name. */
	ck_assert(lot_org_key("91230100MA1XXXXX0Y", "哈尔滨某某装备有限公司", e, sizeof e));
	ck_assert_int_eq(draw_screen(&in, 3, e, &which), DX_NONE);
	/* A declared relation; it wins over rotation (9 is in both). */
	ck_assert(lot_org_key("", "东北林业大学", e, sizeof e));
	ck_assert_int_eq(draw_screen(&in, 9, e, &which), DX_RECUSAL_RELATION);
	ck_assert_uint_eq(which, 1);
	ck_assert_int_eq(draw_screen(&in, 11, e, &which), DX_ROTATION);
	ck_assert_int_eq(draw_screen(&in, 12, e, &which), DX_NONE);
	/* Nothing to screen against. */
	struct draw_screen_in none = { NULL, 0, NULL, 0, NULL, 0 };
	ck_assert_int_eq(draw_screen(&none, 1, e, &which), DX_NONE);
}
END_TEST

/* ---- verification ---- */

#define POOL 12
static const char *const orgs[POOL] = {
	"N:哈尔滨工业大学", "N:哈尔滨工业大学", "N:哈尔滨工业大学", "N:东北林业大学",
	"N:东北林业大学",   "C:51230000MJ0000000X", "N:哈尔滨电气集团有限公司",
	"N:黑龙江省标准化研究院", "N:黑龙江大学", "N:哈尔滨工程大学", "N:东北农业大学",
	"N:中国第一重型机械集团公司",
};

static void hex(const unsigned char *b, char out[LOT_HEX_LEN + 1])
{
	lot_hex(b, out);
}

/* A record as draw_record makes it: a panel of 5 and one replacement,
 * computed with the lottery module (the draw's own code path). */
static json_object *make_record(void)
{
	struct lot_candidate cand[POOL];
	bool used[POOL] = { 0 }, on_panel[POOL] = { 0 };
	unsigned char seed[LOT_SEED_BYTES], digest[LOT_DIGEST_BYTES], commitment[LOT_DIGEST_BYTES],
		pub[LOT_DIGEST_BYTES];
	char h[LOT_HEX_LEN + 1];
	size_t picked[5], again;
	struct lot_shortfall sf;
	const char *value = "2026-12-03 福彩3D 4 7 1";

	for (int i = 0; i < POOL; i++) {
		cand[i].expert_id = 10 + 3 * i;
		cand[i].org_key = orgs[i];
	}
	for (int i = 0; i < LOT_SEED_BYTES; i++)
		seed[i] = (unsigned char)(0xA0 + i);
	lot_candidate_digest(cand, POOL, digest);
	lot_commitment(seed, commitment);
	lot_public_digest(value, pub);
	struct lot_draw d = { seed, pub, digest, cand, POOL };
	ck_assert_int_eq(lot_pick(&d, 1, 5, used, on_panel, picked, &sf), LOT_OK);
	on_panel[picked[2]] = false; /* the third cannot attend */
	ck_assert_int_eq(lot_pick(&d, 2, 1, used, on_panel, &again, &sf), LOT_OK);

	json_object *rec = json_object_new_object(), *arr = json_object_new_array();
	json_object *session = json_object_new_object();
	json_object_object_add(session, "panel_size", json_object_new_int64(5));
	json_object_object_add(rec, "session", session);
	hex(commitment, h);
	json_object_object_add(rec, "commitment", json_object_new_string(h));
	hex(seed, h);
	json_object_object_add(rec, "seed", json_object_new_string(h));
	json_object_object_add(rec, "public_value", json_object_new_string(value));
	hex(digest, h);
	json_object_object_add(rec, "candidate_digest", json_object_new_string(h));
	for (int i = 0; i < POOL; i++) {
		json_object *c = json_object_new_object();
		json_object_object_add(c, "expert_id", json_object_new_int64(cand[i].expert_id));
		json_object_object_add(c, "org_key", json_object_new_string(orgs[i]));
		json_object_array_add(arr, c);
	}
	json_object_object_add(rec, "candidates", arr);
	json_object *draws = json_object_new_array(), *d1 = json_object_new_object(),
		    *d2 = json_object_new_object(), *p1 = json_object_new_array(),
		    *p2 = json_object_new_array(), *panel = json_object_new_array();
	for (int i = 0; i < 5; i++)
		json_object_array_add(p1, json_object_new_int64(cand[picked[i]].expert_id));
	json_object_array_add(p2, json_object_new_int64(cand[again].expert_id));
	json_object_object_add(d1, "number", json_object_new_int64(1));
	json_object_object_add(d1, "kind", json_object_new_string("panel"));
	json_object_object_add(d1, "count", json_object_new_int64(5));
	json_object_object_add(d1, "picked", p1);
	json_object_object_add(d2, "number", json_object_new_int64(2));
	json_object_object_add(d2, "kind", json_object_new_string("replacement"));
	json_object_object_add(d2, "count", json_object_new_int64(1));
	json_object_object_add(d2, "replaces", json_object_new_int64(cand[picked[2]].expert_id));
	json_object_object_add(d2, "picked", p2);
	json_object_array_add(draws, d1);
	json_object_array_add(draws, d2);
	json_object_object_add(rec, "draws", draws);
	for (int i = 0; i < 5; i++)
		if (i != 2)
			json_object_array_add(panel, json_object_new_int64(cand[picked[i]].expert_id));
	json_object_array_add(panel, json_object_new_int64(cand[again].expert_id));
	json_object_object_add(rec, "panel", panel);
	return rec;
}

static bool verifies(json_object *rec)
{
	struct buf report = BUF_INIT;
	bool ok = false;
	draw_verify_record(rec, &report, &ok);
	ck_assert(report.len > 0);
	buf_release(&report);
	return ok;
}

static json_object *at(json_object *o, const char *path)
{
	/* "draws.0.picked" style, enough for these tests. */
	char part[32];
	while (*path) {
		size_t n = strcspn(path, ".");
		memcpy(part, path, n);
		part[n] = '\0';
		if (part[0] >= '0' && part[0] <= '9')
			o = json_object_array_get_idx(o, (size_t)strtoul(part, NULL, 10));
		else
			json_object_object_get_ex(o, part, &o);
		path += n + (path[n] == '.');
	}
	return o;
}

START_TEST(record_verifies)
{
	json_object *rec = make_record();
	ck_assert(verifies(rec));
	json_object_put(rec);
}
END_TEST

/* Each alteration of the record must make the verification fail. */
enum alteration {
	ALT_SEED_BIT, ALT_COMMITMENT, ALT_DIGEST, ALT_CANDIDATE_ORG, ALT_CANDIDATE_ORDER,
	ALT_PUBLIC_VALUE, ALT_PICK, ALT_PICK_SWAP, ALT_REPLACEMENT_PICK, ALT_REPLACES,
	ALT_PANEL, ALT_NO_SEED, ALT_DRAW_NUMBER, ALT_COUNT
};

START_TEST(altered_record_fails)
{
	json_object *rec = make_record();
	switch ((enum alteration)_i) {
	case ALT_SEED_BIT: {
		char s[LOT_HEX_LEN + 1];
		snprintf(s, sizeof s, "%s", json_object_get_string(at(rec, "seed")));
		s[63] = s[63] == '0' ? '1' : '0';
		json_object_object_add(rec, "seed", json_object_new_string(s));
		break;
	}
	case ALT_COMMITMENT:
		json_object_object_add(rec, "commitment", json_object_new_string(
			"0000000000000000000000000000000000000000000000000000000000000000"));
		break;
	case ALT_DIGEST:
		json_object_object_add(rec, "candidate_digest", json_object_new_string(
			"1111111111111111111111111111111111111111111111111111111111111111"));
		break;
	case ALT_CANDIDATE_ORG: /* moves an expert to another organisation */
		json_object_object_add(at(rec, "candidates.4"), "org_key",
				       json_object_new_string("N:哈尔滨工业大学"));
		break;
	case ALT_CANDIDATE_ORDER:
		json_object_object_add(at(rec, "candidates.0"), "expert_id", json_object_new_int64(99));
		break;
	case ALT_PUBLIC_VALUE:
		json_object_object_add(rec, "public_value", json_object_new_string("4 7 2"));
		break;
	case ALT_PICK: {
		json_object *p = at(rec, "draws.0.picked");
		long long first = json_object_get_int64(json_object_array_get_idx(p, 0));
		/* Someone not drawn: the first candidate id not picked. */
		for (long long id = 10; id < 10 + 3 * POOL; id += 3) {
			bool in = false;
			for (size_t i = 0; i < json_object_array_length(p); i++)
				in = in || json_object_get_int64(json_object_array_get_idx(p, i)) == id;
			if (!in && id != first) {
				json_object_array_put_idx(p, 0, json_object_new_int64(id));
				break;
			}
		}
		break;
	}
	case ALT_PICK_SWAP: { /* the same experts in another order */
		json_object *p = at(rec, "draws.0.picked");
		long long a = json_object_get_int64(json_object_array_get_idx(p, 0));
		long long b = json_object_get_int64(json_object_array_get_idx(p, 1));
		json_object_array_put_idx(p, 0, json_object_new_int64(b));
		json_object_array_put_idx(p, 1, json_object_new_int64(a));
		break;
	}
	case ALT_REPLACEMENT_PICK: {
		json_object *p = at(rec, "draws.1.picked");
		long long was = json_object_get_int64(json_object_array_get_idx(p, 0));
		json_object_array_put_idx(p, 0, json_object_new_int64(was == 10 ? 13 : 10));
		break;
	}
	case ALT_REPLACES:
		json_object_object_add(at(rec, "draws.1"), "replaces",
				       json_object_new_int64(json_object_get_int64(at(rec, "draws.0.picked.0"))));
		break;
	case ALT_PANEL:
		json_object_array_put_idx(at(rec, "panel"), 0, json_object_new_int64(at(rec, "panel") ? 999 : 0));
		break;
	case ALT_NO_SEED:
		json_object_object_add(rec, "seed", NULL);
		break;
	case ALT_DRAW_NUMBER:
		json_object_object_add(at(rec, "draws.1"), "number", json_object_new_int64(3));
		break;
	case ALT_COUNT:
		break;
	}
	ck_assert_msg(!verifies(rec), "alteration %d passed the verification", _i);
	json_object_put(rec);
}
END_TEST

static Suite *draw_suite(void)
{
	Suite *s = suite_create("draw");
	TCase *tc = tcase_create("pure");
	tcase_add_loop_test(tc, arrow, 0, N(arrows));
	tcase_add_test(tc, every_pair_in_the_table_or_refused);
	tcase_add_test(tc, state_names);
	tcase_add_test(tc, screen);
	tcase_add_test(tc, record_verifies);
	tcase_add_loop_test(tc, altered_record_fails, 0, ALT_COUNT);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (sodium_init() < 0)
		return EXIT_FAILURE;
	SRunner *sr = srunner_create(draw_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
