"""The audit log after everything the other modules did: the hash chain
verifies, and the administrator's viewer finds this run's records.  Named to
run after the modules that write audit rows and before test_zz_dbloss."""

import hashlib
import os
import re
import tempfile
import unittest

import bgtest
from bgtest import Client, q, sql, sql_root, sql_value


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

    def test_the_supervisor_exports_the_filtered_log(self):
        account = bgtest.create_account("expert")
        self.assertStatus(Client().login(account.login, "Wrong#Pass123"), 401)
        bgtest.logged_in(account)
        sup = bgtest.logged_in(bgtest.create_account("supervisor"))
        r = sup.get("/admin/audit?login=" + account.login)
        link = r.page.find("a", href="/admin/audit.csv?action=&login=%s&from=&to=" % account.login)
        self.assertIsNotNone(link, "the viewer links the export of its filter")
        r = sup.get(link.attrs["href"])
        self.assertStatus(r, 200)
        self.assertTrue(r.headers.get("Content-Type", "").startswith("text/csv"))
        self.assertIn("attachment", r.headers.get("Content-Disposition", ""))
        text = r.body.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"), "a BOM for Excel")
        lines = text.lstrip("\ufeff").split("\r\n")
        self.assertEqual(lines[0], "编号,时间,用户名,角色,IP 地址,操作,操作代码,对象类型,对象编号,摘要")
        body = [l for l in lines[1:] if l]
        # The rows done under the login (the operator made the account), newest first.
        self.assertEqual(len(body), 2, body)
        self.assertIn(",login.ok,", body[0])
        self.assertIn(",login.fail,", body[1])
        # The export is itself on the record, with what it took.
        row = sql("SELECT role, summary FROM audit WHERE action = 'audit.export' ORDER BY id DESC"
                  " LIMIT 1")[0]
        self.assertEqual(row[0], "supervisor")
        self.assertIn("导出审计日志 2 条", row[1])
        self.assertIn(account.login, row[1])
        # A bad filter is refused, not exported unfiltered.
        self.assertStatus(sup.get("/admin/audit.csv?to=2026-02-30"), 422)

    def test_a_known_action_is_matched_exactly(self):
        # account.password_change is not account.password_change_fail; a
        # group ("account.") and a typed beginning still match as prefixes.
        account = bgtest.create_account("expert")
        c = bgtest.logged_in(account)
        token = c.csrf_from()
        c.post("/login/password", {"old_password": "Wrong#Pass123", "new_password": "New#Pass2026a",
                                   "new_password2": "New#Pass2026a"}, csrf=token)
        admin = bgtest.admin_client()
        rows = self._rows(admin.get("/admin/audit?action=account.password_change&login="
                                    + account.login))
        self.assertEqual(rows, [])
        rows = self._rows(admin.get("/admin/audit?action=account.password_change_fail&login="
                                    + account.login))
        self.assertEqual(len(rows), 1)
        for prefix in ("account.", "account.password"):
            rows = self._rows(admin.get("/admin/audit?action=%s&login=%s" % (prefix, account.login)))
            self.assertEqual(len(rows), 1, prefix)

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


def row_hash(prev, at, account_id, login, role, ip, action, otype, oid, summary):
    """The chain's hash of a row, as src/core/audit.c computes it: each field
    length-prefixed ("-1:" for NULL), SHA-256 in hex."""
    text = b""
    for part in (prev, at, str(account_id or 0), login, role, ip, action, otype, oid, summary):
        if part is None:
            text += b"-1:"
        else:
            b = part.encode("utf-8")
            text += b"%d:" % len(b) + b
    return hashlib.sha256(text).hexdigest()


ANCHOR = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ id=(\d+) hash=([0-9a-f]{64})$")
TRIGGERS = {
    "audit_no_update": "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW "
                       "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit rows are append-only'",
    "audit_no_delete": "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW "
                       "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit rows are append-only'",
}


