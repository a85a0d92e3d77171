"""Sessions: the cookie's flags, logout (POST ends the session, GET changes
nothing), the 30-minute idle timeout and the 8-hour lifetime, a fresh token on
every login, the previous login shown to the user, and the online-users page
where an administrator ends sessions."""

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
        where = "WHERE token_hash = UNHEX(%s)" % q(token_hash_hex(token))

        def idle_for(seconds):
            sql("UPDATE session SET last_seen = NOW() - INTERVAL %d SECOND %s" % (seconds, where))

        def idle_seconds():
            return int(sql_value("SELECT TIMESTAMPDIFF(SECOND, last_seen, NOW()) FROM session "
                                 + where))
        # 29 minutes idle: still fine, and the request counts as activity.
        idle_for(29 * 60)
        self.assertStatus(c.get("/home"), 200)
        self.assertLess(idle_seconds(), 60)
        # Activity is written at most once a minute: half a minute ago stays.
        idle_for(30)
        self.assertStatus(c.get("/home"), 200)
        self.assertGreaterEqual(idle_seconds(), 25)
        # 31 minutes idle: gone.
        idle_for(31 * 60)
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


    def test_lifetime_ends_a_busy_session(self):
        # Active a minute ago, but logged in 8 hours ago: the absolute
        # lifetime (session_max_seconds, 28800) ends it however busy.
        c = bgtest.logged_in(self.account)
        where = "WHERE token_hash = UNHEX(%s)" % q(token_hash_hex(c.session_token()))
        sql("UPDATE session SET created_at = NOW() - INTERVAL 479 MINUTE, last_seen = NOW() "
            + where)
        self.assertStatus(c.get("/home"), 200)
        sql("UPDATE session SET created_at = NOW() - INTERVAL 481 MINUTE " + where)
        r = c.get("/home")
        self.assertLoginRedirect(r, "/home", expired="lifetime")
        self.assertEqual(sql("SELECT 1 FROM session " + where), [])
        notice = c.get(r.location).page.find("p", class_="notice")
        self.assertIsNotNone(notice)
        self.assertIn("已满8小时", notice.text)
        # A POST is not carried out either, and gets no next.
        replay = Client()
        replay.set_session_token(c.session_token() or "0" * 64)
        self.assertLoginRedirect(replay.post("/login/logout", {}, csrf="0" * 64))

    def test_the_previous_login_is_shown(self):
        acct = bgtest.create_account("expert", tag="prev")
        r = bgtest.logged_in(acct).get("/home")
        self.assertEqual(r.page.find("span", class_="last-login").text, "首次登录")
        sql("UPDATE account SET last_login_at = '2026-11-30 09:12:00', last_login_ip = '10.1.2.3' "
            "WHERE id = %d" % acct.id)
        r = bgtest.logged_in(acct).get("/home")
        self.assertEqual(r.page.find("span", class_="last-login").text,
                         "上次登录 2026年11月30日 09:12（10.1.2.3）")
        # This login is the next one's "previous", with its address.
        self.assertEqual(sql("SELECT last_login_ip, TIMESTAMPDIFF(SECOND, last_login_at, NOW()) < 60"
                             " FROM account WHERE id = %d" % acct.id), [["127.0.0.1", "1"]])
        r = bgtest.logged_in(acct).get("/home")
        self.assertRegex(r.page.find("span", class_="last-login").text,
                         r"^上次登录 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d（127\.0\.0\.1）$")
        # The account's page tells the administrator the same.
        r = bgtest.admin_client().get("/admin/user?id=%d" % acct.id)
        self.assertIn("（127.0.0.1）", r.text)


def session_id(client):
    return int(sql_value("SELECT id FROM session WHERE token_hash = UNHEX(%s)"
                         % q(token_hash_hex(client.session_token()))))


def audit_count(action, account_id, after):
    return int(sql_value("SELECT COUNT(*) FROM audit WHERE action = %s AND object_type = "
                         "'account' AND object_id = %s AND id > %d"
                         % (q(action), q(str(account_id)), after)))


