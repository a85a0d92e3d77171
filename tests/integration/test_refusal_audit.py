"""Issue 7, section 1: every refusal is an audit record — the role's 403,
another's application or file (the 404 that says "not found, or not
yours"), a failed CSRF check, a refused upload type (415) and a login
attempt on a locked account — with the user (or none), the IP and the
route, committed on its own although the request changes nothing.  A flood
of refusals writes a bounded number of records (core/audit.h
audit_refusal), and the administrator's viewer lists the refusals alone."""

import time
import unittest

import bgtest
from bgtest import Client, HARBIN, q, sql, sql_value
from test_apply import ApplyTestCase, make_pdf, open_round, register, upload

PER_SOURCE = 10  # audit_refusals_per_source's default (src/core/audit.c)


def refusals(account_id, action=None, after=0):
    """(action, login, role, ip, object_type, object_id, summary) of the
    account's refusal records after audit id `after`, oldest first."""
    cond = " AND action = %s" % q(action) if action else " AND action LIKE 'refused.%%'"
    return sql("SELECT action, login, role, ip, object_type, object_id, summary FROM audit"
               " WHERE account_id = %d AND id > %d%s ORDER BY id" % (account_id, after, cond))


def newest_id():
    return int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))


class RefusalAuditTest(ApplyTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = open_round()

    def test_role_refusal(self):
        account = bgtest.create_account("city", city=HARBIN[0])
        c = bgtest.logged_in(account)
        before = newest_id()
        r = c.get("/admin/users")
        self.assertStatus(r, 403)
        rows = refusals(account.id, after=before)
        self.assertEqual([row[:6] for row in rows],
                         [["refused.role", account.login, "city", "127.0.0.1", "route",
                           "/admin/users"]])
        self.assertIn("GET /admin/users", rows[0][6])
        self.assertIn("市（地）工信局", rows[0][6])
        # A POST refused for the role names its route too; nothing else is written.
        c.get("/home")
        r = c.post("/admin/user/unlock", {"id": str(account.id)}, csrf=c.csrf_from())
        self.assertStatus(r, 403)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE account_id = %d AND id > %d"
                                   " AND action NOT LIKE 'refused.%%'" % (account.id, before)), "0")
        self.assertEqual([row[5] for row in refusals(account.id, after=before)],
                         ["/admin/users", "/admin/user/unlock"])

    def test_csrf_refusal(self):
        account = bgtest.create_account("expert")
        c = bgtest.logged_in(account)
        before = newest_id()
        r = c.post("/login/logout", {"csrf": "0" * 64})
        self.assertStatus(r, 403)
        rows = refusals(account.id, after=before)
        self.assertEqual([row[:6] for row in rows],
                         [["refused.csrf", account.login, "expert", "127.0.0.1", "route",
                           "/login/logout"]])
        self.assertIn("POST /login/logout", rows[0][6])
        # The request changed nothing: the session is still there.
        self.assertStatus(c.get("/home"), 200)

    def test_object_refusals(self):
        owner = register()
        app_id = self.start(owner, self.round_id)
        self.assertStatus(upload(owner.client, app_id, "experience", "a.pdf", make_pdf("r")), 303)
        file_id = int(sql_value("SELECT id FROM attachment WHERE application_id = %d" % app_id))
        other = register()
        before = newest_id()
        self.assertStatus(other.client.get("/apply/view?id=%d" % app_id), 404)
        self.assertStatus(other.client.get("/apply/edit?id=%d" % app_id), 404)
        self.assertStatus(other.client.get("/files/download?id=%d" % file_id), 404)
        missing = int(sql_value("SELECT IFNULL(MAX(id), 0) + 1000 FROM attachment"))
        self.assertStatus(other.client.get("/files/download?id=%d" % missing), 404)
        rows = refusals(other.account_id, after=before)
        self.assertEqual([(r[0], r[4], r[5]) for r in rows], [
            ("refused.object", "application", str(app_id)),
            ("refused.object", "application", str(app_id)),
            ("refused.object", "attachment", str(file_id)),
            ("refused.object", "attachment", str(missing)),
        ])
        for r in rows:
            self.assertEqual(r[1:4], [other.login, "enterprise", "127.0.0.1"])
        self.assertIn("GET /apply/view", rows[0][6])
        self.assertIn("GET /files/download", rows[2][6])
        # The record tells "not yours" from "no such file"; the answer does not.
        self.assertIn("无权", rows[2][6])
        self.assertIn("不存在", rows[3][6])
        # Nobody downloaded anything.
        self.assertEqual(self.audit("attachment.download", file_id), 0)
        # A city bureau that may not see a draft is refused the same way.
        city = bgtest.create_account("city", city=HARBIN[0])
        self.assertStatus(bgtest.logged_in(city).get("/apply/view?id=%d" % app_id), 404)
        self.assertEqual([(r[0], r[2], r[5]) for r in refusals(city.id, after=before)],
                         [("refused.object", "city", str(app_id))])

    def test_upload_type_refusal(self):
        ent = register()
        app_id = self.start(ent, self.round_id)
        before = newest_id()
        r = upload(ent.client, app_id, "experience", "poly.pdf", b"<html><script>x</script></html>",
                   "application/pdf")
        self.assertStatus(r, 415)
        rows = refusals(ent.account_id, after=before)
        self.assertEqual([(r[0], r[4], r[5]) for r in rows],
                         [("refused.upload_type", "application", str(app_id))])
        self.assertIn("POST /apply/edit", rows[0][6])
        self.assertIn("text/html", rows[0][6])
        self.assertEqual(sql_value("SELECT COUNT(*) FROM attachment WHERE application_id = %d"
                                   % app_id), "0")

    def test_locked_login_refusal(self):
        account = bgtest.create_account("expert")
        for _ in range(5):
            Client().login(account.login, "Wrong#Pass123")
        before = newest_id()
        r = Client().login(account.login, account.password)
        # Answered as any failed login (the lock is not shown), but recorded.
        self.assertStatus(r, 401)
        rows = refusals(account.id, after=before)
        self.assertEqual([row[:6] for row in rows],
                         [["refused.locked", account.login, "expert", "127.0.0.1", "account",
                           str(account.id)]])
        self.assertIn("/login", rows[0][6])

    def test_a_flood_is_bounded(self):
        account = bgtest.create_account("enterprise")
        c = bgtest.logged_in(account)
        # All in one minute of the database's clock.
        second = int(sql_value("SELECT SECOND(NOW())"))
        if second > 45:
            time.sleep(61 - second)
        minute = sql_value("SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:00')")
        before = newest_id()
        n = PER_SOURCE + 5
        for _ in range(n):
            self.assertStatus(c.get("/admin/audit"), 403)
        rows = refusals(account.id, after=before)
        self.assertEqual([r[0] for r in rows], ["refused.role"] * PER_SOURCE + ["refused.limit"])
        self.assertIn("其余的只计数", rows[-1][6])
        # The rest is counted, one row per source and minute.
        self.assertEqual(sql("SELECT n FROM audit_refusal_count WHERE minute = %s AND actor = %s"
                             " AND action = 'refused.role' AND route = '/admin/audit'"
                             % (q(minute), q(str(account.id)))), [[str(n)]])
        # Another route of the same user is another source.
        self.assertStatus(c.get("/admin/users"), 403)
        self.assertEqual(refusals(account.id, after=before)[-1][5], "/admin/users")
        # And the chain still verifies.
        p = bgtest.admin_tool("audit", "verify", check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_viewer_shows_refusals_alone(self):
        account = bgtest.create_account("expert")
        c = bgtest.logged_in(account)
        self.assertStatus(c.get("/admin/users"), 403)
        admin = bgtest.admin_client()
        r = admin.get("/admin/audit?action=refused.&login=" + account.login)
        self.assertStatus(r, 200)
        rows = [[td.text for td in tr_cells] for tr_cells in table_rows(r)]
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0][2:6], [account.login, "评审专家", "127.0.0.1",
                                        "拒绝访问：角色无权限"])
        self.assertEqual(rows[0][6], "页面 /admin/users")
        # The filter's choice is shown selected, with a link to it.
        opt = r.page.find("option", value="refused.")
        self.assertIn("selected", opt.attrs)
        self.assertIsNotNone(r.page.find("a", href="/admin/audit?action=refused."))
        # Without the filter the login is listed too.
        r = admin.get("/admin/audit?login=" + account.login)
        actions = [cells[5].text for cells in table_rows(r)]
        self.assertEqual(actions, ["拒绝访问：角色无权限", "登录成功"])


def table_rows(r):
    """The <td> elements of each row of the audit table (8 cells)."""
    rows, current = [], None
    for e in r.page.elements:
        if e.tag == "tr":
            current = []
            rows.append(current)
        elif e.tag == "td" and current is not None:
            current.append(e)
    return [row for row in rows if len(row) == 8]


if __name__ == "__main__":
    unittest.main()
