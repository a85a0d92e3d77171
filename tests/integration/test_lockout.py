"""Lockout: five wrong passwords in a row lock the account for 15 minutes;
the lock and every login are audit records with the IP; the operator's
`biaogan-admin user unlock` lifts the lock.  The login form never shows the
lock: a locked account answers as a wrong password (and an unknown login)
do, so nobody learns which logins exist (test_rules_security.py compares
the pages)."""

import unittest

import bgtest
from bgtest import Client, q, sql, sql_value

WRONG = "Wrong#Pass123"


def audit_rows(account):
    """(action, login, role, ip, account_id) of the account's audit rows, oldest first."""
    return sql("SELECT action, login, role, ip, account_id FROM audit "
               "WHERE object_type = 'account' AND object_id = %s ORDER BY id"
               % q(str(account.id)))


class LockoutTest(bgtest.TestCase):
    def test_five_failures_lock_until_unlocked(self):
        account = bgtest.create_account("city", city=bgtest.DAQING[0])
        c = Client()
        # A good login first: its audit row, and failed_logins starts at 0.
        r = c.login(account.login, account.password)
        self.assertRedirect(r, "/home")
        c = Client()
        for attempt in range(1, 5):
            r = c.login(account.login, WRONG)
            self.assertStatus(r, 401, "attempt %d" % attempt)
            self.assertIn("用户名或密码错误", r.error_summary() or "")
            # The login is kept on the page, never the password.
            self.assertEqual(r.page.find("input", name="login").attrs.get("value"), account.login)
            self.assertNotIn(WRONG, r.text)
            self.assertIsNone(c.session_token())
            self.assertEqual(sql_value("SELECT failed_logins FROM account WHERE id = %d"
                                       % account.id), str(attempt))
        self.assertIsNone(sql_value("SELECT locked_until FROM account WHERE id = %d" % account.id))
        r = c.login(account.login, WRONG)
        self.assertStatus(r, 401, "the fifth failure")
        self.assertIn("用户名或密码错误", r.error_summary() or "")
        self.assertSecurityHeaders(r, "401")
        # Even the right password is refused now, and no session is made.
        r = c.login(account.login, account.password)
        self.assertStatus(r, 401, "the right password while locked")
        self.assertIn("用户名或密码错误", r.error_summary() or "")
        self.assertIsNone(c.session_token())
        # Only the session of the good login before.
        self.assertEqual(sql_value("SELECT COUNT(*) FROM session WHERE account_id = %d"
                                   % account.id), "1")

        # The lock lasts 15 minutes (DATETIMEs are Beijing time, as is NOW()
        # on a +08:00 connection).
        row = sql("SELECT locked_until, TIMESTAMPDIFF(SECOND, NOW(), locked_until) FROM account "
                  "WHERE id = %d" % account.id)[0]
        self.assertIsNotNone(row[0])
        self.assertTrue(14 * 60 <= int(row[1]) <= 15 * 60, row)

        actions = [r[0] for r in audit_rows(account)]
        self.assertEqual(actions[:2], ["account.create", "login.ok"], actions)
        # The attempt on the locked account is a refusal (sql/012, core/audit.h).
        self.assertEqual(actions[2:], ["login.fail"] * 5 + ["account.lock", "refused.locked"],
                         actions)
        for action, login, role, ip, account_id in audit_rows(account)[1:]:
            with self.subTest(action=action):
                self.assertEqual(login, account.login)
                # The account's role, known from its login name.
                self.assertEqual(role, "city")
                self.assertEqual(ip, "127.0.0.1")
                self.assertEqual(account_id, str(account.id))
        summaries = [r[0] for r in sql("SELECT summary FROM audit WHERE object_id = %s "
                                       "AND action = 'login.fail' ORDER BY id"
                                       % q(str(account.id)))]
        self.assertIn("第5次", summaries[4])
        self.assertIn("锁定", sql_value("SELECT summary FROM audit WHERE object_id = %s AND "
                                        "action = 'refused.locked'" % q(str(account.id))))

        # The administrator's pages show it.
        admin = bgtest.admin_client()
        r = admin.get("/admin/user?id=%d" % account.id)
        self.assertStatus(r, 200)
        self.assertIn("登录锁定中", r.text)

        # The operator lifts the lock.
        p = bgtest.admin_tool("user", "unlock", account.login)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(sql("SELECT failed_logins, locked_until FROM account WHERE id = %d"
                             % account.id), [["0", None]])
        self.assertEqual(audit_rows(account)[-1][0], "account.unlock")
        self.assertEqual(audit_rows(account)[-1][2], "operator")
        r = c.login(account.login, account.password)
        self.assertRedirect(r, "/home")
        self.assertEqual(c.get("/home").role(), "city")
        self.assertEqual(audit_rows(account)[-1][0], "login.ok")

    def test_success_resets_the_count(self):
        account = bgtest.create_account("expert")
        c = Client()
        for _ in range(2):
            self.assertStatus(c.login(account.login, WRONG), 401)
        self.assertEqual(sql_value("SELECT failed_logins FROM account WHERE id = %d"
                                   % account.id), "2")
        self.assertRedirect(c.login(account.login, account.password), "/home")
        self.assertEqual(sql_value("SELECT failed_logins FROM account WHERE id = %d"
                                   % account.id), "0")
        # The count starts again from zero.
        self.assertStatus(Client().login(account.login, WRONG), 401)
        self.assertEqual(sql("SELECT failed_logins, locked_until FROM account WHERE id = %d"
                             % account.id), [["1", None]])

    def test_lock_expires_by_itself(self):
        account = bgtest.create_account("expert")
        for _ in range(5):
            r = Client().login(account.login, WRONG)
        self.assertStatus(r, 401)
        self.assertIsNotNone(sql_value("SELECT locked_until FROM account WHERE id = %d"
                                       % account.id))
        # Fifteen minutes pass (SQL can age the lock; HTTP cannot).
        sql("UPDATE account SET locked_until = NOW() - INTERVAL 1 SECOND WHERE id = %d"
            % account.id)
        r = Client().login(account.login, account.password)
        self.assertRedirect(r, "/home")
        self.assertEqual(sql("SELECT failed_logins, locked_until FROM account WHERE id = %d"
                             % account.id), [["0", None]])

    def test_lock_from_the_admin_page(self):
        account = bgtest.create_account("expert")
        for _ in range(5):
            r = Client().login(account.login, WRONG)
        self.assertStatus(r, 401)
        self.assertIsNotNone(sql_value("SELECT locked_until FROM account WHERE id = %d"
                                       % account.id))
        admin = bgtest.admin_client()
        r = admin.get("/admin/user?id=%d" % account.id)
        form = [f for f in r.page.find_all("form") if f.attrs.get("action") == "/admin/user/unlock"]
        self.assertEqual(len(form), 1)
        r = admin.post("/admin/user/unlock", {"id": str(account.id)}, csrf=True)
        self.assertRedirect(r, "/admin/user?id=%d" % account.id)
        self.assertIsNone(sql_value("SELECT locked_until FROM account WHERE id = %d" % account.id))
        row = sql("SELECT login, role, ip FROM audit WHERE object_id = %s ORDER BY id DESC LIMIT 1"
                  % q(str(account.id)))
        self.assertEqual(row, [[bgtest.province_account().login, "province", "127.0.0.1"]])
        self.assertRedirect(Client().login(account.login, account.password), "/home")

    def test_unknown_login_fails_like_a_wrong_password(self):
        login = bgtest.unique_login("nobody")
        # The IP is the connection's, whatever a header claims.
        c = Client()
        r = c.post("/login", {"login": login, "password": WRONG,
                              bgtest.PRE_FIELD: c.fetch_pre_token()},
                   headers={"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9"})
        self.assertStatus(r, 401)
        self.assertIn("用户名或密码错误", r.error_summary() or "")
        rows = sql("SELECT login, ip, account_id, object_id FROM audit WHERE action = 'login.fail' "
                   "AND login = %s" % q(login))
        self.assertEqual(rows, [[login, "127.0.0.1", None, None]])

    def test_made_up_names_cannot_grow_the_audit_table_without_bound(self):
        # Failures with unknown names are bounded like refusals: per minute at
        # most audit_refusals_per_source (10) rows for one name from one
        # address, then one refused.limit row; the rest only counted.
        # (Per address over all names, audit_refusals_per_address, 60 by
        # default: the test stack raises it, every test comes from 127.0.0.1.)
        per_source = 10
        for _ in range(3):
            name = bgtest.unique_login("flood")
            minute = "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i')"
            before = sql_value(minute)
            for _ in range(per_source + 3):
                self.assertStatus(Client().login(name, WRONG), 401)
            if sql_value(minute) == before:
                break
        rows = [a for (a,) in sql("SELECT action FROM audit WHERE login = %s" % q(name))]
        self.assertEqual(rows.count("login.fail"), per_source, rows)
        self.assertEqual(rows.count("refused.limit"), 1, rows)
        self.assertEqual(sql_value("SELECT SUM(n) FROM audit_refusal_count WHERE actor = %s"
                                   " AND action = 'login.fail'" % q("@" + name)),
                         str(per_source + 3))

    def test_unlock_unknown_login(self):
        p = bgtest.admin_tool("user", "unlock", bgtest.unique_login("nobody"), check=False)
        self.assertEqual(p.returncode, 4, p.stderr)


if __name__ == "__main__":
    unittest.main()