class OnlineUsersTest(bgtest.TestCase):
    """/admin/sessions: who is logged in, since when, from where; ending one
    session or all of an account's (等保 8.1.4.1)."""

    def setUp(self):
        # Its own administrator session: these tests end sessions.
        self.admin = bgtest.logged_in(bgtest.province_account())
        self.last = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))

    def test_the_list_and_ending_one_session(self):
        acct = bgtest.create_account("city", city="230100", tag="onl")
        user = bgtest.logged_in(acct)
        sid = session_id(user)
        r = self.admin.get("/admin/sessions")
        self.assertStatus(r, 200)
        self.assertRegex(r.text, r"当前共有 <strong>\d+</strong> 个有效会话")
        link = r.page.find("a", href="/admin/user?id=%d" % acct.id)
        self.assertIsNotNone(link, "the user's session is listed")
        self.assertEqual(link.text, acct.login)
        self.assertIn("127.0.0.1", r.text)
        # The browser as the login sent it (urllib's), never the raw bytes of a header.
        self.assertIn("Python-urllib", r.text)
        # Shown escaped, whatever a browser claims to be.
        sql("UPDATE session SET user_agent = '<b>x</b>' WHERE id = %d" % sid)
        r = self.admin.get("/admin/sessions")
        self.assertIn("&lt;b&gt;x&lt;/b&gt;", r.text)
        self.assertNotIn("<b>x</b>", r.text)
        self.assertIsNotNone(r.page.find("input", name="session", value=str(sid)))
        # The administrator's own session is marked, with no end button.
        own = session_id(self.admin)
        self.assertIsNone(r.page.find("input", name="session", value=str(own)))
        # Exactly one row, whichever comes first (a row once inherited the
        # first row's mark in the template).
        self.assertEqual(len([e for e in r.page.find_all("td") if e.text == "当前会话"]), 1)
        self.assertStatus(self.admin.post("/admin/sessions/end", {"session": own}, csrf=True), 409)
        self.assertStatus(self.admin.get("/home"), 200)

        r = self.admin.post("/admin/sessions/end", {"session": sid}, csrf=self.admin.csrf_from())
        self.assertRedirect(r, "/admin/sessions?ended=1")
        self.assertIn("会话已结束", self.admin.get(r.location).text)
        self.assertLoginRedirect(user.get("/home"), "/home")
        self.assertEqual(audit_count("session.end_one", acct.id, self.last), 1)
        # Ended already: 404, nothing more written.
        r = self.admin.post("/admin/sessions/end", {"session": sid}, csrf=self.admin.csrf_from())
        self.assertStatus(r, 404)
        self.assertEqual(audit_count("session.end_one", acct.id, self.last), 1)

    def test_ending_all_sessions_of_an_account(self):
        acct = bgtest.create_account("expert", tag="onl")
        a, b = bgtest.logged_in(acct), bgtest.logged_in(acct)
        other = bgtest.logged_in(bgtest.create_account("expert", tag="onl"))
        r = self.admin.get("/admin/user?id=%d" % acct.id)
        self.assertStatus(r, 200)
        for c in (a, b):
            self.assertIsNotNone(r.page.find("input", name="session", value=str(session_id(c))))
        # Its page's buttons lead back to it.
        self.assertEqual(len(r.page.find_all("input", name="back", value="user")), 2)
        # One of them, from the account's page: back to it.
        r = self.admin.post("/admin/sessions/end", {"session": session_id(a), "back": "user"},
                            csrf=True)
        self.assertRedirect(r, "/admin/user?id=%d&done=1" % acct.id)
        self.assertLoginRedirect(a.get("/home"), "/home")
        self.assertStatus(b.get("/home"), 200)
        a = bgtest.logged_in(acct)
        r = self.admin.post("/admin/user/sessions/end", {"id": acct.id},
                            csrf=self.admin.csrf_from())
        self.assertRedirect(r, "/admin/user?id=%d&done=1" % acct.id)
        for c in (a, b):
            self.assertLoginRedirect(c.get("/home"), "/home")
        self.assertStatus(other.get("/home"), 200)
        self.assertEqual(audit_count("session.end_all", acct.id, self.last), 1)
        self.assertIn("（2个）", sql_value(
            "SELECT summary FROM audit WHERE action = 'session.end_all' AND id > %d" % self.last))
        self.assertIn("该账户目前没有登录中的会话", self.admin.get("/admin/user?id=%d" % acct.id).text)
        # Not one's own account: that is 退出.
        me = bgtest.province_account().id
        r = self.admin.post("/admin/user/sessions/end", {"id": me}, csrf=self.admin.csrf_from())
        self.assertStatus(r, 409)
        self.assertStatus(self.admin.get("/home"), 200)


if __name__ == "__main__":
    unittest.main()
