"""Issue 7, section 3: rules and security defects, one class per defect.

 1 a year counts as loaded only when declared complete (page or import);
 2 credit codes: positions 1-2 checked, only enterprises (91) register;
 3 the enterprise type of the business licence (article 8 (一));
 4 bidirectional control characters are refused in text fields;
 5 wrong current passwords on the change form count toward the lockout;
 6 the lockout does not tell which logins exist;
 7 the login form has a pre-session CSRF token and refuses cross-site posts;
 8 log-in names are canonical and compared exactly;
 9 `audit verify` reads one consistent snapshot (no false alarm under load).
(10, file names, is a unit test: tests/unit/core/test_multipart.c.)

Calendar years used here: 2096-2098 (no other suite uses them), and 2027
only to add and remove one date."""

import os
import secrets
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

import bgtest
from bgtest import Client, HARBIN, q, raw_request, sql, sql_value
from test_apply import (ApplyTestCase, add_uploads, complete_application, new_uscc,
                        open_round, reg_fields, register, uscc_check_char)
import test_apply

WRONG = "Wrong#Pass123"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def workdays(*args):
    return bgtest.admin_tool("workdays", *args, check=False)


def remove_year(client, year):
    """Removes every date of year through the admin page (the year's row goes
    with its last date)."""
    for (date,) in sql("SELECT day FROM calendar_day WHERE YEAR(day) = %d" % year):
        client.get("/admin/calendar?year=%d" % year)
        client.post("/admin/calendar/remove", {"date": date}, csrf=True)


# --- 1 ------------------------------------------------------------------------

