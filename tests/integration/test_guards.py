"""Guards for behaviour that a green run once did not prove (issue 8).

Each test here fails when one specific change is made to the programs:

  - after a lock expires the failure count restarts (steps/accounts/users.c);
  - a disabled account's existing session is refused (core/session.c);
  - an expired session row is deleted when it is presented (core/session.c);
  - a password reset is audited as account.password_reset and forces a
    change at the next login (steps/accounts/users.c);
  - calendar import replaces a year's rows, and export writes them back
    (steps/calendar/calendar_db.c, calendar_cli.c): in tests/cli/test_calendar_io.sh.
"""

import unittest

import bgtest
from bgtest import Client, TestCase, admin_client, create_account, logged_in, sql, sql_value

WRONG = "Wrong#pass-123"


def max_audit_id():
    return int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))


def audit_since(audit_id, object_id):
    return sql("SELECT action, object_type, object_id FROM audit WHERE id > %d "
               "AND object_id = '%d' ORDER BY id" % (audit_id, object_id))


class LockRestartTest(TestCase):
    def test_first_failure_after_an_expired_lock_counts_one(self):
        account = create_account("expert")
        for _ in range(5):
            Client().login(account.login, WRONG)
        self.assertEqual(sql_value("SELECT locked_until > NOW() FROM account WHERE id = %d"
                                   % account.id), "1", "five failures lock the account")
        sql("UPDATE account SET locked_until = NOW() - INTERVAL 1 SECOND WHERE id = %d"
            % account.id)
        Client().login(account.login, WRONG)
        self.assertEqual(sql("SELECT failed_logins, IFNULL(locked_until > NOW(), 0) FROM account "
                             "WHERE id = %d" % account.id), [["1", "0"]],
                         "the count restarted at one and the account is not locked again")
        # Three more failures still leave it open: 1 + 3 < 5.
        for _ in range(3):
            Client().login(account.login, WRONG)
        r = Client().login(account.login, account.password)
        self.assertRedirect(r, "/home")


class DisabledSessionTest(TestCase):
    def test_disabling_ends_the_session_at_once(self):
        account = create_account("expert")
        client = logged_in(account)
        self.assertStatus(client.get("/home"), 200)
        token = client.session_token()
        admin = admin_client()
        self.assertStatus(admin.get("/admin/user?id=%d" % account.id), 200)
        r = admin.post("/admin/user/disable", {"id": str(account.id)}, csrf=True)
        self.assertRedirect(r, "/admin/user")
        self.assertLoginRedirect(client.get("/home"), "/home")
        # A copy of the cookie in another client is refused too.
        other = Client()
        other.set_session_token(token)
        self.assertLoginRedirect(other.get("/home"), "/home")


    def test_a_session_made_while_disabling_is_refused(self):
        """A login that passed its checks just before an administrator's
        disable committed still gets its session row afterwards (the disable
        deleted the sessions before it).  SQL makes that race's outcome, which
        HTTP cannot time: the row must be refused on its next request."""
        account = create_account("expert")
        client = logged_in(account)
        self.assertStatus(client.get("/home"), 200)
        sql("UPDATE account SET disabled = 1 WHERE id = %d" % account.id)
        self.assertLoginRedirect(client.get("/home"), "/home", expired=True)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM session WHERE account_id = %d"
                                   % account.id), "0")


class ExpiredSessionTest(TestCase):
    def test_an_expired_session_is_refused_and_its_row_deleted(self):
        account = create_account("expert")
        client = logged_in(account)
        token_hash = bgtest.token_hash_hex(client.session_token())
        sql("UPDATE session SET last_seen = NOW() - INTERVAL 2 HOUR WHERE token_hash = UNHEX('%s')"
            % token_hash)
        self.assertLoginRedirect(client.get("/home"), "/home", expired=True)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM session WHERE token_hash = UNHEX('%s')"
                                   % token_hash), "0", "the expired row is gone")


class PasswordResetTest(TestCase):
    def test_reset_is_audited_and_forces_a_change(self):
        account = create_account("expert")
        admin = admin_client()
        self.assertStatus(admin.get("/admin/user?id=%d" % account.id), 200)
        before = max_audit_id()
        r = admin.post("/admin/user/reset", {"id": str(account.id)}, csrf=True)
        self.assertIn(r.status, (200, 303))
        self.assertEqual(audit_since(before, account.id),
                         [["account.password_reset", "account", str(account.id)]])
        self.assertEqual(sql_value("SELECT must_change_password FROM account WHERE id = %d"
                                   % account.id), "1")


if __name__ == "__main__":
    unittest.main()
