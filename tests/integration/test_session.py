"""Sessions: the cookie's flags, logout (POST ends the session, GET changes
nothing), the 30-minute idle timeout, and a fresh token on every login."""

import unittest

import bgtest
from bgtest import Client, q, sql, sql_value, token_hash_hex


def session_rows(token):
    return sql("SELECT account_id FROM session WHERE token_hash = UNHEX(%s)"
               % q(token_hash_hex(token)))


class SessionTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = bgtest.create_account("expert")

    def test_cookie_flags(self):
        c = Client()
        r = c.login(self.account.login, self.account.password)
        self.assertStatus(r, 303)
        cookies = [v for v in r.header_all("Set-Cookie") if v.startswith("bg_session=")]
        self.assertEqual(len(cookies), 1, r.header_all("Set-Cookie"))
        parts = [p.strip() for p in cookies[0].split(";")]
        token = parts[0].split("=", 1)[1]
        flags = {p.split("=", 1)[0].lower(): (p.split("=", 1) + [None])[1] for p in parts[1:]}
        self.assertRegex(token, r"^[0-9a-f]{64}$")  # 256 bits
        self.assertIn("httponly", flags)
        self.assertEqual(flags.get("samesite"), "Strict")
        self.assertEqual(flags.get("path"), "/")
        # The stack runs on plain HTTP (cookie_secure = false).
        secure = bgtest.read_conf().get("cookie_secure", "false") == "true"
        self.assertEqual("secure" in flags, secure)
        # The database has only the token's hash.
        self.assertEqual(session_rows(token), [[str(self.account.id)]])
        self.assertEqual(sql_value("SELECT COUNT(*) FROM session WHERE HEX(token_hash) = %s"
                                   % q(token.upper())), "0")

    def test_every_login_makes_a_new_token(self):
        c = Client()
        c.login(self.account.login, self.account.password)
        first = c.session_token()
        # Logging in again from the same browser (a login form still open in
        # another tab) replaces (and ends) the old session.
        c.login(self.account.login, self.account.password)
        second = c.session_token()
        self.assertNotEqual(first, second)
        self.assertEqual(session_rows(first), [])
        self.assertEqual(len(session_rows(second)), 1)

    def test_a_session_cookie_works_in_another_client(self):
        # Sessions live in the database, not in one worker or one connection.
        c = bgtest.logged_in(self.account)
        other = Client()
        other.set_session_token(c.session_token())
        for _ in range(6):  # spread over the workers
            r = other.get("/home")
            self.assertStatus(r, 200)
            self.assertEqual(r.role(), "expert")

    def test_the_header_names_the_sessions_account(self):
        # Every page's header comes from the account row the session loads
        # (session_load): its name, its role and its city.
        city = bgtest.create_account("city", city="230100", tag="hdr")
        r = bgtest.logged_in(city).get("/home")
        self.assertStatus(r, 200)
        self.assertIn('<span class="name">%s</span>' % city.name, r.text)
        self.assertIn('<span class="role">市（地）工信局 · 哈尔滨市</span>', r.text)

    def test_get_logout_changes_nothing(self):
        c = bgtest.logged_in(self.account)
        token = c.session_token()
        r = c.get("/login/logout")
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.page.find("form", action="/login/logout"))
        self.assertEqual(r.header_all("Set-Cookie"), [])
        self.assertEqual(len(session_rows(token)), 1)
        self.assertStatus(c.get("/home"), 200)

    def test_post_logout_ends_the_session(self):
        c = bgtest.logged_in(self.account)
        token = c.session_token()
        last = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
        r = c.post("/login/logout", {}, csrf=c.csrf_from("/login/logout"))
        self.assertStatus(r, 303)
        self.assertEqual(r.location, "/login?bye=1")
        cleared = [v for v in r.header_all("Set-Cookie") if v.startswith("bg_session=")]
        self.assertEqual(len(cleared), 1)
        self.assertTrue(cleared[0].startswith("bg_session=;"), cleared[0])
        self.assertIn("Max-Age=0", cleared[0])
        self.assertEqual(session_rows(token), [])
        # Exactly this logout's record, written by this request (another
        # test logs the same account out too: only rows after `last` count).
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'logout' "
                                   "AND account_id = %d AND id > %d" % (self.account.id, last)),
                         "1")
        r = c.get("/login?bye=1")
        self.assertStatus(r, 200)
        self.assertIn("您已安全退出", r.text)
        # The old cookie, replayed, no longer works.
        replay = Client()
        replay.set_session_token(token)
        self.assertLoginRedirect(replay.get("/home"), "/home")
        r = replay.post("/login/logout", {}, csrf="0" * 64)
        self.assertLoginRedirect(r)

    def test_logout_ends_only_that_session(self):
        a = bgtest.logged_in(self.account)
        b = bgtest.logged_in(self.account)
        self.assertRedirect(a.post("/login/logout", {}, csrf=a.csrf_from()), "/login")
        self.assertStatus(b.get("/home"), 200)

    def test_idle_session_expires(self):
        c = bgtest.logged_in(self.account)
        token = c.session_token()
        # 29 minutes idle: still fine, and the request counts as activity.
        sql("UPDATE session SET last_seen = NOW() - INTERVAL 29 MINUTE WHERE token_hash = UNHEX(%s)"
            % q(token_hash_hex(token)))
        self.assertStatus(c.get("/home"), 200)
        self.assertEqual(sql_value("SELECT TIMESTAMPDIFF(SECOND, last_seen, NOW()) < 60 "
                                   "FROM session WHERE token_hash = UNHEX(%s)"
                                   % q(token_hash_hex(token))), "1")
        # 31 minutes idle: gone.
        sql("UPDATE session SET last_seen = NOW() - INTERVAL 31 MINUTE WHERE token_hash = UNHEX(%s)"
            % q(token_hash_hex(token)))
        r = c.get("/home")
        self.assertLoginRedirect(r, "/home", expired=True)
        self.assertSecurityHeaders(r, "expired")
        cleared = [v for v in r.header_all("Set-Cookie") if v.startswith("bg_session=")]
        self.assertEqual(len(cleared), 1)
        self.assertIn("Max-Age=0", cleared[0])
        r = c.get(r.location)
        self.assertStatus(r, 200)
        notice = r.page.find("p", class_="notice")
        self.assertIsNotNone(notice)
        self.assertIn("超时", notice.text)
        # The old token stays dead even when replayed.
        replay = Client()
        replay.set_session_token(token)
        r = replay.get("/home")
        self.assertStatus(r, 303)
        self.assertTrue(r.location.startswith("/login"), r.location)
        self.assertNotEqual(replay.get("/admin").status, 200)
        # A POST with an expired session is not carried out either.
        r = replay.post("/login/password", {"old_password": self.account.password,
                                            "new_password": "Expired#Pass1",
                                            "new_password2": "Expired#Pass1",
                                            "csrf": "0" * 64})
        self.assertStatus(r, 303)
        self.assertTrue(r.location.startswith("/login"), r.location)


if __name__ == "__main__":
    unittest.main()