class CalendarCompletenessTest(bgtest.TestCase):
    YEAR = 2098

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()

    def setUp(self):
        self.tearDown()

    def tearDown(self):
        for year in (self.YEAR, self.YEAR - 1, self.YEAR - 2):
            remove_year(self.admin, year)

    def add(self, date, kind="holiday", name="元旦"):
        self.admin.get("/admin/calendar?year=%s" % date[:4])
        r = self.admin.post("/admin/calendar/add", {"date": date, "kind": kind, "name": name},
                            csrf=True)
        self.assertRedirect(r, "/admin/calendar?year=%s" % date[:4])

    def post_state(self, action, year, confirm=True):
        self.admin.get("/admin/calendar?year=%d" % year)
        fields = {"year": str(year)}
        if confirm:
            fields["confirm"] = "1"
        return self.admin.post("/admin/calendar/" + action, fields, csrf=True)

    def complete(self, year):
        return sql_value("SELECT complete FROM calendar_year WHERE year = %d" % year)

    def test_seeded_years_stay_complete(self):
        self.assertEqual(sql("SELECT year, complete FROM calendar_year WHERE year BETWEEN 2020"
                             " AND 2026 ORDER BY year"),
                         [[str(y), "1"] for y in range(2020, 2027)])
        p = workdays("end", "2026-09-28", "5")
        self.assertEqual((p.returncode, p.stdout.strip()), (0, "2026-10-09"), p.stderr)
        r = self.admin.get("/admin/calendar?year=2026")
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find(id="year-state").attrs.get("data-complete"), "1")
        link = r.page.find("a", **{"data-year": "2026"})
        self.assertIsNotNone(link)
        self.assertEqual(link.attrs.get("data-complete"), "1")

    def test_one_date_does_not_load_the_year(self):
        year = self.YEAR
        self.add("%d-01-01" % year)
        self.assertEqual(self.complete(year), "0")
        # The deadline computation refuses the year, and the page says why.
        p = workdays("end", "%d-01-05" % year, "5")
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        self.assertIn("%d 年" % year, p.stderr)
        r = self.admin.get("/admin/calendar?year=%d" % year)
        self.assertIn("尚未录入", r.error_summary() or "")
        self.assertEqual(r.page.find(id="year-state").attrs.get("data-complete"), "0")
        self.assertEqual(r.page.find("a", **{"data-year": str(year)}).attrs.get("data-complete"),
                         "0")

    def test_home_warning_stays_after_one_date_of_next_year(self):
        today = sql_value("SELECT DATE_FORMAT(NOW(), '%Y-%m-%d')")
        year, month = int(today[:4]), int(today[5:7])
        nxt = year + 1
        if month < 11 or self.complete(nxt) == "1" or sql_value(
                "SELECT COUNT(*) FROM calendar_day WHERE YEAR(day) = %d" % nxt) != "0":
            bgtest.allowed_skip(self, "season", "needs November or December and no %d dates yet"
                                % nxt)
        try:
            self.add("%d-01-01" % nxt)
            r = self.admin.get("/home")
            self.assertStatus(r, 200)
            self.assertIn("%d 年" % nxt, r.error_summary() or "")
        finally:
            remove_year(self.admin, nxt)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM calendar_year WHERE year = %d" % nxt),
                         "0")

    def test_mark_complete_and_reopen(self):
        year = self.YEAR
        self.add("%d-01-01" % year)
        self.add("%d-10-01" % year, name="国庆节")
        base = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
        # Without the confirmation: refused at the field, nothing changes.
        r = self.post_state("complete", year, confirm=False)
        self.assertStatus(r, 422)
        self.assertIn("确认", r.page.error_for("confirm") or "")
        self.assertEqual(self.complete(year), "0")
        # Confirmed: complete, audited, and working days count.
        r = self.post_state("complete", year)
        self.assertRedirect(r, "/admin/calendar?year=%d" % year)
        self.assertEqual(self.complete(year), "1")
        self.assertEqual(sql("SELECT action, login FROM audit WHERE id > %d AND object_id = %s"
                             % (base, q(str(year)))),
                         [["calendar.complete", bgtest.province_account().login]])
        p = workdays("count", "%d-01-01" % year, "%d-01-31" % year)
        self.assertEqual(p.returncode, 0, p.stderr)
        r = self.admin.get("/admin/calendar?year=%d" % year)
        self.assertIsNone(r.error_summary())
        self.assertEqual(r.page.find(id="year-state").attrs.get("data-complete"), "1")
        # Complete twice: a conflict, nothing new.
        r = self.post_state("complete", year)
        self.assertStatus(r, 409)
        # Editing a date keeps the year complete.
        self.add("%d-10-02" % year, name="国庆节")
        self.assertEqual(self.complete(year), "1")
        # Reopen: audited, and counting is refused again.
        r = self.post_state("reopen", year, confirm=False)
        self.assertStatus(r, 422)
        self.assertEqual(self.complete(year), "1")
        r = self.post_state("reopen", year)
        self.assertRedirect(r, "/admin/calendar?year=%d" % year)
        self.assertEqual(self.complete(year), "0")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE id > %d AND action ="
                                   " 'calendar.reopen' AND object_id = %s" % (base, q(str(year)))),
                         "1")
        self.assertEqual(workdays("count", "%d-01-01" % year, "%d-01-31" % year).returncode, 3)

    def test_a_year_without_dates_cannot_be_complete(self):
        year = self.YEAR - 1
        before = sql_value("SELECT COUNT(*) FROM audit")
        r = self.post_state("complete", year)
        self.assertStatus(r, 409)
        self.assertIn("%d" % year, r.error_summary() or "")
        self.assertIsNone(self.complete(year))
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit"), before)

    def test_needs_token_and_province(self):
        r = self.admin.post("/admin/calendar/complete", {"year": "2026", "confirm": "1"})
        self.assertStatus(r, 403)
        city = bgtest.logged_in(bgtest.create_account("city", city=HARBIN[0]))
        r = city.post("/admin/calendar/reopen", {"year": "2026", "confirm": "1"},
                      csrf=city.csrf_from())
        self.assertStatus(r, 403)
        self.assertEqual(self.complete(2026), "1")

    def test_import_declares_the_year_complete(self):
        year = self.YEAR - 2
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False,
                                         encoding="utf-8") as f:
            f.write("date,type,name\n%d-01-01,holiday,元旦\n%d-10-01,holiday,国庆节\n"
                    % (year, year))
            path = f.name
        try:
            base = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
            p = bgtest.admin_tool("calendar", "import", path)
            self.assertEqual(p.returncode, 0, p.stderr)
        finally:
            os.unlink(path)
        self.assertEqual(self.complete(year), "1")
        summary = sql_value("SELECT summary FROM audit WHERE id > %d AND action ="
                            " 'calendar.import' AND object_id = %s" % (base, q(str(year))))
        self.assertIn("完整", summary or "")
        self.assertEqual(workdays("count", "%d-01-01" % year, "%d-01-31" % year).returncode, 0)
        p = bgtest.admin_tool("calendar", "years")
        line = [ln for ln in p.stdout.splitlines() if ln.startswith("%d\t" % year)]
        self.assertEqual(len(line), 1, p.stdout)
        self.assertIn("完整", line[0])


