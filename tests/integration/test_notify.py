"""Issue 17, the notices (src/steps/notify): each event that needs someone
writes a notice in the transaction of its change; the home page shows the
newest unread ones and /home/notices all of them, paged; marking read is
the recipient's own and audited; mail is queued in the same row and sent
by `biaogan-admin mail send` through the configured sendmail (the test
stack's stand-in keeps each message in RUN_DIR/mail/), retried after a
failure and given up after five; `biaogan-admin notify due` reminds of
deadlines within three working days, once per deadline.

Everything is done through the pages and biaogan-admin; SQL only looks,
except to move a round's deadlines near (as test_recommend does) and to
hold back other tests' queued mail so that a send here takes only ours."""

import base64
import email
import email.header
import glob
import os
import tempfile
import unittest

import bgtest
from bgtest import q, sql, sql_value
from test_apply import complete_application
from test_recommend import (HEIHE, SUIHUA, RecommendCase, city_client, make_round,
                            submitted_app)


def notices(account_id, kind=None):
    """(id, kind, subject, link, read, mail_state) of an account's notices, oldest first."""
    where = "account_id = %d" % account_id
    if kind:
        where += " AND kind = %s" % q(kind)
    return sql("SELECT id, kind, subject, link, read_at IS NOT NULL, mail_state FROM notification"
               " WHERE %s ORDER BY id" % where)


def inbox_items(client, path="/home"):
    r = client.get(path)
    if r.status != 200:
        raise AssertionError("GET %s: HTTP %d" % (path, r.status))
    return [li for li in r.page.find_all("li") if "data-kind" in li.attrs]


def run_dir():
    return os.path.dirname(os.path.abspath(bgtest.CONFIG.conf))


