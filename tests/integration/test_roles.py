"""Each role logs in and sees its own home page; no session means a redirect
to the login page; the wrong role is refused with 403."""

import unittest
import urllib.parse

import bgtest
from bgtest import Client, HARBIN, sql_value, q

# Every page that needs a session, as GET paths.
PROTECTED_GET = [
    "/home",
    "/admin",
    "/admin/users",
    "/admin/users/new",
    "/admin/user?id=1",
    "/admin/audit",
    "/login/password",
    "/login/logout",
]
# The province administrator's pages.
ADMIN_GET = ["/admin", "/admin/users", "/admin/users/new", "/admin/user?id=1", "/admin/audit"]
ADMIN_POST = ["/admin/users/new", "/admin/user/reset", "/admin/user/disable",
              "/admin/user/enable", "/admin/user/unlock"]


class RolesTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accounts = {
            "province": bgtest.province_account(),
            "city": bgtest.create_account("city", city=HARBIN[0]),
            "expert": bgtest.create_account("expert"),
            "enterprise": bgtest.create_account("enterprise"),
        }
        cls.clients = {role: bgtest.logged_in(a) for role, a in cls.accounts.items()
                       if role != "province"}
        cls.clients["province"] = bgtest.admin_client()

    def test_each_role_sees_its_home_page(self):
        for role, client in self.clients.items():
            with self.subTest(role=role):
                r = client.get("/home")
                self.assertStatus(r, 200)
                self.assertEqual(r.role(), role)
                # The header names the user, and only their own role's card is shown.
                self.assertIn(self.accounts[role].name, r.text)
                cards = [e.text for e in r.page.find_all("section", class_="card")]
                self.assertEqual(len(cards), 1, cards)

    def test_city_home_names_its_city(self):
        r = self.clients["city"].get("/home")
        self.assertStatus(r, 200)
        card = r.page.find("section", class_="card")
        self.assertIn(HARBIN[1], card.text)

    def test_navigation_by_role(self):
        for role, client in self.clients.items():
            with self.subTest(role=role):
                r = client.get("/home")
                nav = r.page.find("nav", class_="main")
                links = [a.attrs.get("href") for a in r.page.find_all("a")]
                self.assertIsNotNone(nav)
                if role == "province":
                    self.assertIn("/admin/users", links)
                else:
                    self.assertNotIn("/admin/users", links)
                    self.assertNotIn("/admin/audit", links)

    def test_login_redirects_to_home(self):
        c = Client()
        r = c.login(self.accounts["expert"].login, self.accounts["expert"].password)
        self.assertRedirect(r, "/home")
        self.assertEqual(r.location, "/home")
        # A logged-in user asking for the login form goes home.
        r = c.get("/login")
        self.assertEqual((r.status, r.location), (303, "/home"))

    def test_login_follows_local_next_only(self):
        cases = [
            ("/admin/users", "/admin/users"),
            ("//evil.example/x", "/home"),
            ("http://evil.example/", "/home"),
            ("/\\evil.example", "/home"),
            ("/login/logout", "/home"),  # never back into the login program
        ]
        for next_path, want in cases:
            with self.subTest(next=next_path):
                c = Client()
                r = c.login(self.accounts["province"].login, self.accounts["province"].password,
                            next_path=next_path)
                self.assertStatus(r, 303)
                self.assertEqual(r.location, want)

    def test_next_cannot_inject_headers(self):
        for next_path in ("/home\r\nSet-Cookie: x=1", "/home\nX-Evil: 1", "/home\x00"):
            with self.subTest(next=next_path):
                c = Client()
                r = c.login(self.accounts["expert"].login, self.accounts["expert"].password,
                            next_path=next_path)
                self.assertIn(r.status, (303, 400, 422))
                self.assertIsNone(r.headers.get("X-Evil"))
                self.assertFalse([v for v in r.header_all("Set-Cookie") if v.startswith("x=")])
                if r.status == 303:
                    self.assertEqual(r.location, "/home")

    def test_no_session_redirects_to_login(self):
        c = Client()
        for path in PROTECTED_GET:
            with self.subTest(path=path):
                r = c.get(path)
                # The return address keeps the query (/admin/user?id=1).
                self.assertLoginRedirect(r, path)
                self.assertSecurityHeaders(r, path)
        # After logging in, the user lands on the page asked for, query and all.
        admin = bgtest.province_account()
        returning = Client()
        r = returning.get("/admin/user?id=1")
        next_path = urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)["next"][0]
        r = returning.login(admin.login, admin.password, next_path=next_path)
        self.assertRedirect(r, "/admin/user?id=1")
        # The login page shows the form with the page to return to.
        r = c.get("/login?next=%2Fadmin%2Fusers")
        self.assertStatus(r, 200)
        self.assertEqual(r.role(), "public")
        self.assertEqual(r.page.find("input", name="next").attrs.get("value"), "/admin/users")

    def test_no_session_post_redirects_to_login(self):
        c = Client()
        for path in ADMIN_POST + ["/login/password", "/login/logout"]:
            with self.subTest(path=path):
                r = c.post(path, {"id": "1", "csrf": "0" * 64})
                self.assertLoginRedirect(r)

    def test_a_garbage_cookie_is_no_session(self):
        for token in ["", "x", "0" * 64, "g" * 64, "A" * 64, "0" * 1000]:
            with self.subTest(token=token[:10]):
                c = Client()
                c.set_session_token(token)
                self.assertLoginRedirect(c.get("/home"), "/home")

    def test_wrong_role_is_forbidden(self):
        for role in ("city", "expert", "enterprise"):
            client = self.clients[role]
            for path in ADMIN_GET:
                with self.subTest(role=role, path=path):
                    r = client.get(path)
                    self.assertStatus(r, 403)
                    self.assertEqual(r.role(), role)
                    self.assertSecurityHeaders(r, path)
                    self.assertIn("权限", r.text)

    def test_wrong_role_post_is_forbidden_and_changes_nothing(self):
        victim = self.accounts["expert"]
        before = bgtest.sql("SELECT disabled, must_change_password, password_hash "
                            "FROM account WHERE id = %d" % victim.id)
        for role in ("city", "enterprise"):
            client = self.clients[role]
            token = client.csrf_from("/login/password")
            for path in ADMIN_POST:
                with self.subTest(role=role, path=path):
                    r = client.post(path, {"id": str(victim.id), "login": bgtest.unique_login(),
                                           "display_name": "x", "role": "province"},
                                    csrf=token)
                    self.assertStatus(r, 403)
        after = bgtest.sql("SELECT disabled, must_change_password, password_hash "
                           "FROM account WHERE id = %d" % victim.id)
        self.assertEqual(before, after)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE object_type = 'account' "
                                   "AND object_id = %s AND action IN ('account.disable', "
                                   "'account.password_reset')" % q(str(victim.id))), "0")

    def test_province_reaches_admin_pages(self):
        client = self.clients["province"]
        for path in ADMIN_GET:
            with self.subTest(path=path):
                r = client.get(path)
                # /admin/user?id=1 may be any account, or none on an odd database.
                self.assertIn(r.status, (200, 404) if "id=" in path else (200,))
                self.assertEqual(r.role(), "province")

    def test_unknown_page_and_method(self):
        client = self.clients["province"]
        r = client.get("/admin/nosuch")
        self.assertStatus(r, 404)
        self.assertSecurityHeaders(r, "404")
        r = client.get("/admin/user/unlock")
        self.assertStatus(r, 405)
        self.assertIn("POST", r.headers.get("Allow", ""))
        self.assertSecurityHeaders(r, "405")
        r = client.request("PUT", "/home", body=b"")
        self.assertStatus(r, 405)


if __name__ == "__main__":
    unittest.main()