# --- 2 ------------------------------------------------------------------------

def with_check(code17):
    return code17 + uscc_check_char(code17)


class CreditCodePrefixTest(ApplyTestCase):
    def try_register(self, code, **over):
        c = Client()
        fields = reg_fields(uscc=code, **over)
        fields[bgtest.PRE_FIELD] = test_apply.reg_token(c)
        return c.post("/apply/register", fields), fields

    def test_positions_1_and_2_are_checked(self):
        cases = [
            ("00000000PUK8L77CF7", "第1位"),
            ("Y9230100YEYK6RKJB4", "第2位"),
            (with_check("B1230100" + "ABCDEFGH1"), "第1位"),
            (with_check("94230100" + "ABCDEFGH1"), "第2位"),
            (with_check("5A230100" + "ABCDEFGH1"), "第2位"),
        ]
        for code, words in cases:
            with self.subTest(code=code):
                r, fields = self.try_register(code)
                self.assertStatus(r, 422)
                self.assertIn(words, r.page.error_for("uscc") or "", r.field_errors())
                self.assertNoAccount(fields["login"])

    def test_only_registered_enterprises_register(self):
        cases = [
            ("A12301008FPPDGL39X", "军队"),
            (new_uscc(head="92"), "个体工商户"),
            (new_uscc(head="93"), "农民专业合作社"),
            (new_uscc(head="12"), "事业单位"),
            (new_uscc(head="51"), "社会团体"),
        ]
        for code, words in cases:
            with self.subTest(code=code):
                r, fields = self.try_register(code)
                self.assertStatus(r, 422)
                error = r.page.error_for("uscc") or ""
                self.assertIn(words, error)
                self.assertIn("91", error)
                self.assertNoAccount(fields["login"])
                self.assertEqual(sql_value("SELECT COUNT(*) FROM enterprise WHERE uscc = %s"
                                           % q(code)), "0")

    def test_exceptions_still_only_for_a_check_character_fault(self):
        admin = bgtest.admin_client()
        good = new_uscc()
        bad_check = next(ch for ch in "0123456789" if ch != good[17])
        cases = [
            ("0" + good[1:17] + bad_check, "第1位"),
            ("9" + "9" + good[2:17] + bad_check, "第2位"),
            (new_uscc(head="92")[:17] + "0", None),
        ]
        for code, words in cases:
            with self.subTest(code=code):
                if words is None:
                    # A 92 code failing its check: its one GB 32100 fault is the
                    # check character, but registration refuses it anyway.
                    if uscc_check_char(code[:17]) == "0":
                        code = code[:17] + "1"
                    words = "个体工商户"
                admin.get("/admin/uscc")
                r = admin.post("/admin/uscc/add", {"uscc": code, "reason": "测试"}, csrf=True)
                self.assertStatus(r, 422)
                self.assertIn(words, r.page.error_for("uscc") or "")
                self.assertEqual(sql_value("SELECT COUNT(*) FROM uscc_exception WHERE uscc = %s"
                                           % q(code)), "0")


# --- 3 ------------------------------------------------------------------------