class NoticeTest(RecommendCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = make_round(quota=3)
        cls.city = city_client(SUIHUA)
        cls.city_id = int(sql_value("SELECT id FROM account WHERE login = %s"
                                    % q(cls.city.account.login)))

    def test_moves_tell_the_city_and_the_enterprise_who_read_them(self):
        ent, app_id = submitted_app(self.round_id, SUIHUA, title="全面质量管理典型经验")
        # The city bureau is told of the submission, with a link to act on it.
        mine = [n for n in notices(self.city_id, "app.submitted") if n[3].endswith("=%d" % app_id)]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0][3], "/recommend/app?id=%d" % app_id)
        items = [li for li in inbox_items(self.city) if li.attrs["data-kind"] == "app.submitted"]
        self.assertTrue(any(ent.fields["name"] in li.text and "全面质量管理典型经验" in li.text
                            for li in items), [li.text for li in items])

        self.assertRedirect(self.return_(self.city, app_id), "/recommend/app")
        [(nid, _, subject, link, read, mail)] = notices(ent.account_id, "app.returned")
        self.assertIn("《全面质量管理典型经验》被退回修改", subject)
        self.assertEqual((link, read, mail), ("/apply/view?id=%d" % app_id, "0", "pending"))
        home = ent.client.get("/home")
        item = [li for li in home.page.find_all("li") if li.attrs.get("data-kind") == "app.returned"]
        self.assertEqual(len(item), 1)
        self.assertRegex(item[0].text, r"^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d")
        self.assertIn("条未读", home.page.find(id="inbox").text)

        # Another account cannot mark it read: its post changes nothing.
        r = self.post(self.city, "/home/notices/read", {"id": nid, "back": "home"})
        self.assertRedirect(r, "/home")
        self.assertEqual(notices(ent.account_id, "app.returned")[0][4], "0")
        before = int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'notice.read'"))
        r = self.post(ent.client, "/home/notices/read", {"id": nid, "back": "home"})
        self.assertRedirect(r, "/home")
        self.assertEqual(notices(ent.account_id, "app.returned")[0][4], "1")
        self.assertEqual(int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'notice.read'")),
                         before + 1)
        self.assertFalse([li for li in inbox_items(ent.client)
                          if li.attrs["data-kind"] == "app.returned"])
        # Still in the full list, no longer unread; the unread list is empty.
        full = [li for li in inbox_items(ent.client, "/home/notices?show=all")
                if li.attrs["data-kind"] == "app.returned"]
        self.assertEqual(len(full), 1)
        self.assertNotIn("unread", full[0].attrs.get("class", ""))
        r = ent.client.get("/home/notices")
        self.assertIsNotNone(r.page.find(id="notices-empty"))
        # Neither an id nor all: refused, nothing marked.
        self.assertStatus(self.post(ent.client, "/home/notices/read", {"back": "home"}), 422)

    def test_declined_enterprise_is_told_and_reads_why(self):
        ent, app_id = submitted_app(self.round_id, SUIHUA)
        self.assertRedirect(self.decline(self.city, app_id, reason="示范性<不足>。"), "/recommend/app")
        [(_, _, subject, link, _, _)] = notices(ent.account_id, "app.declined")
        self.assertIn("未获市（地）工信局推荐", subject)
        r = ent.client.get(link)
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find(id="decline-reason").text, "示范性<不足>。")
        self.assertIn("示范性&lt;不足&gt;。", r.text)

    def test_mark_all_read_and_pages(self):
        ent, app_id = submitted_app(self.round_id, SUIHUA)
        for _ in range(2):
            self.assertRedirect(self.return_(self.city, app_id), "/recommend/app")
            token = ent.client.csrf_from("/apply")
            r = ent.client.post("/apply/edit", dict(complete_application(), id=str(app_id),
                                                    action="submit"), csrf=token)
            self.assertStatus(r, 303)
        self.assertEqual(len(notices(ent.account_id, "app.returned")), 2)
        r = self.post(ent.client, "/home/notices/read", {"all": "1", "back": "notices"})
        self.assertRedirect(r, "/home/notices?done=1")
        self.assertEqual({n[4] for n in notices(ent.account_id)}, {"1"})
        self.assertIn("已标为已读", ent.client.get("/home/notices?done=1").text)
        # A page beyond the last is empty, not an error; a bad page reads as the first.
        self.assertStatus(ent.client.get("/home/notices?show=all&page=99"), 200)
        self.assertStatus(ent.client.get("/home/notices?show=bogus&page=x"), 200)

    def hold_back_other_mail(self, keep):
        sql("UPDATE notification SET mail_next_at = NOW() + INTERVAL 1 DAY"
            " WHERE mail_state = 'pending' AND id NOT IN (%s)" % ",".join(str(i) for i in keep))

    def test_mail_is_queued_sent_retried_and_given_up(self):
        ent, app_id = submitted_app(self.round_id, SUIHUA, title="邮件通知的典型经验")
        self.assertRedirect(self.return_(self.city, app_id), "/recommend/app")
        [(nid, _, subject, link, _, state)] = notices(ent.account_id, "app.returned")
        nid = int(nid)
        self.assertEqual(state, "pending")
        self.hold_back_other_mail([nid])
        before = set(glob.glob(os.path.join(run_dir(), "mail", "*.eml")))
        p = bgtest.admin_tool("mail", "send")
        self.assertIn("已发送 1 封，失败 0 封", p.stdout)
        self.assertEqual(sql("SELECT mail_state, mail_attempts, mail_sent_at IS NOT NULL"
                             " FROM notification WHERE id = %d" % nid), [["sent", "1", "1"]])
        new = set(glob.glob(os.path.join(run_dir(), "mail", "*.eml"))) - before
        self.assertEqual(len(new), 1)
        with open(new.pop(), "rb") as f:
            msg = email.message_from_bytes(f.read())
        self.assertEqual(msg["X-Envelope-To"], ent.fields["email"])
        self.assertEqual(msg["To"], ent.fields["email"])
        self.assertEqual(msg["From"], "biaogan@localhost")
        self.assertEqual(str(email.header.make_header(email.header.decode_header(msg["Subject"]))),
                         subject)
        body = base64.b64decode(msg.get_payload()).decode("utf-8")
        self.assertIn(subject, body)
        self.assertIn(link, body)
        # Sent once: a second run finds nothing.
        self.assertIn("已发送 0 封", bgtest.admin_tool("mail", "send").stdout)

        # A failing sendmail: kept for later, with the reason; after five, given up.
        token = ent.client.csrf_from("/apply")
        r = ent.client.post("/apply/edit", dict(complete_application(), id=str(app_id),
                                                action="submit"), csrf=token)
        self.assertStatus(r, 303)
        self.assertRedirect(self.return_(self.city, app_id), "/recommend/app")
        second = int(notices(ent.account_id, "app.returned")[-1][0])
        self.hold_back_other_mail([second])
        with open(bgtest.CONFIG.conf, encoding="utf-8") as f:
            conf = [line for line in f if not line.startswith("mail_sendmail")]
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
            f.writelines(conf + ["mail_sendmail = /bin/false\n"])
            failing = f.name
        try:
            p = bgtest.admin_tool("--config", failing, "mail", "send")
            self.assertIn("失败 1 封", p.stdout)
            [(state, tries, later, error)] = sql(
                "SELECT mail_state, mail_attempts, mail_next_at > NOW(), mail_error"
                " FROM notification WHERE id = %d" % second)
            self.assertEqual((state, tries, later), ("pending", "1", "1"))
            self.assertIn("退出码 1", error)
            # Not due yet: the next run leaves it alone.
            self.assertIn("失败 0 封", bgtest.admin_tool("--config", failing, "mail", "send").stdout)
            sql("UPDATE notification SET mail_attempts = 4, mail_next_at = NOW() WHERE id = %d"
                % second)
            bgtest.admin_tool("--config", failing, "mail", "send")
            self.assertEqual(sql_value("SELECT mail_state FROM notification WHERE id = %d" % second),
                             "failed")
        finally:
            os.unlink(failing)
        self.assertRegex(bgtest.admin_tool("mail", "status").stdout, r"发送失败 [1-9]")

    def test_due_reminders_once_per_deadline(self):
        round_id, year = make_round(quota=3)
        # The window closes in two hours, the cities' batches in three.
        sql("UPDATE selection_round SET apply_close = NOW() + INTERVAL 2 HOUR,"
            " recommend_deadline = NOW() + INTERVAL 3 HOUR WHERE id = %d" % round_id)
        ent, draft = submitted_app(round_id, HEIHE, submit=False)
        _, sent = submitted_app(round_id, HEIHE)
        city = city_client(HEIHE)
        city_id = int(sql_value("SELECT id FROM account WHERE login = %s" % q(city.account.login)))
        p = bgtest.admin_tool("notify", "due")
        self.assertIn("已发出截止提醒", p.stdout)
        [(_, _, subject, link, _, _)] = notices(ent.account_id, "due.apply")
        self.assertIn("尚未提交：%d年度申报将于" % year, subject)
        self.assertEqual(link, "/apply/view?id=%d" % draft)
        batch = [n for n in notices(city_id, "due.batch") if n[3] == "/recommend?round=%d" % round_id]
        self.assertEqual(len(batch), 1)
        self.assertIn("%d年度推荐批次将于" % year, batch[0][2])
        # Once: a second run the same day adds nothing for them.
        bgtest.admin_tool("notify", "due")
        self.assertEqual(len(notices(ent.account_id, "due.apply")), 1)
        self.assertEqual(len([n for n in notices(city_id, "due.batch")
                              if n[3] == "/recommend?round=%d" % round_id]), 1)
        # The submitted application's enterprise is not reminded.
        sent_owner = int(sql_value("SELECT e.account_id FROM application a JOIN enterprise e"
                                   " ON e.id = a.enterprise_id WHERE a.id = %d" % sent))
        self.assertEqual(notices(sent_owner, "due.apply"), [])


class AccountEmailTest(bgtest.TestCase):
    def test_staff_address_set_and_cleared(self):
        acc = bgtest.create_account("province")
        self.assertIn("已设置", bgtest.admin_tool("user", "email", acc.login, "gxt@example.gov.cn").stdout)
        self.assertEqual(sql_value("SELECT email FROM account WHERE login = %s" % q(acc.login)),
                         "gxt@example.gov.cn")
        p = bgtest.admin_tool("user", "email", acc.login, "a@b.cn\nBcc: x@y.cn", check=False)
        self.assertEqual(p.returncode, 2)
        bgtest.admin_tool("user", "email", acc.login)
        self.assertIsNone(sql_value("SELECT email FROM account WHERE login = %s" % q(acc.login)))
        self.assertEqual(int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'account.email'"
                                       " AND object_id = (SELECT id FROM account WHERE login = %s)"
                                       % q(acc.login))), 2)


if __name__ == "__main__":
    unittest.main()
