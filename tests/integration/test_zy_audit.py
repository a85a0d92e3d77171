"""The audit log after everything the other modules did: the hash chain
verifies, and the administrator's viewer finds this run's records.  Named to
run after the modules that write audit rows and before test_zz_dbloss."""

import unittest

import bgtest
from bgtest import Client, q, sql, sql_value


class AuditTest(bgtest.TestCase):
    def test_chain_verifies(self):
        # Write a few rows of every kind first, so that even alone this test
        # covers login.ok, login.fail and account.* rows.
        account = bgtest.create_account("expert")
        self.assertStatus(Client().login(account.login, "Wrong#Pass123"), 401)
        bgtest.logged_in(account)
        p = bgtest.admin_tool("audit", "verify", check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_rows_cannot_be_changed_or_deleted(self):
        # sql/007: the database refuses it, whoever connects.
        newest = sql_value("SELECT MAX(id) FROM audit")
        self.assertIsNotNone(newest)
        before = sql("SELECT summary, hash FROM audit WHERE id = %s" % newest)
        for stmt in ("UPDATE audit SET summary = 'x' WHERE id = %s" % newest,
                     "DELETE FROM audit WHERE id = %s" % newest):
            with self.assertRaises(AssertionError) as cm:
                sql(stmt)
            self.assertIn("append-only", str(cm.exception))
        self.assertEqual(sql("SELECT summary, hash FROM audit WHERE id = %s" % newest), before)

    def test_rows_are_complete(self):
        account = bgtest.create_account("enterprise")
        self.assertStatus(Client().login(account.login, "Wrong#Pass123"), 401)
        bgtest.logged_in(account)
        rows = sql("SELECT action, account_id, login, role, ip, object_type, object_id, "
                   "LENGTH(hash), LENGTH(prev_hash), at IS NOT NULL FROM audit "
                   "WHERE object_type = 'account' AND object_id = %s ORDER BY id"
                   % q(str(account.id)))
        self.assertEqual([r[0] for r in rows], ["account.create", "login.fail", "login.ok"])
        create, fail, ok = rows
        self.assertEqual(create[3], "operator")
        self.assertIsNone(create[4])  # the operator tool has no IP
        for r in (fail, ok):
            self.assertEqual(r[1:5], [str(account.id), account.login, "public", "127.0.0.1"])
        for r in rows:
            self.assertEqual(r[7:], ["64", "64", "1"])
        # Each row chains the one before it.
        ids = [int(x[0]) for x in sql("SELECT id FROM audit WHERE object_id = %s ORDER BY id"
                                       % q(str(account.id)))]
        for i in ids:
            with self.subTest(id=i):
                self.assertEqual(
                    sql_value("SELECT a.prev_hash = (SELECT b.hash FROM audit b WHERE b.id < a.id "
                              "ORDER BY b.id DESC LIMIT 1) FROM audit a WHERE a.id = %d" % i), "1")

    def test_viewer_filters_by_login(self):
        account = bgtest.create_account("expert")
        self.assertStatus(Client().login(account.login, "Wrong#Pass123"), 401)
        bgtest.logged_in(account)
        admin = bgtest.admin_client()
        # Columns: id, time, login, role, IP, action, object, summary.
        r = admin.get("/admin/audit?login=" + account.login)
        self.assertStatus(r, 200)
        rows = self._rows(r)
        self.assertEqual([row[5] for row in rows], ["login.ok", "login.fail"])  # newest first
        for row in rows:
            self.assertEqual(row[2], account.login)
            self.assertEqual(row[4], "127.0.0.1")
            self.assertEqual(row[6], "account %d" % account.id)
        r = admin.get("/admin/audit?action=login.fail&login=" + account.login)
        self.assertEqual([row[5] for row in self._rows(r)], ["login.fail"])

    def _rows(self, r):
        """The texts of the cells of each row of the audit table."""
        rows, current = [], None
        for e in r.page.elements:
            if e.tag == "tr":
                current = []
                rows.append(current)
            elif e.tag == "td" and current is not None:
                current.append(e.text)
        return [row for row in rows if len(row) == 8]


if __name__ == "__main__":
    unittest.main()