class EnterpriseTypeTest(ApplyTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = open_round()
        cls.harbin = bgtest.logged_in(bgtest.create_account("city", city=HARBIN[0]))

    def try_register(self, **over):
        c = Client()
        fields = reg_fields(**over)
        fields[bgtest.PRE_FIELD] = test_apply.reg_token(c)
        return c.post("/apply/register", fields), fields

    def test_registration_asks_for_the_type(self):
        r = Client().get("/apply/register")
        options = [o.attrs.get("value") for o in r.page.find_all("option")
                   if o.attrs.get("value") and not o.attrs["value"].isdigit()]
        self.assertEqual(options, ["llc", "joint_stock", "state_sole", "collective",
                                   "joint_coop", "foreign", "branch", "sole_prop",
                                   "partnership", "other"])
        cases = [
            ({"ent_type": ""}, "ent_type", "企业类型"),
            ({"ent_type": "limited"}, "ent_type", "企业类型"),
            ({"ent_type": "other", "ent_type_other": ""}, "ent_type_other", "请注明"),
            ({"ent_type": "other", "ent_type_other": "类" * 51}, "ent_type_other", "50"),
        ]
        for over, field, words in cases:
            with self.subTest(over=over):
                r, fields = self.try_register(**over)
                self.assertStatus(r, 422)
                self.assertIn(words, r.page.error_for(field) or "", r.field_errors())
                self.assertNoAccount(fields["login"])
        ent = register(ent_type="joint_stock")
        self.assertEqual(sql("SELECT ent_type, ent_type_other FROM enterprise WHERE id = %d"
                             % ent.id), [["joint_stock", None]])

    def submit(self, ent):
        app_id = self.start(ent, self.round_id)
        add_uploads(ent, app_id)
        return app_id, self.save(ent, app_id, complete_application(), action="submit")

    def test_branches_and_unincorporated_firms_fail(self):
        for kind, words in (("branch", "分公司"), ("sole_prop", "个人独资企业"),
                            ("partnership", "合伙企业")):
            with self.subTest(kind=kind):
                ent = register(ent_type=kind)
                app_id, r = self.submit(ent)
                self.assertStatus(r, 422)
                row = r.page.find("tr", **{"data-check": "legal_person"})
                self.assertEqual(row.attrs["data-state"], "fail")
                self.assertIn(words, row.text)
                self.assertIn("独立法人", row.text)
                self.assertEqual(self.row(app_id, "status")[0][0], "draft")

    def test_other_goes_to_the_city(self):
        ent = register(ent_type="other", ent_type_other="农村信用合作联社")
        self.assertEqual(sql("SELECT ent_type, ent_type_other FROM enterprise WHERE id = %d"
                             % ent.id), [["other", "农村信用合作联社"]])
        app_id, r = self.submit(ent)
        self.assertRedirect(r, "/apply/view?id=%d&submitted=1" % app_id)
        r = ent.client.get("/apply/view?id=%d" % app_id)
        self.assertEqual(self.checklist(r)["legal_person"], "warn")
        r = self.harbin.get("/apply/city?q=" + ent.uscc)
        row = r.page.find("tr", **{"data-id": str(app_id)})
        self.assertIn("需市（地）工信局核实", row.text)
        r = self.harbin.get("/apply/view?id=%d" % app_id)
        self.assertIn("农村信用合作联社", r.page.find(id="ent-type").text)
        self.assertIn("需市（地）工信局核实", r.page.find(id="ent-type").text)
        # An ordinary company is not flagged.
        plain = register()
        app2, r = self.submit(plain)
        self.assertRedirect(r, "/apply/view?id=%d&submitted=1" % app2)
        row = self.harbin.get("/apply/city?q=" + plain.uscc).page.find("tr", **{"data-id": str(app2)})
        self.assertNotIn("需市（地）工信局核实", row.text)

    def test_an_enterprise_without_a_type_gives_it_before_submitting(self):
        ent = register()
        # An enterprise registered before the type was asked for.
        sql("UPDATE enterprise SET ent_type = NULL WHERE id = %d" % ent.id)
        app_id, r = self.submit(ent)
        self.assertStatus(r, 422)
        row = r.page.find("tr", **{"data-check": "legal_person"})
        self.assertEqual(row.attrs["data-state"], "missing")
        self.assertIn("企业类型", row.text)
        # The profile page takes the type (and only that).
        r = ent.client.get("/apply/profile?id=%d" % app_id)
        self.assertStatus(r, 200)
        base = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
        r = ent.client.post("/apply/profile", {"id": str(app_id), "ent_type": "other",
                                               "ent_type_other": ""}, csrf=True)
        self.assertStatus(r, 422)
        self.assertIn("请注明", r.page.error_for("ent_type_other") or "")
        r = ent.client.post("/apply/profile", {"id": str(app_id), "ent_type": "llc",
                                               "name": "改名企图"}, csrf=True)
        self.assertRedirect(r, "/apply/edit?id=%d" % app_id)
        self.assertEqual(sql("SELECT ent_type, name FROM enterprise WHERE id = %d" % ent.id),
                         [["llc", ent.fields["name"]]])
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE id > %d AND action ="
                                   " 'enterprise.type' AND object_id = %s"
                                   % (base, q(str(ent.id)))), "1")
        # Once given, the page sends the user on.
        self.assertRedirect(ent.client.get("/apply/profile"), "/apply")
        r = self.save(ent, app_id, complete_application(), action="submit")
        self.assertRedirect(r, "/apply/view?id=%d&submitted=1" % app_id)


