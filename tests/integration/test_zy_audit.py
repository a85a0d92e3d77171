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
            # The account's role once the login name is known, not "public".
            self.assertEqual(r[1:5], [str(account.id), account.login, "enterprise", "127.0.0.1"])
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
        # Chinese labels, never the codes (one table: src/core/audit.c).
        self.assertEqual([row[5] for row in rows], ["登录成功", "登录失败"])  # newest first
        for row in rows:
            self.assertEqual(row[2], account.login)
            # The account's role, known from the login name: not "public".
            self.assertEqual(row[3], "评审专家")
            self.assertEqual(row[4], "127.0.0.1")
            self.assertEqual(row[6], "账户 %d" % account.id)
            # The time on one line: "YYYY-MM-DD HH:MM:SS" in a cell that does not wrap.
            self.assertRegex(row[1], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        cells = [e for e in r.page.find_all("td") if e.text == rows[0][1]]
        self.assertIn("nowrap", cells[0].attrs.get("class", "").split())
        with open(bgtest.SRC_DIR + "/htdocs/static/style.css", encoding="utf-8") as f:
            self.assertIn("td.nowrap { white-space: nowrap; }", f.read())
        r = admin.get("/admin/audit?action=login.fail&login=" + account.login)
        self.assertEqual([row[5] for row in self._rows(r)], ["登录失败"])
        # A short list has no other page.
        self.assertIsNone(r.page.find("a", rel="next"))
        self.assertIsNone(r.page.find("a", rel="prev"))

    def test_every_recorded_action_has_a_label(self):
        admin = bgtest.admin_client()
        labels = {}
        # "test.*" rows are written straight into the chain by the concurrent
        # writer of test_rules_security (audit verify under load), not by a program.
        for (action,) in sql("SELECT DISTINCT action FROM audit WHERE action NOT LIKE 'test.%'"):
            r = admin.get("/admin/audit?action=" + action)
            self.assertStatus(r, 200)
            rows = self._rows(r)
            self.assertTrue(rows, action)
            with self.subTest(action=action):
                label = rows[0][5]
                self.assertNotEqual(label, action)
                self.assertRegex(label, r"[\u4e00-\u9fff]")
                self.assertNotRegex(label, r"[A-Za-z]")
                labels[action] = label
                for row in rows:
                    self.assertNotRegex(row[3], r"^[a-z]+$")  # the role: a label too
        # One label per action.
        self.assertEqual(len(set(labels.values())), len(labels), labels)

    def test_keyset_paging(self):
        # Enough rows for more than two pages, whatever ran before (the
        # other modules leave far more; alone, failed logins make them).
        while int(sql_value("SELECT COUNT(*) FROM audit")) <= 110:
            Client().login(bgtest.unique_login("nobody"), "Wrong#Pass123")
        admin = bgtest.admin_client()
        r = admin.get("/admin/audit")
        self.assertStatus(r, 200)
        first = [int(row[0]) for row in self._rows(r)]
        newest = [int(x[0]) for x in sql("SELECT id FROM audit ORDER BY id DESC LIMIT 50")]
        self.assertEqual(first, newest)
        self.assertIsNone(r.page.find("a", rel="prev"))
        nxt = r.page.find("a", rel="next")
        self.assertEqual(nxt.text, "下一页")
        self.assertIn("before=%d" % first[-1], nxt.attrs["href"])
        # The next page: the 50 rows right below, then back with 上一页.
        r = admin.get(nxt.attrs["href"])
        second = [int(row[0]) for row in self._rows(r)]
        self.assertEqual(second, [int(x[0]) for x in sql(
            "SELECT id FROM audit WHERE id < %d ORDER BY id DESC LIMIT 50" % first[-1])])
        prev = r.page.find("a", rel="prev")
        self.assertEqual(prev.text, "上一页")
        self.assertIn("after=%d" % second[0], prev.attrs["href"])
        r = admin.get(prev.attrs["href"])
        self.assertEqual([int(row[0]) for row in self._rows(r)], first)
        self.assertIsNone(r.page.find("a", rel="prev"))  # the newest page again
        # The oldest page has no next one.
        oldest = int(sql_value("SELECT MIN(id) FROM audit"))
        r = admin.get("/admin/audit?before=%d" % (oldest + 3))
        self.assertEqual([int(row[0]) for row in self._rows(r)],
                         [int(x[0]) for x in sql("SELECT id FROM audit WHERE id < %d"
                                                 " ORDER BY id DESC" % (oldest + 3))])
        self.assertIsNone(r.page.find("a", rel="next"))
        self.assertIsNotNone(r.page.find("a", rel="prev"))
        # A filter is kept on every page link.
        r = admin.get("/admin/audit?action=account.")
        self.assertTrue(self._rows(r))
        titles = [e.attrs["title"] for e in r.page.find_all("td") if "title" in e.attrs]
        self.assertTrue(titles and all(t.startswith("account.") for t in titles), titles)
        nxt = r.page.find("a", rel="next")
        if nxt is not None:
            self.assertIn("action=account.", nxt.attrs["href"])

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
