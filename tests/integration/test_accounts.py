"""The province administrator creates accounts through /admin/users/new;
the new user must change the initial password before anything else; bad
input changes nothing.  A created account (or a reset) answers 303 to a page
that shows the generated password once (post/redirect/get, issue 7)."""

import secrets
import unittest
import urllib.parse

import bgtest
from bgtest import Client, HARBIN, q, sql, sql_value

NEW_PASSWORD = "Harbin#Bureau2026"


class CreateAndForcedChangeTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()

    def create(self, login, display_name, role, city=""):
        r = self.admin.get("/admin/users/new")
        self.assertStatus(r, 200)
        return self.admin.post("/admin/users/new", {"login": login, "display_name": display_name,
                                                    "role": role, "city_code": city}, csrf=True)

    def test_city_account_from_creation_to_first_login(self):
        login = bgtest.unique_login("hrb")
        r = self.create(login, "哈尔滨市工信局（测试）", "city", HARBIN[0])
        account_id = int(sql_value("SELECT id FROM account WHERE login = %s" % q(login)))
        self.assertRedirect(r, "/admin/user/password?id=%d" % account_id)
        self.assertNotIn("password", r.location.split("?", 1)[1])  # no secret in the URL
        r = self.admin.get(r.location)
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find(id="created-login").text, login)
        initial = r.page.find("code", id="initial-password").text
        self.assertGreaterEqual(len(initial), 12)
        row = sql("SELECT role, city_code, display_name, must_change_password, disabled "
                  "FROM account WHERE login = %s" % q(login))
        self.assertEqual(row, [["city", HARBIN[0], "哈尔滨市工信局（测试）", "1", "0"]])
        audit = sql("SELECT login, role, ip FROM audit WHERE action = 'account.create' "
                    "AND object_id = %s" % q(str(account_id)))
        self.assertEqual(audit, [[bgtest.province_account().login, "province", "127.0.0.1"]])
        # The password is shown once: never stored in clear, never on the list.
        listed = self.admin.get("/admin/users?q=" + login)
        self.assertIn(login, [e.text for e in listed.page.find_all("a")])
        self.assertNotIn(initial, listed.text)
        self.assertNotIn(initial, self.admin.get("/admin/user?id=%d" % account_id).text)

        # The new user logs in and is sent to the change form from every page.
        user = Client()
        r = user.login(login, initial)
        self.assertStatus(r, 303)
        for path in ("/home", "/home?changed=1", "/login"):
            with self.subTest(path=path):
                r = user.get(path)
                self.assertStatus(r, 303)
                if path != "/login":
                    self.assertEqual(r.location, "/login/password")
        r = user.get("/login/password")
        self.assertStatus(r, 200)
        self.assertEqual(r.role(), "city")
        self.assertIsNotNone(r.page.find("p", class_="notice"))
        self.assertIsNone(r.page.find("nav", class_="main"))  # no way around it
        # The wrong role still gets 403 rather than the change form.
        self.assertStatus(user.get("/admin/users"), 403)

        token = r.csrf()
        refusals = [
            # (new, again, old, field with the message)
            ("password", "password", initial, "new_password"),         # common and weak
            ("abcdefgh", "abcdefgh", initial, "new_password"),         # one class
            ("Ab1!", "Ab1!", initial, "new_password"),                 # short
            (login + "A1!", login + "A1!", initial, "new_password"),  # contains the login
            (initial, initial, initial, "new_password"),               # unchanged
            (NEW_PASSWORD, NEW_PASSWORD + "x", initial, "new_password2"),  # mismatch
            (NEW_PASSWORD, NEW_PASSWORD, "Wrong#Old123", "old_password"),  # wrong old one
        ]
        for new, again, old, field in refusals:
            with self.subTest(new=new, field=field):
                r = user.post("/login/password", {"old_password": old, "new_password": new,
                                                  "new_password2": again}, csrf=token)
                self.assertStatus(r, 422)
                errors = r.field_errors()
                self.assertEqual(len(errors), 1, errors)
                self.assertTrue(errors[0])
                # The message sits next to its field, and no password is echoed.
                self.assertEqual(r.page.error_for(field), errors[0])
                for e in r.page.find_all("input", type="password"):
                    self.assertFalse(e.attrs.get("value"))
                self.assertNotIn(initial, r.text)
                self.assertNotIn(NEW_PASSWORD, r.text)
                self.assertEqual(sql_value("SELECT must_change_password FROM account "
                                           "WHERE id = %d" % account_id), "1")
        # Still forced.
        self.assertEqual(user.get("/home").location, "/login/password")

        r = user.post("/login/password", {"old_password": initial, "new_password": NEW_PASSWORD,
                                          "new_password2": NEW_PASSWORD}, csrf=token)
        self.assertStatus(r, 303)
        self.assertEqual(r.location, "/home?changed=1")
        r = user.get(r.location)
        self.assertStatus(r, 200)
        self.assertEqual(r.role(), "city")
        self.assertIn("密码已修改", r.text)
        self.assertIn(HARBIN[1], r.page.find("section", class_="card").text)
        self.assertEqual(sql_value("SELECT must_change_password FROM account WHERE id = %d"
                                   % account_id), "0")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action = "
                                   "'account.password_change' AND object_id = %s"
                                   % q(str(account_id))), "1")

        # The old password is dead, the new one works.
        self.assertStatus(Client().login(login, initial), 401)
        r = Client().login(login, NEW_PASSWORD)
        self.assertRedirect(r, "/home")

    def test_reset_forces_a_change_and_ends_sessions(self):
        account = bgtest.create_account("expert")
        user = bgtest.logged_in(account)
        r = self.admin.get("/admin/user?id=%d" % account.id)
        r = self.admin.post("/admin/user/reset", {"id": str(account.id)}, csrf=True)
        self.assertRedirect(r, "/admin/user/password?id=%d&reset=1" % account.id)
        r = self.admin.get(r.location)
        self.assertStatus(r, 200)
        temporary = r.page.find("code", id="initial-password").text
        self.assertTrue(temporary)
        self.assertEqual(sql_value("SELECT must_change_password FROM account WHERE id = %d"
                                   % account.id), "1")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'account.password_reset'"
                                   " AND object_type = 'account' AND object_id = %s"
                                   % q(str(account.id))), "1")
        # The user's old session is gone, and so is the old password.
        self.assertLoginRedirect(user.get("/home"), "/home")
        self.assertStatus(Client().login(account.login, account.password), 401)
        c = Client()
        self.assertStatus(c.login(account.login, temporary), 303)
        self.assertEqual(c.get("/home").location, "/login/password")


class AccountStateTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()

    def test_disable_ends_sessions_and_refuses_login(self):
        account = bgtest.create_account("enterprise")
        user = bgtest.logged_in(account)
        self.admin.get("/admin/user?id=%d" % account.id)
        r = self.admin.post("/admin/user/disable", {"id": str(account.id)}, csrf=True)
        self.assertRedirect(r, "/admin/user?id=%d" % account.id)
        self.assertIn("已停用", self.admin.get(r.location).text)
        self.assertLoginRedirect(user.get("/home"), "/home")
        r = Client().login(account.login, account.password)
        self.assertStatus(r, 403)
        self.assertIn("停用", r.error_summary() or "")
        self.admin.get("/admin/user?id=%d" % account.id)
        r = self.admin.post("/admin/user/enable", {"id": str(account.id)}, csrf=True)
        self.assertRedirect(r, "/admin/user?id=%d" % account.id)
        self.assertRedirect(Client().login(account.login, account.password), "/home")
        actions = [row[0] for row in sql("SELECT action FROM audit WHERE object_id = %s "
                                         "AND action LIKE 'account.%%' ORDER BY id"
                                         % q(str(account.id)))]
        self.assertEqual(actions, ["account.create", "account.disable", "account.enable"])

    def test_password_change_ends_the_other_sessions(self):
        account = bgtest.create_account("expert")
        a = bgtest.logged_in(account)
        b = bgtest.logged_in(account)
        r = a.post("/login/password", {"old_password": account.password,
                                       "new_password": NEW_PASSWORD,
                                       "new_password2": NEW_PASSWORD}, csrf=a.csrf_from())
        self.assertRedirect(r, "/home")
        self.assertStatus(a.get("/home"), 200)
        self.assertLoginRedirect(b.get("/home"), "/home")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM session WHERE account_id = %d"
                                   % account.id), "1")

    def test_cannot_disable_oneself(self):
        me = bgtest.province_account()
        r = self.admin.get("/admin/user?id=%d" % me.id)
        self.assertStatus(r, 200)
        self.assertFalse([f for f in r.page.find_all("form")
                          if f.attrs.get("action") == "/admin/user/disable"])
        r = self.admin.post("/admin/user/disable", {"id": str(me.id)}, csrf=True)
        self.assertStatus(r, 409)
        self.assertEqual(sql_value("SELECT disabled FROM account WHERE id = %d" % me.id), "0")
        self.assertStatus(self.admin.get("/home"), 200)

    def test_unknown_or_bad_account_id(self):
        token = self.admin.csrf_from()
        for value in ("999999999999", "0", "-1", "abc", "1e3", "", "9" * 30):
            with self.subTest(id=value):
                self.assertStatus(self.admin.get("/admin/user?id=" + value), 404)
                r = self.admin.post("/admin/user/reset", {"id": value}, csrf=token)
                self.assertStatus(r, 404)
                self.assertIsNone(r.page.find("code", id="initial-password"))