# --- 4 ------------------------------------------------------------------------

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f", "\u061c"]


class BidiControlTest(ApplyTestCase):
    def test_registration_fields(self):
        c = Client()
        for ch in BIDI:
            with self.subTest(ch="U+%04X" % ord(ch)):
                name = "哈尔滨" + ch + "测试有限公司"
                fields = reg_fields(name=name)
                fields[bgtest.PRE_FIELD] = test_apply.reg_token(c)
                r = c.post("/apply/register", fields)
                self.assertStatus(r, 422)
                self.assertIn("文字方向控制字符", r.page.error_for("name") or "")
                self.assertEqual(r.page.find("input", name="name").attrs.get("value"), name)
                self.assertNoAccount(fields["login"])

    def test_other_forms(self):
        admin = bgtest.admin_client()
        admin.get("/admin/calendar?year=2097")
        r = admin.post("/admin/calendar/add", {"date": "2097-01-01", "kind": "holiday",
                                               "name": "元\u202e旦"}, csrf=True)
        remove_year(admin, 2097)
        self.assertStatus(r, 422)
        self.assertIn("文字方向控制字符", r.text)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM calendar_day WHERE day = '2097-01-01'"),
                         "0")
        ent = register()
        round_id, _ = open_round()
        app_id = self.start(ent, round_id)
        before = self.row(app_id, "abstract, updated_at")
        r = self.save(ent, app_id, complete_application(abstract="正文\u2067倒序\u2069结束"))
        self.assertStatus(r, 422)
        self.assertIn("文字方向控制字符", r.text)
        self.assertEqual(self.row(app_id, "abstract, updated_at"), before)


# --- 5 ------------------------------------------------------------------------

