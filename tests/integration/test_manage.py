"""The titles' dynamic management (issue 14): the program `manage`.

Three applications of one round go through the pages from application to
publication (apply, recommend, the draw's session, propose, publicity,
approval, publication; the panel's conclusions and the credit checks as
test_publicity.reviewed_round writes them).  Then, through the pages: a
title revoked for falsified materials in two steps (the draft, the page
that shows the announcement as it will be published, the confirmation);
its announcement in the archive, on its own page, in the Atom feed and
linked from the year's list; the certificate's verification saying
revoked; the revoked enterprise refused a new application with the reason;
a reinstatement as a new decision with its own announcement; the history;
the exchange activities, their participants and the report of who took
part in none (on screen and exported); national titles; the other roles
refused.
"""
import csv
import io
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

import bgtest
from bgtest import HARBIN, Client, sql, sql_value

from test_apply import make_pdf, multipart
from test_publicity import FutureCalendar, reviewed_round
from test_recommend import app_id_of, city_client, make_round


def zh(iso):
    y, m, d = (int(x) for x in iso.split("-"))
    return "%d年%d月%d日" % (y, m, d)


class ManageTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.province = bgtest.admin_client()
        (cls.round_id, cls.year, cls.apps, cls.names,
         cls.ents) = reviewed_round(n=3, credit=3, enterprises=True)
        cls.calendar = FutureCalendar()
        cls.today = sql_value("SELECT DATE_FORMAT(CURDATE(), '%Y-%m-%d')")
        cls.publish_all()
        rows = sql("SELECT id, cert_no, application_id FROM benchmark WHERE year = %d ORDER BY seq"
                   % cls.year)
        cls.bm = [int(r[0]) for r in rows]
        cls.cert = [r[1] for r in rows]
        cls.bm_app = [int(r[2]) for r in rows]
        cls.supervisor = bgtest.logged_in(bgtest.create_account("supervisor", tag="sup"))

    @classmethod
    def tearDownClass(cls):
        cls.calendar.remove()
        super().tearDownClass()

    @classmethod
    def post_as(cls, client, path, fields):
        return client.post(path, fields, csrf=client.csrf_from("/login/password"))

    @classmethod
    def publish_all(cls):
        """The round's three applications proposed, publicised, approved and
        published through the pages, the period moved into the past as a
        finished one would be (award and approval today)."""
        p = cls.province
        for app in cls.apps:
            r = cls.post_as(p, "/publicity/propose", {"round": str(cls.round_id), "app": str(app)})
            assert r.status == 303, r.error_summary()
        r = cls.post_as(p, "/publicity/start", {
            "round": str(cls.round_id), "title": "%d年度质量标杆拟认定名单公示" % cls.year,
            "contact": "省工信厅质量处 0451-82628000", "start_date": cls.calendar.start.isoformat()})
        assert r.status == 303, r.field_errors() or r.error_summary()
        pid = int(sql_value("SELECT id FROM publicity WHERE round_id = %d" % cls.round_id))
        sql("UPDATE publicity SET start_date = CURDATE() - INTERVAL 9 DAY,"
            " end_date = CURDATE() - INTERVAL 1 DAY WHERE id = %d" % pid)
        r = cls.post_as(p, "/publish/approve", {"id": str(pid), "approval_date": cls.today,
                                               "approval_ref": "厅长办公会议纪要〔%d〕3号" % cls.year})
        assert r.status == 303, r.field_errors() or r.error_summary()
        r = cls.post_as(p, "/publish/publish", {"id": str(pid), "award_date": cls.today})
        assert r.status == 303, r.field_errors() or r.error_summary()

    def post(self, path, fields, client=None):
        return self.post_as(client or self.province, path, fields)

    def decide(self, bm, client=None, file=True, **over):
        """The decision form as the benchmark's page sends it (multipart)."""
        c = client or self.province
        fields = {"id": str(bm), "kind": "revocation", "ground": "falsified",
                  "facts": "经查，该企业申报材料中的利润数据系伪造（内部调查记录）。",
                  "decision_ref": "黑工信质量〔%d〕15号" % self.year, "decision_date": self.today}
        fields.update(over)
        files = [("file", "决定书.pdf", make_pdf("decision %s" % bgtest.unique_login("")),
                  "application/pdf")] if file else []
        body, ctype = multipart(files, [("csrf", c.csrf_from("/login/password"))]
                                + list(fields.items()))
        return c.post("/manage/decide", body=body, content_type=ctype)

    def confirm(self, r):
        """A draft's redirect followed: its page and the confirmation."""
        m = re.match(r"^/manage/confirm\?id=(\d+)$", r.location or "")
        self.assertIsNotNone(m, "%s %s" % (r, r.field_errors() or r.error_summary()))
        draft = int(m.group(1))
        page = self.province.get(r.location)
        self.assertStatus(page, 200)
        return draft, page

    def test_access(self):
        city = city_client(HARBIN)
        ent = self.ents[self.apps[0]].client
        for path in ("/manage", "/manage/benchmark?id=%d" % self.bm[0], "/manage/activities",
                     "/manage/report", "/manage/report.csv"):
            self.assertStatus(city.get(path), 403)
            self.assertStatus(ent.get(path), 403)
            r = Client().get(path)
            self.assertEqual(r.status, 303)
            self.assertTrue(r.location.startswith("/login"), r.location)
            self.assertStatus(self.supervisor.get(path), 200)
        # The supervisor reads and changes nothing.
        r = self.decide(self.bm[0], client=self.supervisor)
        self.assertStatus(r, 403)
        r = self.post("/manage/national", {"id": str(self.bm[0]), "national_title_year": str(self.year)},
                      client=self.supervisor)
        self.assertStatus(r, 403)
        r = self.post("/manage/activity/add", {"held_on": self.today, "topic": "x", "place": "x",
                                               "level": "provincial", "organiser": "x"}, client=city)
        self.assertStatus(r, 403)
        self.assertGreaterEqual(int(sql_value(
            "SELECT COUNT(*) FROM audit WHERE action = 'refused.role' AND summary LIKE '%%/manage%%'")), 3)

    def test_revocation_and_reinstatement(self):
        bm, cert, app = self.bm[0], self.cert[0], self.bm_app[0]
        name = self.names[app]
        ent = self.ents[app]
        public = Client()
        # The province finds the benchmark by name.
        r = self.province.get("/manage?q=%s" % urllib.parse.quote(name))
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.page.find("tr", **{"data-cert": cert}))
        self.assertEqual(len(r.page.find_all("tr", **{"data-status": "valid"})), 1)
        # Before the revocation, the enterprise starts next year's application.
        round_b, _ = make_round()
        ent.client.get("/apply")
        r = ent.client.post("/apply/start", {"round": str(round_b)}, csrf=True)
        self.assertEqual(r.status, 303)
        draft_b = app_id_of(r.location)

        # --- the first step: refusals keep the input, name the field ---
        r = self.decide(bm, file=False)
        self.assertStatus(r, 422)
        self.assertIn("决定文件", r.page.error_for("file"))
        self.assertIn("利润数据系伪造", r.page.find("textarea", id="facts").text)
        r = self.decide(bm, ground="")
        self.assertStatus(r, 422)
        self.assertIn("撤销事由", r.page.error_for("ground"))
        r = self.decide(bm, decision_date=sql_value("SELECT CURDATE() + INTERVAL 1 DAY"))
        self.assertStatus(r, 422)
        self.assertIn("不能晚于今天", r.page.error_for("decision_date"))
        r = self.decide(bm, ground="arson")
        self.assertStatus(r, 422)
        self.assertIsNotNone(r.page.error_for("ground"))
        self.assertEqual(sql_value("SELECT status FROM benchmark WHERE id = %d" % bm), "valid")

        # --- the draft, and the page that shows what will be published ---
        draft, page = self.confirm(self.decide(bm))
        title = page.page.find("h3", id="preview-title").text
        body = page.page.find("p", id="preview-body").text
        self.assertIn(name, title)
        self.assertIn("撤销", title)
        self.assertIn("%d年度" % self.year, title)
        self.assertIn("申报材料弄虚作假", body)
        self.assertIn(zh(self.today), body)
        self.assertIn(cert, body)
        self.assertNotIn("利润数据系伪造", body)  # the facts stay internal
        self.assertIn("利润数据系伪造", page.text)  # shown to the province as such
        # A second draft replaces the first (and its document).
        draft2, page = self.confirm(self.decide(bm))
        self.assertNotEqual(draft, draft2)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM title_decision_draft WHERE benchmark_id = %d"
                                   % bm), "1")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM attachment a WHERE kind = 'decision' AND"
                                   " NOT EXISTS (SELECT 1 FROM title_decision_draft d WHERE"
                                   " d.attachment_id = a.id) AND NOT EXISTS (SELECT 1 FROM"
                                   " title_decision t WHERE t.attachment_id = a.id)"), "0")
        # Nothing is public before the confirmation.
        self.assertEqual(sql_value("SELECT COUNT(*) FROM announcement WHERE kind = 'revocation'"
                                   " AND title LIKE %s" % bgtest.q("%" + name + "%")), "0")
        self.assertIn("有效", public.get("/publish/verify?no=%s" % cert).page.find(
            "section", id="verdict").text)
        # Only its author confirms it.
        self.assertStatus(self.post("/manage/confirm", {"id": str(draft2)},
                                    client=bgtest.logged_in(bgtest.create_account("province"))), 404)

        # --- confirmed: one transaction, one audit record ---
        r = self.post("/manage/confirm", {"id": str(draft2)})
        self.assertRedirect(r, "/manage/benchmark?id=%d&done=revoked" % bm)
        self.assertEqual(sql("SELECT status, DATE(status_changed_at) FROM benchmark WHERE id = %d" % bm),
                         [["revoked", self.today]])
        self.assertEqual(sql_value("SELECT status FROM application WHERE id = %d" % app), "revoked")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'manage.revoke'"
                                   " AND object_type = 'benchmark' AND object_id = '%d'" % bm), "1")
        self.assertStatus(self.post("/manage/confirm", {"id": str(draft2)}), 404)  # once
        # Revoking again is refused.
        r = self.decide(bm)
        self.assertStatus(r, 409)
        # History is never edited.
        with self.assertRaises(Exception):
            sql("UPDATE title_decision SET facts = 'x' WHERE benchmark_id = %d" % bm)
        with self.assertRaises(Exception):
            sql("DELETE FROM title_decision WHERE benchmark_id = %d" % bm)

        # --- the public: the announcement, its archive, the feed, the list, the verification ---
        ann = int(sql_value("SELECT status_announcement_id FROM benchmark WHERE id = %d" % bm))
        r = public.get("/publicity/announcements")
        item = r.page.find("li", id="a%d" % ann)
        self.assertIsNotNone(item)
        self.assertEqual(item.attrs.get("data-kind"), "revocation")
        r = public.get("/publicity/announcement?id=%d" % ann)
        self.assertStatus(r, 200)
        text = r.page.find("article", id="announcement").text
        for want in (name, "%d年度黑龙江省质量标杆" % self.year, "申报材料弄虚作假", zh(self.today)):
            self.assertIn(want, text)
        for secret in ("利润数据系伪造", "决定书.pdf", bgtest.province_account().login):
            self.assertNotIn(secret, r.text)
        feed = ET.fromstring(public.get("/publish/feed.atom").body)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
        self.assertTrue(any(name in t and "撤销" in t for t in titles), titles)
        r = public.get("/publish/list?year=%d" % self.year)
        row = r.page.find("tr", **{"data-cert": cert})
        self.assertEqual(row.attrs.get("data-status"), "revoked")
        self.assertIn("%s撤销" % zh(self.today), row.text)
        self.assertIsNotNone(r.page.find("a", href="/publicity/announcement?id=%d" % ann))
        r = public.get("/publish/verify?no=%s" % cert)
        verdict = r.page.find("section", id="verdict")
        self.assertEqual(verdict.attrs.get("data-status"), "revoked")
        self.assertIn("已于%s撤销" % zh(self.today), verdict.text)
        doc = json.loads(public.get("/publish/list.json?year=%d" % self.year).text)
        entry = next(e for e in doc["benchmarks"] if e["certificate_no"] == cert)
        self.assertEqual(entry["status"], "revoked")
        # The decision document: to the province and the supervisor, never the public.
        att = int(sql_value("SELECT attachment_id FROM title_decision WHERE benchmark_id = %d" % bm))
        self.assertStatus(self.province.get("/manage/document?id=%d" % att), 200)
        self.assertStatus(self.supervisor.get("/manage/document?id=%d" % att), 200)
        self.assertEqual(public.get("/manage/document?id=%d" % att).status, 303)

        # --- the revoked enterprise may not apply again, and is told why ---
        r = ent.client.get("/apply")
        ban = r.page.find("p", id="reapply-ban")
        self.assertIsNotNone(ban)
        self.assertIn("3年内不得再次申报", ban.text)
        self.assertIn(zh(self.today), ban.text)
        round_c, _ = make_round()
        r = ent.client.post("/apply/start", {"round": str(round_c)}, csrf=ent.client.csrf_from("/apply"))
        self.assertStatus(r, 409)
        self.assertIn("不得再次申报", r.text)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM application WHERE round_id = %d" % round_c), "0")
        # Its draft started before: the checklist says why, and submitting is refused.
        r = ent.client.get("/apply/edit?id=%d" % draft_b)
        self.assertIn("撤销称号后的申报限制", r.text)
        r = ent.client.post("/apply/submit", {"id": str(draft_b)}, csrf=ent.client.csrf_from("/apply"))
        self.assertNotEqual(r.status, 303)
        self.assertEqual(sql_value("SELECT status FROM application WHERE id = %d" % draft_b), "draft")
        # Another enterprise is not barred.
        other = self.ents[self.bm_app[1]].client
        other.get("/apply")
        self.assertIsNone(other.get("/apply").page.find("p", id="reapply-ban"))

        # --- reinstatement: a new decision with its own announcement ---
        r = self.province.get("/manage/benchmark?id=%d" % bm)
        self.assertIn("恢复称号", r.page.find("section", id="decision-form").text)
        draft, page = self.confirm(self.decide(bm, kind="reinstatement", ground="",
                                               facts="经复核，原认定的伪造事实不成立。",
                                               decision_ref="黑工信质量〔%d〕21号" % self.year))
        body = page.page.find("p", id="preview-body").text
        self.assertIn("恢复", body)
        self.assertIn("黑工信质量〔%d〕15号" % self.year, body)  # the decision it undoes
        self.assertRedirect(self.post("/manage/confirm", {"id": str(draft)}),
                            "/manage/benchmark?id=%d&done=reinstated" % bm)
        self.assertEqual(sql_value("SELECT status FROM benchmark WHERE id = %d" % bm), "valid")
        self.assertEqual(sql_value("SELECT status FROM application WHERE id = %d" % app), "benchmark")
        self.assertEqual(sql("SELECT kind FROM title_decision WHERE benchmark_id = %d ORDER BY id" % bm),
                         [["revocation"], ["reinstatement"]])
        ann2 = int(sql_value("SELECT status_announcement_id FROM benchmark WHERE id = %d" % bm))
        self.assertNotEqual(ann, ann2)
        self.assertEqual(sql_value("SELECT kind FROM announcement WHERE id = %d" % ann2), "reinstatement")
        self.assertStatus(public.get("/publicity/announcement?id=%d" % ann), 200)  # the first stays
        r = public.get("/publish/verify?no=%s" % cert)
        verdict = r.page.find("section", id="verdict")
        self.assertEqual(verdict.attrs.get("data-status"), "valid")
        self.assertIn("恢复公告", verdict.text)
        self.assertIsNotNone(r.page.find("a", href="/publicity/announcement?id=%d" % ann2))
        # The history: both decisions, and every change in the audit trail.
        r = self.province.get("/manage/benchmark?id=%d" % bm)
        kinds = [tr.attrs.get("data-kind") for tr in r.page.find_all("tr") if tr.attrs.get("data-kind")]
        self.assertEqual(kinds, ["revocation", "reinstatement"])
        history = r.page.find("section", id="history").text
        for label in ("拟写称号处理决定", "撤销质量标杆称号", "恢复质量标杆称号"):
            self.assertIn(label, history)
        # The bar is lifted with the title.
        self.assertIsNone(ent.client.get("/apply").page.find("p", id="reapply-ban"))
        r = ent.client.post("/apply/start", {"round": str(round_c)}, csrf=ent.client.csrf_from("/apply"))
        self.assertEqual(r.status, 303)

    def test_exchange_report_and_national_titles(self):
        b0, b1, b2 = self.bm
        c0, c1, c2 = self.cert
        # An activity in the future is refused; the input kept.
        fields = {"held_on": sql_value("SELECT CURDATE() + INTERVAL 1 DAY"), "topic": "质量标杆经验交流会",
                  "place": "哈尔滨市", "level": "provincial", "organiser": "黑龙江省工业和信息化厅"}
        r = self.post("/manage/activity/add", fields)
        self.assertStatus(r, 422)
        self.assertIn("不能晚于今天", r.page.error_for("held_on"))
        self.assertEqual(r.page.find("input", id="topic").attrs.get("value"), "质量标杆经验交流会")
        r = self.post("/manage/activity/add", dict(fields, held_on=self.today))
        m = re.match(r"^/manage/activity\?id=(\d+)&done=added$", r.location or "")
        self.assertIsNotNone(m, r)
        act = int(m.group(1))
        r = self.province.get("/manage/activity?id=%d" % act)
        options = [o.attrs.get("value") for o in r.page.find_all("option")]
        self.assertIn(str(b1), options)
        # b1 takes part; twice is refused; its page lists it.
        part = {"activity": str(act), "benchmark": str(b1), "contribution": "大会发言：数据驱动的质量管控"}
        self.assertRedirect(self.post("/manage/participation/add", part),
                            "/manage/activity?id=%d&done=joined" % act)
        r = self.post("/manage/participation/add", part)
        self.assertStatus(r, 422)
        self.assertIn("已登记", r.page.error_for("benchmark"))
        r = self.province.get("/manage/benchmark?id=%d" % b1)
        self.assertIn("质量标杆经验交流会", r.page.find("section", id="exchange").text)
        self.assertIn("大会发言", r.page.find("section", id="exchange").text)

        # The report: the benchmarks that took part in none over the period.
        since = sql_value("SELECT CURDATE() - INTERVAL 1 YEAR")
        r = self.province.get("/manage/report?since=%s&until=%s" % (since, self.today))
        self.assertStatus(r, 200)
        listed = {tr.attrs.get("data-cert") for tr in r.page.find_all("tr") if tr.attrs.get("data-cert")}
        self.assertIn(c2, listed)
        self.assertNotIn(c1, listed)
        self.assertIn(c0, listed)  # valid (reinstated, if its test ran first), no activity
        # A period that ends before the award lists none of them; one the
        # wrong way round is refused.
        yesterday = sql_value("SELECT CURDATE() - INTERVAL 1 DAY")
        r = self.province.get("/manage/report?since=%s&until=%s" % (since, yesterday))
        listed = {tr.attrs.get("data-cert") for tr in r.page.find_all("tr")}
        self.assertFalse(listed & set(self.cert))
        r = self.province.get("/manage/report?since=%s&until=%s" % (self.today, since))
        self.assertStatus(r, 422)
        # Exported, audited.
        r = self.province.get("/manage/report.csv?since=%s&until=%s" % (since, self.today))
        self.assertStatus(r, 200)
        self.assertTrue(r.headers.get("Content-Type").startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
        certs = {row[0] for row in rows[1:]}
        self.assertIn(c2, certs)
        self.assertNotIn(c1, certs)
        r = self.province.get("/manage/report.xlsx?since=%s&until=%s" % (since, self.today))
        self.assertStatus(r, 200)
        sheet = zipfile.ZipFile(io.BytesIO(r.body)).read("xl/sharedStrings.xml").decode("utf-8")
        self.assertIn(c2, sheet)
        self.assertNotIn(c1, sheet)
        self.assertGreaterEqual(int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'manage.report'")), 2)
        # Removing the participation puts b1 on the report.
        self.assertRedirect(self.post("/manage/participation/remove",
                                      {"activity": str(act), "benchmark": str(b1)}),
                            "/manage/activity?id=%d&done=removed" % act)
        r = self.province.get("/manage/report?since=%s&until=%s" % (since, self.today))
        self.assertIsNotNone(r.page.find("tr", **{"data-cert": c1}))
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action LIKE 'manage.participation.%%'"
                                   " AND object_id = '%d'" % b1), "2")

        # National titles (第十七条): before the benchmark's year is refused.
        r = self.post("/manage/national", {"id": str(b2), "national_title_year": str(self.year - 1)})
        self.assertStatus(r, 422)
        self.assertIn("不能早于", r.page.error_for("national_title_year"))
        # After this year (and the benchmark's own) too.
        later = max(self.year, int(self.today[:4])) + 1
        r = self.post("/manage/national", {"id": str(b2), "national_title_year": str(later)})
        self.assertStatus(r, 422)
        y = max(self.year, int(self.today[:4]))
        self.assertRedirect(self.post("/manage/national", {"id": str(b2), "national_title_year": str(y)}),
                            "/manage/benchmark?id=%d&done=national" % b2)
        r = Client().get("/publish/list?year=%d" % self.year)
        self.assertIn("%d年获评全国质量标杆" % y, r.page.find("tr", **{"data-cert": c2}).text)
        r = self.province.get("/manage/benchmark?id=%d" % b2)
        self.assertIn("%d年获评" % y, r.page.find("dd", id="national-title").text)
        r = self.province.get("/manage?status=national&year=%d" % self.year)
        self.assertIsNotNone(r.page.find("tr", **{"data-cert": c2}))
        self.assertIsNone(r.page.find("tr", **{"data-cert": c1}))
        # Cleared with an empty year.
        self.assertRedirect(self.post("/manage/national", {"id": str(b2), "national_title_year": ""}),
                            "/manage/benchmark?id=%d&done=national" % b2)
        self.assertEqual(sql("SELECT national_title_year FROM benchmark WHERE id = %d" % b2), [[None]])