class AnchorTest(bgtest.TestCase):
    """The chain's head anchored outside the database (core/anchor.h): someone
    who can write to the database, drop the triggers and recompute the chain
    is still found out by `audit verify`."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.path = bgtest.read_conf().get("audit_anchor_file")
        if not cls.path:
            raise AssertionError("the test stack sets audit_anchor_file (scripts/stack)")

    def anchors(self):
        if not os.path.exists(self.path):
            return []
        with open(self.path, encoding="ascii") as f:
            return [ANCHOR.match(line.rstrip("\n")) for line in f]

    def verify(self, anchored=True):
        if anchored:
            return bgtest.admin_tool("audit", "verify", check=False)
        # The same stack without its anchors: what the chain alone says.
        with open(bgtest.CONFIG.conf, encoding="utf-8") as f:
            text = "".join(l for l in f if not l.lstrip().startswith("audit_anchor_file"))
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as t:
            t.write(text)
        try:
            os.chmod(t.name, 0o600)
            return bgtest.admin_tool("--config", t.name, "audit", "verify", check=False)
        finally:
            os.unlink(t.name)

    def newest(self):
        return sql("SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s'), account_id, login, role, ip,"
                   " action, object_type, object_id, summary, prev_hash, hash"
                   " FROM audit ORDER BY id DESC LIMIT 1")[0]

    def test_verify_anchors_the_head(self):
        before = self.anchors()
        self.assertTrue(all(before), "every line of the anchor file is an anchor")
        p = self.verify()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("与 %d 个锚点一致" % len(before), p.stdout)
        after = self.anchors()
        self.assertEqual(len(after), len(before) + 1)
        row = self.newest()
        self.assertEqual((after[-1].group(1), after[-1].group(2)), (row[0], row[11]))
        self.assertIn("已锚定链头：第 %s 条记录 %s" % (row[0], row[11]), p.stdout)
        # Root's alone: the programs' user (another account in production) cannot write it.
        self.assertEqual(os.stat(self.path).st_mode & 0o777, 0o600)
        # Without a file configured: checked, not anchored, and said so.
        p = self.verify(anchored=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("未配置 audit_anchor_file", p.stderr)
        self.assertEqual(len(self.anchors()), len(after))

    def _drop_triggers(self):
        for name in TRIGGERS:
            sql_root("DROP TRIGGER IF EXISTS %s" % name)
        self.addCleanup(self._restore_triggers)

    def _restore_triggers(self):
        have = {r[0] for r in sql_root("SELECT trigger_name FROM information_schema.triggers"
                                       " WHERE event_object_table = 'audit'")}
        for name, stmt in TRIGGERS.items():
            if name not in have:
                sql_root(stmt)

    def test_a_rebuilt_chain_is_found_by_its_anchor(self):
        # A row to tamper with, then anchored.
        self.assertStatus(Client().login(bgtest.unique_login("gone"), "Wrong#Pass123"), 401)
        self.assertEqual(self.verify().returncode, 0)
        row = self.newest()
        self._drop_triggers()
        # Rewritten, with its hash recomputed and the head moved along: the
        # chain alone cannot tell.
        forged = "登录成功"
        new_hash = row_hash(row[10], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                            row[8], forged)
        sql_root("UPDATE audit SET summary = %s, hash = %s WHERE id = %s"
                 % (q(forged), q(new_hash), row[0]))
        sql_root("UPDATE audit_head SET last_hash = %s WHERE id = 1" % q(new_hash))

        def undo():
            sql_root("UPDATE audit SET summary = %s, hash = %s WHERE id = %s"
                     % (q(row[9]), q(row[11]), row[0]))
            sql_root("UPDATE audit_head SET last_hash = %s WHERE id = 1" % q(row[11]))
        self.addCleanup(undo)
        alone = self.verify(anchored=False)
        self.assertEqual(alone.returncode, 0, "the forgery is complete: " + alone.stdout)
        count = len(self.anchors())
        p = self.verify()
        self.assertEqual(p.returncode, 5, p.stdout + p.stderr)
        self.assertIn("的锚点（第 %s 条记录）不符" % row[0], p.stdout)
        # A failed check anchors nothing (the forged head is not vouched for).
        self.assertEqual(len(self.anchors()), count)
        undo()
        self.assertEqual(self.verify().returncode, 0)

    def test_a_dropped_tail_is_found_by_its_anchor(self):
        self.assertStatus(Client().login(bgtest.unique_login("gone"), "Wrong#Pass123"), 401)
        self.assertEqual(self.verify().returncode, 0)
        row = self.newest()
        self._drop_triggers()
        sql_root("DROP TABLE IF EXISTS audit_saved")
        sql_root("CREATE TABLE audit_saved AS SELECT * FROM audit WHERE id = %s" % row[0])
        sql_root("DELETE FROM audit WHERE id = %s" % row[0])
        sql_root("UPDATE audit_head SET last_hash = %s WHERE id = 1" % q(row[10]))

        def undo():
            if sql_root("SELECT COUNT(*) FROM audit WHERE id = %s" % row[0]) == [["0"]]:
                sql_root("INSERT INTO audit SELECT * FROM audit_saved")
            sql_root("UPDATE audit_head SET last_hash = %s WHERE id = 1" % q(row[11]))
            sql_root("DROP TABLE IF EXISTS audit_saved")
        self.addCleanup(undo)
        self.assertEqual(self.verify(anchored=False).returncode, 0)
        p = self.verify()
        self.assertEqual(p.returncode, 5, p.stdout + p.stderr)
        self.assertIn("锚定之后日志被重建或截断", p.stdout)
        undo()
        self.assertEqual(self.verify().returncode, 0)

    def test_an_edited_anchor_file_is_refused(self):
        self.assertEqual(self.verify().returncode, 0)
        with open(self.path, encoding="ascii") as f:
            original = f.read()

        def restore():
            with open(self.path, "w", encoding="ascii") as f:
                f.write(original)
        self.addCleanup(restore)
        with open(self.path, "a", encoding="ascii") as f:
            f.write("2026-12-02T15:04:13Z id=1 hash=xyz\n")
        p = self.verify()
        self.assertEqual(p.returncode, 5, p.stdout + p.stderr)
        self.assertIn("第 %d 行格式不符" % (original.count("\n") + 1), p.stdout)


if __name__ == "__main__":
    unittest.main()