class PasswordChangeLockoutTest(bgtest.TestCase):
    def change(self, client, old, new="Another#Pass9"):
        return client.post("/login/password", {"old_password": old, "new_password": new,
                                               "new_password2": new},
                           csrf=client.csrf_from())

    def failures(self, account):
        return sql("SELECT failed_logins, locked_until IS NOT NULL FROM account WHERE id = %d"
                   % account.id)[0]

    def test_wrong_current_passwords_lock_the_account(self):
        account = bgtest.create_account("expert")
        c = bgtest.logged_in(account)
        base = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
        hash_before = sql_value("SELECT password_hash FROM account WHERE id = %d" % account.id)
        for attempt in range(1, 5):
            r = self.change(c, WRONG)
            self.assertStatus(r, 422, "attempt %d" % attempt)
            self.assertIn("当前密码不正确", r.page.error_for("old_password") or "")
            self.assertEqual(self.failures(account), [str(attempt), "0"])
        # One failed login counts on the same counter: the fifth failure locks.
        self.assertStatus(Client().login(account.login, WRONG), 401)
        self.assertEqual(self.failures(account), ["5", "1"])
        r = self.change(c, account.password)
        self.assertStatus(r, 423)
        self.assertIn("锁定", r.error_summary() or "")
        self.assertEqual(sql_value("SELECT password_hash FROM account WHERE id = %d"
                                   % account.id), hash_before)
        actions = [a for (a,) in sql("SELECT action FROM audit WHERE id > %d AND object_id = %s"
                                     " ORDER BY id" % (base, q(str(account.id))))]
        self.assertEqual(actions, ["account.password_change_fail"] * 4
                         + ["login.fail", "account.lock", "account.password_change_fail"])
        summary = sql_value("SELECT summary FROM audit WHERE id > %d AND object_id = %s"
                            " AND action = 'account.password_change_fail' ORDER BY id LIMIT 1"
                            % (base, q(str(account.id))))
        self.assertIn("第1次", summary)

    def test_the_fifth_wrong_current_password_locks(self):
        account = bgtest.create_account("expert")
        c = bgtest.logged_in(account)
        for _ in range(4):
            self.assertStatus(self.change(c, WRONG), 422)
        r = self.change(c, WRONG)
        self.assertStatus(r, 423)
        self.assertIn("锁定", r.error_summary() or "")
        self.assertEqual(self.failures(account), ["5", "1"])
        self.assertEqual(sql_value("SELECT action FROM audit WHERE object_id = %s ORDER BY id"
                                   " DESC LIMIT 1" % q(str(account.id))), "account.lock")
        # The session stays (a lock never logs anybody out), the change waits.
        self.assertStatus(c.get("/home"), 200)
        self.assertStatus(self.change(c, account.password), 423)
        # Fifteen minutes later the right current password works again.
        sql("UPDATE account SET locked_until = NOW() - INTERVAL 1 SECOND WHERE id = %d"
            % account.id)
        r = self.change(c, account.password)
        self.assertRedirect(r, "/home")
        self.assertEqual(self.failures(account), ["0", "0"])

    def test_right_password_with_a_bad_new_one_is_not_counted(self):
        account = bgtest.create_account("expert")
        c = bgtest.logged_in(account)
        r = self.change(c, account.password, new="weak")
        self.assertStatus(r, 422)
        self.assertEqual(self.failures(account), ["0", "0"])


# --- 6 ------------------------------------------------------------------------

class LockoutEnumerationTest(bgtest.TestCase):
    def attempt(self, login, password):
        c = Client()
        r = c.login(login, password)
        token = getattr(c, "pre_token", None) or ""
        # What differs by construction: the login typed and the token.
        body = r.text.replace(login, "LOGIN").replace(token, "TOKEN") if token else \
            r.text.replace(login, "LOGIN")
        return r.status, body, c

    def test_known_and_unknown_logins_answer_alike(self):
        account = bgtest.create_account("expert")
        unknown = bgtest.unique_login("ghost")
        for attempt in range(1, 8):
            with self.subTest(attempt=attempt):
                known = self.attempt(account.login, WRONG)
                ghost = self.attempt(unknown, WRONG)
                self.assertEqual(known[0], 401)
                self.assertEqual(known[:2], ghost[:2])
        self.assertIsNotNone(sql_value("SELECT locked_until FROM account WHERE id = %d"
                                       % account.id))
        # While locked even the right password gets the same answer, and no session.
        status, body, c = self.attempt(account.login, account.password)
        self.assertEqual((status, body), self.attempt(unknown, account.password)[:2])
        self.assertIsNone(c.session_token())
        self.assertNotIn("锁定15分钟，请稍后", body)
        # The lock still lifts by itself.
        sql("UPDATE account SET locked_until = NOW() - INTERVAL 1 SECOND WHERE id = %d"
            % account.id)
        self.assertRedirect(Client().login(account.login, account.password), "/home")

    def test_a_disabled_account_is_named_only_after_the_right_password(self):
        account = bgtest.create_account("expert")
        admin = bgtest.admin_client()
        admin.post("/admin/user/disable", {"id": str(account.id)}, csrf=admin.csrf_from())
        unknown = bgtest.unique_login("ghost")
        known = self.attempt(account.login, WRONG)
        self.assertEqual(known[:2], self.attempt(unknown, WRONG)[:2])
        r = Client().login(account.login, account.password)
        self.assertStatus(r, 403)
        self.assertIn("停用", r.error_summary() or "")


