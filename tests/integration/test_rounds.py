"""The yearly selection round (issue 4, "Selection rounds"): the province
administrator creates, views and edits a round through /admin/rounds*; one
round per year (409), bad dates and bad numbers (422) write nothing, each
change is one audit record, other roles get 403, and once an application
exists only the two deadlines can move.  The scheme's score step (whole or
half points) is chosen, stored, shown and audited with the point maxima.

Every round a test makes is in a year no other round uses (picked at run
time), and is deleted again at the end of the class (the database outlives
runs and there are only 81 possible years)."""

import re
import unittest
import urllib.parse

import bgtest
from bgtest import HARBIN, DAQING, Client, q, sql, sql_value

POINT_4 = "企业质量管理水平达到省内领先水平。"
POINT_10 = "通过应用该管理方法（技术），取得明显的经济效益和社会效益。"
DAXINGANLING = ("232700", "大兴安岭地区")
HALF = "可打半分（如 7.5）"  # score_step_label (rules/scoring.c)


def city_codes():
    return [r[0] for r in sql("SELECT code FROM city WHERE active = 1 ORDER BY sort_order")]


def used_years():
    return {int(r[0]) for r in sql("SELECT year FROM selection_round")}


def round_fields(the_year, **changes):
    """A complete, valid form for the_year: window in spring, deadline a month
    later; changes (field=value) replace or add fields."""
    year = the_year
    f = {
        "year": str(year),
        "title": "",
        "apply_open": "%d-03-01T09:00" % year,
        "apply_close": "%d-05-31T17:00" % year,
        "recommend_deadline": "%d-06-30T17:00" % year,
        "default_quota": "5",
        "score_step": "whole",
    }
    for i in range(1, 11):
        f["max_%d" % i] = "10"
    for code in city_codes():
        f["quota_" + code] = ""
    f.update(changes)
    return f


def step_options(page):
    """{value: selected} of the score step's options (the <option>s right
    after <select name="score_step">), or None without that select."""
    els = page.elements
    start = next((i for i, e in enumerate(els)
                  if e.tag == "select" and e.attrs.get("name") == "score_step"), None)
    if start is None:
        return None
    out = {}
    for e in els[start + 1:]:
        if e.tag != "option":
            break
        out[e.attrs.get("value")] = "selected" in e.attrs
    return out


def stored_step(round_id):
    return sql_value("SELECT score_step FROM selection_round WHERE id = %d" % round_id)


def round_id_of(location):
    u = urllib.parse.urlsplit(location or "")
    return int(urllib.parse.parse_qs(u.query)["id"][0])


def audit_rows(round_id):
    return sql("SELECT action, login, role, summary FROM audit WHERE object_type = 'round'"
               " AND object_id = %s ORDER BY id" % q(str(round_id)))


def round_row(round_id):
    rows = sql("SELECT year, title, apply_open, apply_close, recommend_deadline, default_quota"
               " FROM selection_round WHERE id = %d" % round_id)
    return rows[0] if rows else None


def count_rounds(year):
    return int(sql_value("SELECT COUNT(*) FROM selection_round WHERE year = %d" % year))


# --- a valid credit code for the application test ----------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def make_uscc():
    """A well-formed code (GB 32100 check character, GB 11714 organisation
    code check) for an enterprise of Harbin, random enough to be unique."""
    body = "%08d" % bgtest.RNG.randrange(10 ** 8)
    org_sum = sum(int(c) * w for c, w in zip(body, [3, 7, 9, 10, 5, 8, 4, 2]))
    c9 = 11 - org_sum % 11
    org = body + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))
    code = "91230100" + org
    s = sum(USCC_CHARS.index(c) * w for c, w in zip(code, USCC_WEIGHTS))
    return code + USCC_CHARS[(31 - s % 31) % 31]


class RoundsTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_account = bgtest.province_account()
        cls.admin = bgtest.logged_in(cls.admin_account)
        cls.created = []

    @classmethod
    def tearDownClass(cls):
        # Only rounds no application points at (the application test removes
        # its own draft first).
        for rid in cls.created:
            sql("DELETE FROM selection_round WHERE id = %d AND NOT EXISTS"
                " (SELECT 1 FROM application WHERE round_id = %d)" % (rid, rid))
        super().tearDownClass()

    def free_year(self, candidates=range(2040, 2101)):
        free = sorted(set(candidates) - used_years())
        if not free:
            self.fail("no free year among %s: use a fresh run directory" % candidates)
        return bgtest.RNG.choice(free)

    def create(self, fields, status=303):
        self.admin.get("/admin/rounds/new")
        r = self.admin.post("/admin/rounds/new", fields, csrf=True)
        self.assertStatus(r, status)
        if status == 303:
            self.assertTrue(r.location.startswith("/admin/round?id="), r.location)
            rid = round_id_of(r.location)
            self.created.append(rid)
            return rid, r
        return None, r

    def edit(self, rid, changes, status=303, base=None):
        r = self.admin.get("/admin/round/edit?id=%d" % rid)
        self.assertStatus(r, 200)
        fields = dict(base or {})
        fields.update(changes)
        fields["id"] = str(rid)
        return self.admin.post("/admin/round/edit", fields, csrf=True)

    # --- create and view ---------------------------------------------------

    def test_new_form(self):
        r = self.admin.get("/admin/rounds/new")
        self.assertStatus(r, 200)
        self.assertSecurityHeaders(r, "new round")
        # The annex's ten points in their three groups, each defaulting to 10.
        for text in ("科学性和创新性", "系统性和示范性", "显效性和发展性", POINT_4, POINT_10):
            self.assertIn(text, r.text)
        for i in range(1, 11):
            self.assertEqual(r.page.find("input", name="max_%d" % i).attrs.get("value"), "10")
        # A quota field per city, blank (the default).
        for code in city_codes():
            self.assertEqual(r.page.find("input", name="quota_" + code).attrs.get("value"), "")
        self.assertEqual(r.page.find("input", name="apply_open").attrs.get("type"),
                         "datetime-local")
        year = r.page.find("input", name="year").attrs.get("value")
        self.assertTrue(year and 2020 <= int(year) <= 2100, year)
        # The score step, with its label, in the scheme's fieldset: whole by default.
        self.assertEqual(step_options(r.page), {"whole": True, "half": False})
        self.assertEqual(r.page.find("label", **{"for": "score_step"}).text, "评分精度")
        self.assertIn("可打半分（如 7.5）", r.page.find("select", name="score_step").text)
        # In the scheme's fieldset, before the maxima.
        order = [e.text if e.tag == "legend" else e.attrs.get("name")
                 for e in r.page.elements if e.tag in ("legend", "select", "input")]
        at = order.index("score_step")
        self.assertEqual([t for t in order[:at] if t in ("推荐名额", "评价要点及满分")][-1],
                         "评价要点及满分")
        self.assertLess(at, order.index("max_1"))

    def test_create_view_and_audit(self):
        year = self.free_year()
        rid, r = self.create(round_fields(
            year, **{"quota_" + HARBIN[0]: "8", "quota_" + DAXINGANLING[0]: "0",
                     "max_1": "15", "max_2": "5"}))
        self.assertIn("done=created", r.location)
        self.assertEqual(round_row(rid), [
            str(year), "%d年度黑龙江省质量标杆遴选" % year, "%d-03-01 09:00:00" % year,
            "%d-05-31 17:00:00" % year, "%d-06-30 17:00:00" % year, "5"])
        self.assertEqual(sql("SELECT city_code, quota FROM round_city_quota WHERE round_id = %d"
                             " ORDER BY city_code" % rid),
                         [[HARBIN[0], "8"], [DAXINGANLING[0], "0"]])
        points = sql("SELECT no, group_no, title, max_points FROM round_criterion"
                     " WHERE round_id = %d ORDER BY no" % rid)
        self.assertEqual([p[0] for p in points], [str(i) for i in range(1, 11)])
        self.assertEqual([p[1] for p in points], list("1111222333"))
        self.assertEqual(points[3][2], POINT_4)
        self.assertEqual(points[9][2], POINT_10)
        self.assertEqual([p[3] for p in points], ["15", "5"] + ["10"] * 8)
        # One audit record, by the administrator.
        rows = audit_rows(rid)
        self.assertEqual([row[0] for row in rows], ["round.create"])
        self.assertEqual(rows[0][1:3], [self.admin_account.login, "province"])
        self.assertIn("%d年度" % year, rows[0][3])
        self.assertIn("哈尔滨市 8", rows[0][3])
        self.assertIn("评分精度 整数分", rows[0][3])
        self.assertEqual(stored_step(rid), "whole")

        # The page of the round: facts, quotas by city, the scheme.
        r = self.admin.get(r.location)
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find("p", class_="notice").text, "年度遴选已创建。")
        self.assertIn("%d年5月31日 17:00" % year, r.text)
        quotas = {row.text for row in r.page.find_all("tr")}
        self.assertTrue(any(t.startswith(HARBIN[1]) and "8" in t for t in quotas), quotas)
        self.assertTrue(any(t.startswith(DAQING[1]) and "（默认）" in t for t in quotas), quotas)
        self.assertIn(POINT_10, r.text)
        total = r.page.find("tfoot").text
        self.assertIn("100", total)
        self.assertEqual(r.page.find("dd", id="score-step").text, "整数分")
        self.assertIsNotNone(r.page.find("a", href="/admin/round/edit?id=%d" % rid))
        # The list links to it.
        r = self.admin.get("/admin/rounds")
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.page.find("a", href="/admin/round?id=%d" % rid))

    def test_back_dated_round(self):
        year = self.free_year(range(2020, 2026))
        rid, r = self.create(round_fields(year, title="补录%d" % year))
        r = self.admin.get("/admin/round?id=%d" % rid)
        self.assertStatus(r, 200)
        self.assertIn("补录：创建时申报已经开始", r.text)
        self.assertIn("推荐已截止", r.text)
        self.assertIn("补录", audit_rows(rid)[0][3])

    def test_duplicate_year_is_409(self):
        year = self.free_year()
        rid, _ = self.create(round_fields(year))
        before = len(audit_rows(rid))
        _, r = self.create(round_fields(year, title="重复的年度"), status=409)
        self.assertIn("%d年度的遴选已经存在" % year, r.page.error_for("year") or "")
        # The input is kept.
        self.assertEqual(r.page.find("input", name="title").attrs.get("value"), "重复的年度")
        self.assertEqual(count_rounds(year), 1)
        self.assertEqual(len(audit_rows(rid)), before)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM selection_round WHERE title = %s"
                                   % q("重复的年度")), "0")

    # --- bad input -----------------------------------------------------------

    def test_bad_input_is_422_and_writes_nothing(self):
        year = self.free_year()
        h = "quota_" + HARBIN[0]
        cases = [
            # (changes, field with the error ("" = the form's message), message part)
            ({"apply_close": "%d-03-01T09:00" % year}, "apply_close", "须晚于申报开始时间"),
            ({"apply_close": "%d-02-01T09:00" % year}, "apply_close", "须晚于申报开始时间"),
            ({"recommend_deadline": "%d-05-31T17:00" % year}, "recommend_deadline",
             "须晚于申报截止时间"),
            ({"recommend_deadline": "%d-04-01T17:00" % year}, "recommend_deadline",
             "须晚于申报截止时间"),
            ({"apply_open": "%d-02-30T09:00" % year}, "apply_open", "有效的日期和时间"),
            ({"apply_open": "<script>alert(1)</script>"}, "apply_open", "有效的日期和时间"),
            ({"apply_open": "%d-03-01T09:00' OR '1'='1" % year}, "apply_open",
             "有效的日期和时间"),
            ({"apply_open": ""}, "apply_open", "请填写申报开始时间"),
            ({"apply_open": "%d-03-01T09:00" % (year + 5)}, "apply_open", "前后一年内"),
            ({"year": "2019"}, "year", "年度须在2020到2100之间"),
            ({"year": "2101"}, "year", "年度须在2020到2100之间"),
            ({"year": "二〇三〇"}, "year", "年度须为整数"),
            ({"default_quota": "0"}, "default_quota", "默认推荐名额须在1到200之间"),
            ({"default_quota": "201"}, "default_quota", "默认推荐名额须在1到200之间"),
            ({h: "201"}, h, "哈尔滨市推荐名额须在0到200之间"),
            ({h: "-1"}, h, "哈尔滨市推荐名额须在0到200之间"),
            ({h: "1; DROP TABLE city"}, h, "须为整数"),
            ({"max_1": "0"}, "max_1", "评价要点1的满分须在1到100之间"),
            ({"max_10": "101"}, "max_10", "评价要点10的满分须在1到100之间"),
            ({"max_1": "11"}, "", "各评价要点的满分合计须为100分，现为101分"),
            ({"max_5": "9"}, "", "现为99分"),
            ({"title": "长" * 101}, "title", "不能超过100个字符"),
            ({"title": "年度\x07遴选"}, "title", "控制字符"),
        ]
        audit_before = sql_value("SELECT MAX(id) FROM audit")
        for changes, field, message in cases:
            with self.subTest(changes=changes):
                _, r = self.create(round_fields(year, **changes), status=422)
                if field:
                    self.assertIn(message, r.page.error_for(field) or "", r.field_errors())
                else:
                    self.assertIn(message, r.error_summary() or "")
                # The input comes back as typed.
                for name, value in changes.items():
                    self.assertEqual(r.page.find("input", name=name).attrs.get("value"), value)
                self.assertEqual(count_rounds(year), 0)
        # Nothing at all was written, not even an audit record of this admin.
        self.assertEqual(sql_value(
            "SELECT COUNT(*) FROM audit WHERE id > %s AND login = %s AND action LIKE 'round.%%'"
            % (audit_before or 0, q(self.admin_account.login))), "0")

    def test_invalid_utf8_is_refused(self):
        year = self.free_year()
        self.admin.get("/admin/rounds/new")
        body = urllib.parse.urlencode(round_fields(year, csrf=self.admin.last.csrf()))
        body += "&title=%FF%FE"
        r = self.admin.post("/admin/rounds/new", body=body.encode("ascii"))
        self.assertStatus(r, 400)
        self.assertEqual(count_rounds(year), 0)

    # --- edit ------------------------------------------------------------------

    def test_edit(self):
        year = self.free_year()
        rid, _ = self.create(round_fields(year, **{"quota_" + HARBIN[0]: "8"}))
        r = self.admin.get("/admin/round/edit?id=%d" % rid)
        self.assertStatus(r, 200)
        # The stored values, in the inputs' own formats.
        values = {e.attrs["name"]: e.attrs.get("value", "")
                  for e in r.page.find_all("input") if e.attrs.get("name")}
        self.assertEqual(values["apply_open"], "%d-03-01T09:00" % year)
        self.assertEqual(values["recommend_deadline"], "%d-06-30T17:00" % year)
        self.assertEqual(values["quota_" + HARBIN[0]], "8")
        self.assertEqual(values["quota_" + DAQING[0]], "")
        self.assertEqual(values["title"], "")  # the default title follows the year
        self.assertEqual(values["mode"], "full")
        self.assertEqual(step_options(r.page), {"whole": True, "half": False})
        base = {k: v for k, v in values.items() if k not in ("csrf",)}
        base["score_step"] = "whole"  # the select, as a browser sends it

        changes = {"title": "修改后的名称", "apply_close": "%d-06-15T17:00" % year,
                   "recommend_deadline": "%d-07-15T17:00" % year,
                   "quota_" + HARBIN[0]: "", "quota_" + DAQING[0]: "3",
                   "max_3": "20", "max_4": "0"}
        r = self.edit(rid, changes, base=base)
        self.assertStatus(r, 422)  # max_4 0
        self.assertIn("评价要点4的满分", r.page.error_for("max_4") or "")
        self.assertEqual(round_row(rid)[1], "%d年度黑龙江省质量标杆遴选" % year)
        self.assertEqual([a[0] for a in audit_rows(rid)], ["round.create"])

        changes["max_4"] = "1"
        changes["max_5"] = "9"  # 10*7 + 20 + 1 + 9 = 100
        r = self.edit(rid, changes, base=base)
        self.assertRedirect(r, "/admin/round?id=%d&done=updated" % rid)
        row = round_row(rid)
        self.assertEqual(row[1:5], ["修改后的名称", "%d-03-01 09:00:00" % year,
                                    "%d-06-15 17:00:00" % year, "%d-07-15 17:00:00" % year])
        self.assertEqual(sql("SELECT city_code, quota FROM round_city_quota WHERE round_id = %d"
                             % rid), [[DAQING[0], "3"]])
        self.assertEqual([p[0] for p in sql("SELECT max_points FROM round_criterion WHERE"
                                            " round_id = %d ORDER BY no" % rid)],
                         ["10", "10", "20", "1", "9", "10", "10", "10", "10", "10"])
        rows = audit_rows(rid)
        self.assertEqual([a[0] for a in rows], ["round.create", "round.update"])
        summary = rows[1][3]
        for part in ("申报截止 %d-05-31 17:00 → %d-06-15 17:00" % (year, year),
                     "哈尔滨市推荐名额 8 → 默认", "大庆市推荐名额 默认 → 3",
                     "评价要点3满分 10 → 20", "名称“%d年度黑龙江省质量标杆遴选” → “修改后的名称”" % year):
            self.assertIn(part, summary)
        self.assertNotIn("申报开始", summary)
        self.assertNotIn("评分精度", summary)  # not changed: not named

        # The same values again: nothing written.
        base.update(changes)
        r = self.edit(rid, {}, base=base)
        self.assertRedirect(r, "/admin/round?id=%d&done=unchanged" % rid)
        self.assertEqual(len(audit_rows(rid)), 2)

        # Bad dates on edit: 422, the row as it was.
        r = self.edit(rid, {"apply_close": "%d-02-01T09:00" % year}, base=base)
        self.assertStatus(r, 422)
        self.assertIn("须晚于申报开始时间", r.page.error_for("apply_close") or "")
        self.assertEqual(round_row(rid)[3], "%d-06-15 17:00:00" % year)
        self.assertEqual(len(audit_rows(rid)), 2)

    # --- the score step ----------------------------------------------------------

    def test_half_points(self):
        """A round scored in halves: made through the form, shown, stored,
        changed back before any application, each step audited."""
        year = self.free_year()
        rid, r = self.create(round_fields(year, score_step="half"))
        self.assertEqual(stored_step(rid), "half")
        rows = audit_rows(rid)
        self.assertEqual([a[0] for a in rows], ["round.create"])
        self.assertIn("评分精度 " + HALF, rows[0][3])
        r = self.admin.get(r.location)
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find("dd", id="score-step").text, HALF)
        # Next to the point maxima: in the scheme's section.
        headings = [e.text for e in r.page.elements if e.tag == "h2"
                    or (e.tag == "dd" and e.attrs.get("id") == "score-step")]
        self.assertEqual(headings[headings.index(HALF) - 1], "评价要点及分值")

        # The edit form shows the stored step.
        r = self.admin.get("/admin/round/edit?id=%d" % rid)
        self.assertStatus(r, 200)
        self.assertEqual(step_options(r.page), {"whole": False, "half": True})

        # Changed before any application: stored, and the summary names it.
        r = self.edit(rid, round_fields(year, mode="full", score_step="whole"))
        self.assertRedirect(r, "/admin/round?id=%d&done=updated" % rid)
        self.assertEqual(stored_step(rid), "whole")
        rows = audit_rows(rid)
        self.assertEqual([a[0] for a in rows], ["round.create", "round.update"])
        self.assertEqual(rows[1][3], "修改%d年度遴选：评分精度 %s → 整数分" % (year, HALF))
        r = self.admin.get("/admin/round?id=%d" % rid)
        self.assertEqual(r.page.find("dd", id="score-step").text, "整数分")
        # And back, along with a maximum: both named.
        r = self.edit(rid, round_fields(year, mode="full", score_step="half", max_1="11",
                                        max_2="9"))
        self.assertRedirect(r, "/admin/round?id=%d&done=updated" % rid)
        self.assertEqual(stored_step(rid), "half")
        summary = audit_rows(rid)[2][3]
        self.assertIn("评分精度 整数分 → " + HALF, summary)
        self.assertIn("评价要点1满分 10 → 11", summary)
        # The same step again is no change.
        r = self.edit(rid, round_fields(year, mode="full", score_step="half", max_1="11",
                                        max_2="9"))
        self.assertRedirect(r, "/admin/round?id=%d&done=unchanged" % rid)
        self.assertEqual(len(audit_rows(rid)), 3)

    def test_bad_score_step_is_422_keeps_the_input_and_says_why(self):
        year = self.free_year()
        audit_before = sql_value("SELECT MAX(id) FROM audit")
        for value in ("quarter", "Half", "0.5", "整数分", "half' OR '1'='1", ""):
            with self.subTest(value=value):
                _, r = self.create(round_fields(year, score_step=value, title="保留的名称",
                                                max_1="15", max_2="5"), status=422)
                error = r.page.error_for("score_step") or ""
                if value:
                    self.assertIn("评分精度须为“整数分”或“可打半分（如 7.5）”", error,
                                  r.field_errors())
                else:
                    self.assertIn("请填写评分精度", error, r.field_errors())
                self.assertEqual(len(r.field_errors()), 1, r.field_errors())
                self.assertIn("请按提示修改", r.error_summary() or "")
                # The rest of the input is kept; a value that is no option
                # selects none of them.
                self.assertEqual(r.page.find("input", name="title").attrs.get("value"),
                                 "保留的名称")
                self.assertEqual(r.page.find("input", name="max_1").attrs.get("value"), "15")
                self.assertEqual(step_options(r.page), {"whole": False, "half": False})
                self.assertEqual(count_rounds(year), 0)
        # A valid step is kept when something else is refused.
        _, r = self.create(round_fields(year, score_step="half", max_1="0"), status=422)
        self.assertTrue(r.page.error_for("max_1"))
        self.assertIsNone(r.page.error_for("score_step"))
        self.assertEqual(step_options(r.page), {"whole": False, "half": True})
        self.assertEqual(count_rounds(year), 0)
        self.assertEqual(sql_value(
            "SELECT COUNT(*) FROM audit WHERE id > %s AND login = %s AND action LIKE 'round.%%'"
            % (audit_before or 0, q(self.admin_account.login))), "0")

        # On edit: refused at the field, the stored step as it was.
        rid, _ = self.create(round_fields(year, score_step="half"))
        r = self.edit(rid, round_fields(year, mode="full", score_step="tenths",
                                        title="不应保存"))
        self.assertStatus(r, 422)
        self.assertIn("评分精度须为", r.page.error_for("score_step") or "")
        self.assertEqual(r.page.find("input", name="title").attrs.get("value"), "不应保存")
        self.assertEqual(stored_step(rid), "half")
        self.assertEqual(round_row(rid)[1], "%d年度黑龙江省质量标杆遴选" % year)
        self.assertEqual([a[0] for a in audit_rows(rid)], ["round.create"])

    def test_round_add_half_points(self):
        """biaogan-admin round add: whole points, or halves with --half-points
        (anywhere among the options); a missing value is a usage error."""
        made = []
        for flag in ([], ["--half-points"]):
            year = self.free_year()
            args = ["round", "add"] + flag + ["--year", str(year), "--open",
                                              "%d-03-01 09:00" % year, "--close",
                                              "%d-05-31 17:00" % year, "--deadline",
                                              "%d-06-30 17:00" % year]
            p = bgtest.admin_tool(*args)
            rid = int(re.search(r"编号 (\d+)", p.stdout).group(1))
            self.created.append(rid)
            made.append(rid)
            self.assertIn(HALF if flag else "整数分", p.stdout)
            self.assertEqual(stored_step(rid), "half" if flag else "whole")
            self.assertIn("评分精度 %s" % (HALF if flag else "整数分"),
                          audit_rows(rid)[0][3])
            r = self.admin.get("/admin/round?id=%d" % rid)
            self.assertEqual(r.page.find("dd", id="score-step").text,
                             HALF if flag else "整数分")
        year = self.free_year()
        for args in (["--year", str(year), "--open", "%d-03-01 09:00" % year, "--close",
                      "%d-05-31 17:00" % year, "--deadline"],
                     ["--year", str(year), "--half-points=yes", "--open",
                      "%d-03-01 09:00" % year, "--close", "%d-05-31 17:00" % year,
                      "--deadline", "%d-06-30 17:00" % year]):
            with self.subTest(args=args):
                p = bgtest.admin_tool("round", "add", *args, check=False)
                self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
                self.assertIn("--half-points", p.stderr)  # the usage text documents it
                self.assertEqual(count_rounds(year), 0)

    def test_edit_to_a_taken_year_is_409(self):
        y1 = self.free_year()
        rid1, _ = self.create(round_fields(y1))
        y2 = self.free_year()
        rid2, _ = self.create(round_fields(y2))
        fields = round_fields(y1, mode="full")
        fields.update(apply_open="%d-03-01T09:00" % y1)
        r = self.edit(rid2, fields)
        self.assertStatus(r, 409)
        self.assertIn("%d年度的遴选已经存在" % y1, r.page.error_for("year") or "")
        self.assertEqual(round_row(rid2)[0], str(y2))
        self.assertEqual([a[0] for a in audit_rows(rid2)], ["round.create"])
        self.assertEqual(count_rounds(y1), 1)

    def test_unknown_round_is_404(self):
        for path in ("/admin/round?id=999999999999", "/admin/round?id=abc", "/admin/round",
                     "/admin/round/edit?id=999999999999", "/admin/round/edit?id=-1"):
            with self.subTest(path=path):
                self.assertStatus(self.admin.get(path), 404)
        r = self.admin.post("/admin/round/edit", round_fields(2050, id="999999999999"),
                            csrf=self.admin.csrf_from("/admin/rounds/new"))
        self.assertStatus(r, 404)

    # --- who may ---------------------------------------------------------------

    def test_other_roles_get_403(self):
        year = self.free_year()
        rid, _ = self.create(round_fields(year))
        for role, city in (("city", HARBIN[0]), ("expert", None), ("enterprise", None)):
            client = bgtest.logged_in(bgtest.create_account(role, city=city))
            for path in ("/admin/rounds", "/admin/rounds/new", "/admin/round?id=%d" % rid,
                         "/admin/round/edit?id=%d" % rid):
                with self.subTest(role=role, path=path):
                    self.assertStatus(client.get(path), 403)
            token = client.csrf_from("/login/password")
            other = self.free_year()
            r = client.post("/admin/rounds/new", round_fields(other), csrf=token)
            self.assertStatus(r, 403)
            self.assertEqual(count_rounds(other), 0)
            r = client.post("/admin/round/edit", round_fields(year, id=str(rid), title="改"),
                            csrf=token)
            self.assertStatus(r, 403)
        self.assertEqual(round_row(rid)[1], "%d年度黑龙江省质量标杆遴选" % year)
        self.assertEqual([a[0] for a in audit_rows(rid)], ["round.create"])
        # Nav: only the province administrator sees the rounds.
        self.assertIsNone(client.get("/home").page.find("a", href="/admin/rounds"))

    def test_no_session_redirects_to_login(self):
        r = Client().get("/admin/rounds")
        self.assertLoginRedirect(r, "/admin/rounds")

    # --- after the first application -------------------------------------------

    def test_only_deadlines_move_once_applications_exist(self):
        # The round's window must contain now for an enterprise to start a
        # draft, so the year is near today's.
        opened = sql_value("SELECT DATE_FORMAT(NOW() - INTERVAL 1 DAY, '%Y-%m-%dT%H:%i')")
        closes = sql_value("SELECT DATE_FORMAT(NOW() + INTERVAL 20 DAY, '%Y-%m-%dT%H:%i')")
        deadline = sql_value("SELECT DATE_FORMAT(NOW() + INTERVAL 60 DAY, '%Y-%m-%dT%H:%i')")
        # Every time within a year of the round's year (the form's rule).
        years = [int(t[:4]) for t in (opened, closes, deadline)]
        year = self.free_year(range(max(years) - 1, min(years) + 2))
        rid, _ = self.create(round_fields(year, apply_open=opened, apply_close=closes,
                                          recommend_deadline=deadline))
        r = self.admin.get("/admin/round?id=%d" % rid)
        self.assertIn("申报中", r.text)
        # Its window contains now: it is the current round (rounds_current).
        r = self.admin.get("/admin/rounds")
        current = r.page.find("span", class_="current")
        self.assertIsNotNone(current)
        row = [e for e in r.page.find_all("tr") if "（当前）" in e.text]
        self.assertEqual(len(row), 1)
        self.assertIn(str(year), row[0].text)

        # An enterprise of Harbin starts its application (the apply program).
        ent = bgtest.create_account("enterprise")
        client = bgtest.logged_in(ent)
        r = client.get("/apply/profile")
        self.assertStatus(r, 200)
        r = client.post("/apply/profile", {
            "name": "集成测试质量标杆有限公司" + ent.login[-6:], "uscc": make_uscc(),
            "city_code": HARBIN[0], "address": "哈尔滨市南岗区测试路1号", "legal_rep": "张三",
            "contact_name": "李四", "mobile": "13800000000", "email": "it@example.com",
            "ent_type": "llc",
        }, csrf=True)
        self.assertRedirect(r, "/apply")
        r = client.post("/apply/start", {"round": str(rid)}, csrf=client.csrf_from("/apply"))
        self.assertRedirect(r, "/apply/edit")
        app_id = sql_value("SELECT id FROM application WHERE round_id = %d" % rid)
        self.assertIsNotNone(app_id)
        try:
            self._check_locked(rid, year, opened, closes, deadline)
        finally:
            # Remove the draft so the round can go too (tearDownClass).
            sql("DELETE FROM application WHERE id = %s" % app_id)

    def _check_locked(self, rid, year, opened, closes, deadline):
        r = self.admin.get("/admin/round?id=%d" % rid)
        self.assertIn("已有企业申报", r.text)
        r = self.admin.get("/admin/round/edit?id=%d" % rid)
        self.assertStatus(r, 200)
        names = {e.attrs.get("name") for e in r.page.find_all("input")}
        self.assertEqual(names, {"csrf", "id", "mode", "apply_close", "recommend_deadline"})
        self.assertIsNone(step_options(r.page))  # the step is the scheme's: fixed now
        self.assertEqual(r.page.find("input", name="mode").attrs["value"], "deadlines")

        # A full form (opened before the application arrived) is refused
        # with 409, nothing changes, and the deadlines form is shown.
        fields = round_fields(year, apply_open=opened, apply_close=closes,
                              recommend_deadline=deadline, title="不应保存", mode="full",
                              id=str(rid))
        r = self.admin.post("/admin/round/edit", fields, csrf=True)
        self.assertStatus(r, 409)
        self.assertIn("已有企业申报", r.error_summary() or "")
        self.assertEqual(r.page.find("input", name="mode").attrs["value"], "deadlines")
        self.assertNotEqual(round_row(rid)[1], "不应保存")
        self.assertEqual([a[0] for a in audit_rows(rid)], ["round.create"])

        # The deadlines still move, each move an audit record with old and new.
        # Moving the close into the past (after the opening) ends the window.
        new_close = sql_value("SELECT DATE_FORMAT(NOW() - INTERVAL 1 HOUR, '%Y-%m-%dT%H:%i')")
        new_deadline = sql_value("SELECT DATE_FORMAT(NOW() + INTERVAL 50 DAY, '%Y-%m-%dT%H:%i')")
        # (50 days, not 60: still within a year of the round's year.)
        r = self.admin.post("/admin/round/edit", {
            "id": str(rid), "mode": "deadlines", "apply_close": new_close,
            "recommend_deadline": new_deadline,
            # Fields of the full form are ignored here.
            "year": "2099", "title": "不应保存", "default_quota": "9",
            "score_step": "half"}, csrf=True)
        self.assertRedirect(r, "/admin/round?id=%d&done=deadline" % rid)
        row = round_row(rid)
        self.assertEqual(row[0], str(year))
        self.assertNotEqual(row[1], "不应保存")
        self.assertEqual(row[3], new_close.replace("T", " ") + ":00")
        self.assertEqual(row[4], new_deadline.replace("T", " ") + ":00")
        self.assertEqual(row[5], "5")
        self.assertEqual(stored_step(rid), "whole")
        rows = audit_rows(rid)
        self.assertEqual([a[0] for a in rows], ["round.create", "round.deadline"])
        self.assertIn("申报截止 %s → %s" % (closes.replace("T", " "), new_close.replace("T", " ")),
                      rows[1][3])
        self.assertIn("市（地）推荐截止 %s → %s" % (deadline.replace("T", " "),
                                                new_deadline.replace("T", " ")), rows[1][3])

        # Deadlines in the wrong order are still refused.
        r = self.admin.get("/admin/round/edit?id=%d" % rid)
        r = self.admin.post("/admin/round/edit", {
            "id": str(rid), "mode": "deadlines", "apply_close": new_deadline,
            "recommend_deadline": new_close}, csrf=True)
        self.assertStatus(r, 422)
        self.assertIn("须晚于申报截止时间", r.page.error_for("recommend_deadline") or "")
        self.assertEqual(len(audit_rows(rid)), 2)


if __name__ == "__main__":
    unittest.main()