class BadInputTest(bgtest.TestCase):
    """Each refused form re-displays with the reason and creates nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()
        cls.token = cls.admin.csrf_from("/admin/users/new")
        cls.existing = bgtest.create_account("expert", name="已有账户")

    def post(self, fields):
        return self.admin.post("/admin/users/new", fields, csrf=self.token)

    def accounts_total(self):
        return sql_value("SELECT COUNT(*) FROM account")

    def test_refused_fields(self):
        L = bgtest.unique_login
        cases = [
            # (label, fields, field that carries the message or "" for the whole form)
            ("login too long", dict(login="a" * 33, display_name="测试", role="expert"), "login"),
            ("login too short", dict(login="ab", display_name="测试", role="expert"), "login"),
            ("login upper case", dict(login="Abc" + L()[3:], display_name="测试", role="expert"),
             "login"),
            ("login with space", dict(login="a b" + L(), display_name="测试", role="expert"),
             "login"),
            ("login starts with -", dict(login="-" + L(), display_name="测试", role="expert"),
             "login"),
            ("login in Chinese", dict(login="用户" + L(), display_name="测试", role="expert"),
             "login"),
            ("login missing", dict(login="", display_name="测试", role="expert"), "login"),
            ("name missing", dict(login=L(), display_name="", role="expert"), "display_name"),
            ("name too long", dict(login=L(), display_name="名" * 65, role="expert"),
             "display_name"),
            ("name with newline", dict(login=L(), display_name="a\nb", role="expert"),
             "display_name"),
            ("name with control", dict(login=L(), display_name="a\x01b", role="expert"),
             "display_name"),
            ("role invalid", dict(login=L(), display_name="测试", role="superuser"), "role"),
            ("role enterprise", dict(login=L(), display_name="测试", role="enterprise"), "role"),
            ("role missing", dict(login=L(), display_name="测试", role=""), "role"),
            ("city missing for city",
             dict(login=L(), display_name="测试", role="city", city_code=""), "city_code"),
            ("city for expert",
             dict(login=L(), display_name="测试", role="expert", city_code=HARBIN[0]), "city_code"),
            ("city for province",
             dict(login=L(), display_name="测试", role="province", city_code=HARBIN[0]),
             "city_code"),
            ("unknown city", dict(login=L(), display_name="测试", role="city", city_code="239900"),
             "city_code"),
            ("malformed city", dict(login=L(), display_name="测试", role="city", city_code="23010x"),
             "city_code"),
            ("city too long",
             dict(login=L(), display_name="测试", role="city", city_code="2301000"), "city_code"),
        ]
        total = self.accounts_total()
        for label, fields, field in cases:
            with self.subTest(label):
                fields.setdefault("city_code", "")
                r = self.post(fields)
                self.assertStatus(r, 422)
                self.assertEqual(r.role(), "province")
                errors = r.field_errors()
                self.assertTrue(errors, "no message shown")
                # The message is right after its field.
                self.assertTrue(r.page.error_for(field), (field, errors))
                # The input is kept (except what cannot be shown back).
                if fields["display_name"] and "\n" not in fields["display_name"] \
                        and "\x01" not in fields["display_name"]:
                    self.assertEqual(r.page.find("input", name="display_name").attrs.get("value"),
                                     fields["display_name"])
                if fields["login"]:
                    self.assertNoAccount(fields["login"])
        self.assertEqual(self.accounts_total(), total)

    def test_limits_count_characters_not_bytes(self):
        # 64 Chinese characters are 192 bytes and still fit VARCHAR(64).
        login = bgtest.unique_login("max")
        r = self.post(dict(login=login, display_name="黑" * 64, role="expert", city_code=""))
        self.assertRedirect(r, "/admin/user/password?id=")
        self.assertEqual(sql_value("SELECT CHAR_LENGTH(display_name) FROM account WHERE login = %s"
                                   % q(login)), "64")

    def test_duplicate_login(self):
        total = self.accounts_total()
        r = self.post(dict(login=self.existing.login, display_name="冒名顶替", role="province",
                           city_code=""))
        self.assertStatus(r, 409)
        self.assertTrue(r.field_errors())
        self.assertIsNone(r.page.find("code", id="initial-password"))
        self.assertEqual(self.accounts_total(), total)
        self.assertEqual(sql("SELECT display_name, role FROM account WHERE login = %s"
                             % q(self.existing.login)), [["已有账户", "expert"]])

    def test_markup_in_display_name_is_escaped(self):
        login = bgtest.unique_login("xss")
        name = "<script>alert(1)</script>\"'&<b>"
        r = self.post(dict(login=login, display_name=name, role="expert", city_code=""))
        self.assertRedirect(r, "/admin/user/password?id=")
        self.assertEqual(sql_value("SELECT display_name FROM account WHERE login = %s" % q(login)),
                         name)
        r = self.admin.get("/admin/users?q=" + login)
        self.assertStatus(r, 200)
        self.assertNotIn("<script>alert(1)", r.text)
        self.assertNotIn("<b>", r.text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", r.text)
        cells = [e.text for e in r.page.find_all("td")]
        self.assertIn(name, cells)
        self.assertEqual(r.page.find_all("script"), [])
        # And on the refused form, where the value sits in an attribute.
        r = self.post(dict(login=login, display_name=name, role="expert", city_code=""))
        self.assertStatus(r, 409)
        self.assertEqual(r.page.find("input", name="display_name").attrs.get("value"), name)
        self.assertEqual(r.page.find_all("script"), [])

    def test_a_good_expert_account(self):
        # The control for the refusals: the same form with good values.
        login = bgtest.unique_login("exp")
        r = self.post(dict(login=login, display_name="评审专家（测试）", role="expert",
                           city_code=""))
        self.assertRedirect(r, "/admin/user/password?id=")
        self.assertEqual(sql("SELECT role, city_code, must_change_password FROM account "
                             "WHERE login = %s" % q(login)), [["expert", None, "1"]])


if __name__ == "__main__":
    unittest.main()


class AccountListTest(bgtest.TestCase):
    """The accounts list is paged on the server (50 a page, by role and
    login) and searched by login or name; the search's own % and _ are
    taken literally; a refused filter is explained and not applied."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()
        cls.tag = "pg" + secrets.token_hex(5)
        # 60 experts straight into the table (no password can log in with
        # "!"): the list's paging, not account creation, is under test.
        sql("INSERT INTO account (login, display_name, role, password_hash, must_change_password)"
            " SELECT CONCAT(%s, LPAD(seq, 3, '0')), CONCAT(%s, '号', seq), 'expert', '!', 0"
            " FROM seq_1_to_60" % (q(cls.tag), q(cls.tag)))

    @classmethod
    def tearDownClass(cls):
        sql("DELETE FROM account WHERE login LIKE %s" % q(cls.tag + "%"))
        super().tearDownClass()

    def logins(self, r):
        return [a.text for a in r.page.find_all("a") if a.text.startswith(self.tag)]

    def test_pages_of_fifty(self):
        r = self.admin.get("/admin/users?q=" + self.tag)
        self.assertStatus(r, 200)
        self.assertIn("共 60 个账户，第 1/2 页", r.page.find(id="list-total").text)
        self.assertEqual(self.logins(r), ["%s%03d" % (self.tag, i) for i in range(1, 51)])
        self.assertIsNone(r.page.find("a", rel="prev"))
        nxt = r.page.find("a", rel="next").attrs["href"]
        self.assertEqual(nxt, "/admin/users?q=%s&role=&page=2" % self.tag)
        r = self.admin.get(nxt)
        self.assertStatus(r, 200)
        self.assertEqual(self.logins(r), ["%s%03d" % (self.tag, i) for i in range(51, 61)])
        self.assertIsNone(r.page.find("a", rel="next"))
        self.assertEqual(r.page.find("a", rel="prev").attrs["href"],
                         "/admin/users?q=%s&role=&page=1" % self.tag)
        # Past the end (the list shrank meanwhile): the last page.
        r = self.admin.get("/admin/users?q=%s&page=99" % self.tag)
        self.assertStatus(r, 200)
        self.assertEqual(len(self.logins(r)), 10)

    def test_search_and_filters(self):
        r = self.admin.get("/admin/users?q=" + urllib.parse.quote(self.tag + "号7"))
        self.assertEqual(self.logins(r), ["%s007" % self.tag])
        # "_" is a character to find, not a wildcard (nor is "%").
        for pattern in ("号5_", "号%"):
            with self.subTest(pattern=pattern):
                r = self.admin.get("/admin/users?q=" + urllib.parse.quote(self.tag + pattern))
                self.assertStatus(r, 200)
                self.assertEqual(self.logins(r), [])
                self.assertIn("共 0 个账户", r.page.find(id="list-total").text)
        r = self.admin.get("/admin/users?role=province&q=" + self.tag)
        self.assertEqual(self.logins(r), [])
        r = self.admin.get("/admin/users?role=expert&q=%s05" % self.tag)
        self.assertEqual(self.logins(r), ["%s%03d" % (self.tag, i) for i in range(50, 60)])
        # A refused filter: 422, said at its field, the rest still applied.
        r = self.admin.get("/admin/users?role=root&q=" + self.tag)
        self.assertStatus(r, 422)
        self.assertIn("部分筛选条件无效", r.page.find("p", **{"class": "error-summary"}).text)
        self.assertTrue(r.page.error_for("role"))
        self.assertIn("共 60 个账户", r.page.find(id="list-total").text)
        # What was typed is kept in the box, escaped.
        typed = '"><x-q onclick=1>'
        r = self.admin.get("/admin/users?q=" + urllib.parse.quote(typed))
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find("input", name="q").attrs.get("value"), typed)
        self.assertNotIn("<x-q", r.text)