# --- 7 ------------------------------------------------------------------------

class LoginCsrfTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = bgtest.create_account("expert")

    def logins_ok(self):
        return int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'login.ok' AND"
                             " account_id = %d" % self.account.id))

    def test_the_form_carries_a_token_and_its_cookie(self):
        c = Client()
        r = c.get("/login")
        self.assertStatus(r, 200)
        token = r.page.find("input", name="pre_token").attrs.get("value")
        self.assertEqual(len(token), 64)
        self.assertTrue(any(h.startswith("bg_pre=" + token) and "HttpOnly" in h
                            and "SameSite=Strict" in h for h in r.header_all("Set-Cookie")))
        # The registration form uses the same token (one mechanism).
        r = c.get("/apply/register")
        self.assertEqual(r.page.find("input", name="pre_token").attrs.get("value"), token)

    def test_post_without_matching_token_is_refused(self):
        before = self.logins_ok()
        c = Client()
        good = c.get("/login").page.find("input", name="pre_token").attrs["value"]
        for label, token in [("missing", None), ("other", secrets.token_hex(32)),
                             ("short", good[:32]), ("upper", good.upper())]:
            with self.subTest(token=label):
                fields = [("login", self.account.login), ("password", self.account.password)]
                if token is not None:
                    fields.append(("pre_token", token))
                r = c.post("/login", fields)
                self.assertStatus(r, 403)
                self.assertIn("表单已失效", r.text)
                self.assertIsNone(c.session_token())
        # A forged form elsewhere has no cookie: the token alone is no good.
        r = Client().post("/login", {"login": self.account.login,
                                     "password": self.account.password, "pre_token": good})
        self.assertStatus(r, 403)
        self.assertEqual(self.logins_ok(), before)

    def test_cross_site_posts_are_refused(self):
        before = self.logins_ok()
        for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                        {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}):
            with self.subTest(headers=headers):
                c = Client()
                token = c.get("/login").page.find("input", name="pre_token").attrs["value"]
                r = c.post("/login", {"login": self.account.login,
                                      "password": self.account.password, "pre_token": token},
                           headers=headers)
                self.assertStatus(r, 403)
                self.assertIsNone(c.session_token())
        self.assertEqual(self.logins_ok(), before)
        # The same request from the site itself passes.
        c = Client()
        token = c.get("/login").page.find("input", name="pre_token").attrs["value"]
        origin = bgtest.CONFIG.base_url
        r = c.post("/login", {"login": self.account.login, "password": self.account.password,
                              "pre_token": token},
                   headers={"Origin": origin, "Sec-Fetch-Site": "same-origin"})
        self.assertRedirect(r, "/home")
        # Registration refuses a cross-site post too.
        c = Client()
        fields = reg_fields()
        fields[bgtest.PRE_FIELD] = c.get("/apply/register").page.find(
            "input", name="pre_token").attrs["value"]
        r = c.post("/apply/register", fields, headers={"Origin": "https://evil.example"})
        self.assertStatus(r, 403)
        self.assertNoAccount(fields["login"])


# --- 8 ------------------------------------------------------------------------

class CanonicalLoginTest(bgtest.TestCase):
    def test_login_names_are_canonical(self):
        account = bgtest.create_account("expert", tag="can")
        login = account.login
        upper = login.upper()
        full = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in login)
        accented = login.replace("t", "\u0163", 1)  # ţ: t with cedilla
        for variant in (full, accented, "x" + login[1:] if login[0] != "x" else "y" + login[1:]):
            with self.subTest(variant=variant):
                r = Client().login(variant, account.password)
                self.assertStatus(r, 401)
        for variant in (login, upper, " %s " % login, "\t" + upper):
            with self.subTest(variant=variant):
                base = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
                c = Client()
                r = c.login(variant, account.password)
                self.assertRedirect(r, "/home")
                self.assertEqual(sql("SELECT login FROM audit WHERE id > %d AND action ="
                                     " 'login.ok' AND account_id = %d" % (base, account.id)),
                                 [[login]])
        # Failures are audited in canonical form too.
        base = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
        Client().login(" " + upper, WRONG)
        self.assertEqual(sql("SELECT login FROM audit WHERE id > %d AND action = 'login.fail'"
                             " AND account_id = %d" % (base, account.id)), [[login]])

    def test_the_column_compares_exactly(self):
        self.assertEqual(sql_value("SELECT COLLATION_NAME FROM information_schema.COLUMNS"
                                   " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'account'"
                                   " AND COLUMN_NAME = 'login'"), "utf8mb4_bin")


# --- 9 ------------------------------------------------------------------------

def chained_audit_sql(n, tag):
    """n transactions, each one audit row chained exactly as core/audit.c
    does (length-prefixed fields, SHA-256), written by the mariadb client."""
    def part(s):
        return "-1:" if s is None else "%d:%s" % (len(s.encode("utf-8")), s)
    fixed = part("0") + part(None) + part("operator") + part(None) + part(tag) \
        + part(None) + part(None) + part("concurrent writer")
    one = ("START TRANSACTION;"
           "SELECT last_hash INTO @p FROM audit_head WHERE id = 1 FOR UPDATE;"
           "SET @at = DATE_FORMAT(NOW(), '%%Y-%%m-%%d %%H:%%i:%%s');"
           "SET @h = SHA2(CONCAT(LENGTH(@p), ':', @p, LENGTH(@at), ':', @at, %s), 256);"
           "INSERT INTO audit (at, account_id, login, role, ip, action, object_type, object_id,"
           " summary, prev_hash, hash) VALUES (@at, NULL, NULL, 'operator', NULL, %s, NULL, NULL,"
           " 'concurrent writer', @p, @h);"
           "UPDATE audit_head SET last_hash = @h WHERE id = 1;"
           "COMMIT;\n") % (q(fixed), q(tag))
    return one * n


class AuditVerifySnapshotTest(bgtest.TestCase):
    def test_no_false_alarm_under_a_concurrent_writer(self):
        conf = bgtest.read_conf()
        tag = "test.verify_writer"
        args = ["mariadb", "--no-defaults", "--batch", "--default-character-set=utf8mb4",
                "--socket=" + conf["db_socket"], "--user=" + conf["db_user"],
                "--database=" + conf["db_name"]]
        env = dict(os.environ, MYSQL_PWD=conf.get("db_password", ""))
        before = int(sql_value("SELECT COUNT(*) FROM audit WHERE action = %s" % q(tag)))
        writer = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, env=env)
        def feed_writer():
            try:
                writer.stdin.write(chained_audit_sql(20000, tag).encode())
                writer.stdin.close()
            except OSError:
                pass  # killed at the end of the test: expected
        feed = threading.Thread(target=feed_writer)
        feed.start()
        alarms, runs = [], 0
        deadline = time.monotonic() + 4
        try:
            while time.monotonic() < deadline and writer.poll() is None:
                p = bgtest.admin_tool("audit", "verify", check=False)
                runs += 1
                if p.returncode != 0:
                    alarms.append(p.stdout + p.stderr)
        finally:
            writer.kill()
            writer.wait()
            feed.join()
        written = int(sql_value("SELECT COUNT(*) FROM audit WHERE action = %s" % q(tag))) - before
        self.assertGreater(written, 50, "the writer wrote too little to test anything")
        self.assertGreater(runs, 3)
        self.assertEqual(alarms, [], "%d of %d verify runs raised a false alarm" %
                         (len(alarms), runs))
        # The rows the writer left (a killed transaction rolls back) chain too.
        p = bgtest.admin_tool("audit", "verify", check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
