"""The proposed list, its publicity and the public's objections (issue 13):
the program `publicity`.

Four applications of one round reach review through the pages (apply,
recommend, the draw's session and commitment); their panel's locked,
recommended conclusions and three enterprises' credit checks are written
as the review and recommendation steps store them.  Then everything goes
through the pages: the candidates with the reason one cannot be proposed,
proposing and taking off, a refused start (calendar incomplete), a start
the day before a holiday whose end date must be the calendar's; the public
notice without login; objections with the question, one upheld (the
enterprise leaves the list), one dismissed; the tracking number and its
lookup; a late objection and the rate limit refused; the objector's
identity kept from everyone but the province.
"""
import datetime
import re

import bgtest
from bgtest import Client, HARBIN, q, sql, sql_value

q_ = q
from test_apply import make_pdf, multipart
from test_draw import add_expert, province_apps
from test_recommend import app_id_of, city_client, make_round

NUMERALS = "零一二三四五六七八九"


def answer_of(question):
    """What a person answers to "三加五等于几？"."""
    m = re.search(r"([一二三四五六七八九])加([一二三四五六七八九])等于几", question)
    if not m:
        raise AssertionError("no question in %r" % question)
    return str(NUMERALS.index(m.group(1)) + NUMERALS.index(m.group(2)))


def free_calendar_year():
    """A year far ahead with no calendar, whose next year has none either."""
    used = {int(r[0]) for r in sql("SELECT DISTINCT YEAR(day) FROM calendar_day"
                                   " UNION SELECT year FROM calendar_year")}
    for y in bgtest.RNG.sample(range(2060, 2098), 38):
        if y not in used and y + 1 not in used:
            return y
    raise AssertionError("no free calendar year")


def working_days_from(start, n, holidays, workdays):
    """The n-th working day of a period from start: the measures' rule,
    written again here (weekends and holidays off, adjusted days on)."""
    day, count = start, 0
    while True:
        off = (day.weekday() >= 5 and day not in workdays) or day in holidays
        if not off:
            count += 1
            if count == n:
                return day
        day += datetime.timedelta(days=1)


def reviewed_round(n=4, credit=3, enterprises=False):
    """A round whose n applications reached review through the pages (apply,
    recommend, the draw's session and commitment), with the panel's locked,
    recommended conclusions and, for the first `credit`, clear credit checks
    of today, written as the review and recommendation steps store them.
    (round_id, year, [app ids], {app id: enterprise name}), and with
    enterprises {app id: the enterprise, logged in} after them."""
    province = bgtest.admin_client()
    round_id, year = make_round(quota=max(n, 2))
    names = ["公示测试%s%d有限公司" % (year, i) for i in range(n)]
    pairs = province_apps(round_id, n, names=names)
    apps = [a for _, a in pairs]
    today = sql_value("SELECT DATE_FORMAT(CURDATE(), '%Y-%m-%d')")
    fields = [("round", str(round_id)), ("title", "公示测试评审会"), ("review_date", today),
              ("place", "哈尔滨"), ("panel_size", "5"), ("rotation_k", "0")]
    fields += [("app", str(a)) for a in apps]
    # A panel of 5 needs experts from at least 3 organisations in the pool
    # (a suite run alone starts with none).
    if int(sql_value("SELECT COUNT(DISTINCT org_key) FROM expert WHERE status = 'active'")) < 6:
        for i in range(6):
            add_expert("公示测试专家%d" % i, "公示测试专家单位%s-%d" % (bgtest.unique_login(""), i))
    r = province.post("/draw/new", fields, csrf=province.csrf_from("/login/password"))
    assert r.status == 303, r.error_summary()
    sid = app_id_of(r.location)
    r = province.post("/draw/commit", {"id": str(sid), "public_source": ""},
                      csrf=province.csrf_from("/login/password"))
    assert r.status == 303, r.status
    chair = add_expert("公示测试组长", "公示测试单位%s-%s" % (year, bgtest.unique_login("")))
    for rank, app in enumerate(apps, 1):
        sql("INSERT INTO review_item (session_id, application_id, state, version)"
            " VALUES (%d, %d, 'locked', 1)" % (sid, app))
        sql("INSERT INTO review_conclusion (session_id, application_id, version, recommended,"
            " opinion, ranking, chair_expert_id, recorded_at) VALUES (%d, %d, 1, 1,"
            " '评审组一致推荐。', %d, %d, NOW())" % (sid, app, rank, chair))
    for app in apps[:credit]:
        for kind in ("dishonest_debtor", "serious_violation"):
            sql("INSERT INTO credit_check (application_id, kind, result, checked_on,"
                " recorded_by, recorded_role) VALUES (%d, '%s', 'clear', CURDATE(), %d,"
                " 'province')" % (app, kind, bgtest.province_account().id))
    out = (round_id, year, apps, dict(zip(apps, names)))
    return out + ({a: e for e, a in pairs},) if enterprises else out


class FutureCalendar:
    """A far year's calendar imported whole (the National Day week off, an
    adjusted working Saturday after it), and the last working day before
    the holiday: a publicity can start there whatever today is."""

    def __init__(self):
        y = self.year = free_calendar_year()
        self.holidays = {datetime.date(y, 10, d) for d in range(1, 8)}
        sat = next(datetime.date(y, 10, d) for d in range(8, 15)
                   if datetime.date(y, 10, d).weekday() == 5)
        self.workdays = {sat}
        path = "%s/calendar-%d.csv" % (bgtest.CONFIG.run_dir, y)
        with open(path, "w", encoding="utf-8") as f:
            f.write("date,type,name\n")
            for h in sorted(self.holidays):
                f.write("%s,holiday,国庆节\n" % h.isoformat())
            f.write("%s,workday,国庆节\n" % sat.isoformat())
        bgtest.admin_tool("calendar", "import", path)
        start = datetime.date(y, 9, 30)
        while start.weekday() >= 5:
            start -= datetime.timedelta(days=1)
        self.start = start

    def end(self, n=5):
        return working_days_from(self.start, n, self.holidays, self.workdays)

    def remove(self):
        sql("DELETE FROM calendar_day WHERE YEAR(day) = %d" % self.year)
        sql("DELETE FROM calendar_year WHERE year = %d" % self.year)


def open_publicity(test, n=1):
    """A reviewed round of n applications proposed and publicised, the period
    moved to have begun yesterday (tests cannot wait for the calendar); the
    calendar and the hour's objection counts removed when test ends.
    (publicity id, [app ids])."""
    province = bgtest.admin_client()
    round_id, year, apps, _ = reviewed_round(n=n, credit=n)
    token = province.csrf_from("/login/password")
    for app in apps:
        r = province.post("/publicity/propose", {"round": str(round_id), "app": str(app)},
                          csrf=token)
        test.assertStatus(r, 303)
    calendar = FutureCalendar()
    test.addCleanup(calendar.remove)
    r = province.post("/publicity/start", {
        "round": str(round_id), "title": "%d年度质量标杆拟认定名单公示" % year,
        "contact": "省工信厅质量处 0451-82628000", "start_date": calendar.start.isoformat()},
        csrf=token)
    test.assertStatus(r, 303)
    pid = int(sql_value("SELECT id FROM publicity WHERE round_id = %d" % round_id))
    sql("UPDATE publicity SET start_date = CURDATE() - INTERVAL 1 DAY,"
        " end_date = CURDATE() + INTERVAL 3 DAY WHERE id = %d" % pid)
    test.addCleanup(sql, "DELETE FROM public_rate WHERE source = '127.0.0.1'")
    return pid, apps


def objection_body(client, pid, app, **over):
    """A public objection's multipart body as the notice's form sends it,
    its question answered: (body, content type).  over: fields to change;
    _files: [(field, name, bytes, type)]."""
    page = client.get("/publicity/notice?id=%d" % pid)
    label = page.page.find("label", **{"for": "answer"})
    token = page.page.find("input", name="question_token")
    if label is None or token is None:
        raise AssertionError("the objection form is missing (HTTP %d)" % page.status)
    fields = {"publicity": str(pid), "app": str(app), "objector_name": "张三",
              "id_type": "person", "organisation": "", "contact": "13912345678",
              "content": "该企业申报材料中的质量指标与实际不符。",
              "answer": answer_of(label.text), "question_token": token.attrs["value"]}
    files = over.pop("_files", [])
    fields.update(over)
    return multipart(files, list(fields.items()))


class PublicityTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.province = bgtest.admin_client()
        cls.round_id, cls.year, cls.apps, cls.names = reviewed_round()
        cls.calendar = FutureCalendar()
        cls.cal_year = cls.calendar.year

    @classmethod
    def tearDownClass(cls):
        sql("DELETE FROM public_rate WHERE source = '127.0.0.1'")
        cls.calendar.remove()
        super().tearDownClass()

    def post(self, path, fields, client=None):
        c = client or self.province
        return c.post(path, fields, csrf=c.csrf_from("/login/password"))

    def status(self, app):
        return sql_value("SELECT status FROM application WHERE id = %d" % app)

    def object(self, client, pid, app, **over):
        body, ctype = objection_body(client, pid, app, **over)
        return client.post("/publicity/object", body=body, content_type=ctype)

    def track(self, client, tracking, contact):
        """The lookup as the form does it: POST, 303, the GET's answer."""
        r = client.post("/publicity/track", {"tracking": tracking, "contact": contact})
        self.assertRedirect(r, "/publicity/track")
        self.assertNotIn(contact, r.location)
        return client.get("/publicity/track")

    def test_flow(self):
        a, b, c3, d = self.apps
        # --- the candidates: who may be proposed, and why not ---
        r = self.province.get("/publicity/round?id=%d" % self.round_id)
        self.assertStatus(r, 200)
        row = r.page.find("tr", **{"data-app": str(d)})
        self.assertIn("信用核查", row.text)
        self.assertIn("未核查", row.text)
        self.assertEqual(row.attrs.get("data-ineligible"), "1")
        for app in (a, b, c3):
            self.assertIsNone(r.page.find("tr", **{"data-app": str(app)}).attrs.get("data-ineligible"))
        # The fourth is refused, and the refusal audited.
        r = self.post("/publicity/propose", {"round": str(self.round_id), "app": str(d)})
        self.assertStatus(r, 409)
        self.assertEqual(self.status(d), "in_review")
        for app in (a, b, c3):
            r = self.post("/publicity/propose", {"round": str(self.round_id), "app": str(app)})
            self.assertRedirect(r, "/publicity/round?id=%d&done=proposed" % self.round_id)
            self.assertEqual(self.status(app), "proposed")
        # Twice is refused; taking off and putting back are audited arrows.
        self.assertStatus(self.post("/publicity/propose",
                                    {"round": str(self.round_id), "app": str(a)}), 409)
        self.assertRedirect(self.post("/publicity/unpropose",
                                      {"round": str(self.round_id), "app": str(c3)}),
                            "/publicity/round?id=%d&done=unproposed" % self.round_id)
        self.assertEqual(self.status(c3), "in_review")
        self.assertRedirect(self.post("/publicity/propose",
                                      {"round": str(self.round_id), "app": str(c3)}),
                            "/publicity/round?id=%d&done=proposed" % self.round_id)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'publicity.propose'"
                                   " AND object_id IN (%d, %d, %d)" % (a, b, c3)), "4")

        # --- the start: refused while the calendar of the period is incomplete ---
        y = self.cal_year + 1  # no calendar
        start_fields = {"round": str(self.round_id), "title": "%d年度质量标杆拟认定名单公示" % self.year,
                        "contact": "省工信厅质量处 0451-82628000"}
        r = self.post("/publicity/start", dict(start_fields, start_date="%d-03-02" % y))
        self.assertStatus(r, 422)
        self.assertIn(str(y), r.page.error_for("start_date"))
        self.assertEqual(sql_value("SELECT COUNT(*) FROM publicity WHERE round_id = %d"
                                   % self.round_id), "0")
        # A past day is refused too.
        r = self.post("/publicity/start", dict(start_fields, start_date="2020-01-06"))
        self.assertStatus(r, 422)
        self.assertIn("不能早于今天", r.page.error_for("start_date"))

        # The year's calendar, imported whole: start the last working day
        # before its National Day week.
        start, want_end = self.calendar.start, self.calendar.end()
        zh = lambda d: "%d年%d月%d日" % (d.year, d.month, d.day)
        # The preview shows the end at once, from the calendar.
        r = self.province.get("/publicity/round?id=%d&start=%s" % (self.round_id, start.isoformat()))
        self.assertStatus(r, 200)
        period = r.page.find("p", id="period").text
        self.assertIn(zh(start), period)
        self.assertIn(zh(want_end), period)
        r = self.post("/publicity/start", dict(start_fields, start_date=start.isoformat()))
        self.assertRedirect(r, "/publicity/round?id=%d&done=started" % self.round_id)
        pid = int(sql_value("SELECT id FROM publicity WHERE round_id = %d" % self.round_id))
        self.assertEqual(sql_value("SELECT end_date FROM publicity WHERE id = %d" % pid),
                         want_end.isoformat())
        self.assertGreater(want_end - start, datetime.timedelta(days=7))  # the week off counts not
        for app in (a, b, c3):
            self.assertEqual(self.status(app), "in_publicity")
        self.assertEqual(self.status(d), "in_review")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM announcement WHERE kind = 'publicity'"
                                   " AND link = '/publicity/notice?id=%d'" % pid), "1")
        # Once started the list does not change, nor starts twice.
        self.assertStatus(self.post("/publicity/unpropose",
                                    {"round": str(self.round_id), "app": str(a)}), 409)
        self.assertStatus(self.post("/publicity/start", dict(start_fields,
                                                             start_date=start.isoformat())), 409)

        # Not public before its first day.
        public = Client()
        self.assertStatus(public.get("/publicity/notice?id=%d" % pid), 404)

        # --- the period moved to now (tests cannot wait for the calendar) ---
        sql("UPDATE publicity SET start_date = CURDATE() - INTERVAL 1 DAY,"
            " end_date = CURDATE() + INTERVAL 3 DAY WHERE id = %d" % pid)
        r = public.get("/publicity/notice?id=%d" % pid)
        self.assertStatus(r, 200)
        self.assertEqual(r.role(), "public")
        self.assertEqual(r.header_all("Set-Cookie"), [])
        listed = r.page.find("table", id="publicity-list").text
        for app in (a, b, c3):
            self.assertIn(self.names[app], listed)
        self.assertNotIn(self.names[d], listed)
        self.assertIn("0451-82628000", r.text)
        yesterday = datetime.date.fromisoformat(sql_value("SELECT CURDATE() - INTERVAL 1 DAY"))
        self.assertIn(zh(yesterday), r.page.find("p", id="period").text)
        # Nothing confidential: no scores, no experts, no opinion.
        for secret in ("评审组一致推荐", "公示测试组长", "ranking", "评分"):
            self.assertNotIn(secret, r.text)
        self.assertIn("/publicity/notice?id=%d" % pid,
                      public.get("/publicity/archive").text)
        # Its announcement: in the archive, on a page of its own that links the notice.
        ann = int(sql_value("SELECT id FROM announcement WHERE kind = 'publicity' AND link = %s"
                            % q("/publicity/notice?id=%d" % pid)))
        self.assertIn("/publicity/announcement?id=%d" % ann,
                      public.get("/publicity/announcements").text)
        r = public.get("/publicity/announcement?id=%d" % ann)
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.page.find("a", href="/publicity/notice?id=%d" % pid))

        # --- objections ---
        # A wrong answer to the question keeps the input and says why.
        r = self.object(public, pid, a, answer="99")
        self.assertStatus(r, 422)
        self.assertIn("答案", r.page.error_for("answer"))
        self.assertIn("该企业申报材料", r.page.find("textarea", id="content").text)
        # A reused token is refused.
        page = public.get("/publicity/notice?id=%d" % pid)
        label = page.page.find("label", **{"for": "answer"}).text
        tok = page.page.find("input", name="question_token").attrs["value"]
        r = self.object(public, pid, a, answer=answer_of(label), question_token=tok,
                        _files=[("file", "证明材料.pdf", make_pdf("objection"), "application/pdf")])
        self.assertRedirect(r, "/publicity/received")
        tracking_a = public.get("/publicity/received").page.find("p", id="tracking").text.strip()
        self.assertRegex(tracking_a, r"^\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
        # The province is told, with the link to handle it (notify.h); no objector named.
        oid = int(sql_value("SELECT id FROM objection WHERE tracking_no = %s" % q(tracking_a)))
        [[subject]] = sql("SELECT subject FROM notification WHERE kind = 'objection.filed' AND"
                          " link = %s AND account_id = %d"
                          % (q("/publicity/objection?id=%d" % oid), bgtest.province_account().id))
        self.assertIn(tracking_a, subject)
        self.assertNotIn(tracking_a, r.location)
        r = self.object(public, pid, a, answer=answer_of(label), question_token=tok)
        self.assertStatus(r, 422)
        self.assertIn("用过", r.page.error_for("answer"))
        # A file of another type is refused at its field.
        r = self.object(public, pid, b, _files=[("file", "a.txt", b"plain text", "text/plain")])
        self.assertStatus(r, 415)
        self.assertIn("PDF", r.page.error_for("file"))
        other = Client()
        r = self.object(other, pid, b, objector_name="李四", id_type="organisation",
                        organisation="某某质量协会", contact="lisi@example.cn",
                        content="对乙公司的典型经验有异议。")
        self.assertRedirect(r, "/publicity/received")
        tracking_b = other.get("/publicity/received").page.find("p", id="tracking").text.strip()
        self.assertNotEqual(tracking_a, tracking_b)
        oid_a = int(sql_value("SELECT id FROM objection WHERE tracking_no = %s" % q(tracking_a)))
        oid_b = int(sql_value("SELECT id FROM objection WHERE tracking_no = %s" % q(tracking_b)))

        # The lookup needs the number and the contact.
        r = self.track(public, tracking_a.lower().replace("-", " "), "13912345678")
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find("dd", id="track-state").attrs["data-state"], "received")
        r = self.track(Client(), tracking_a, "13900000000")
        self.assertStatus(r, 200)
        self.assertIsNone(r.page.find("dd", id="track-state"))
        self.assertIn("没有找到", r.error_summary())
        r = public.post("/publicity/track", {"tracking": "不是编号", "contact": "13900000000"})
        self.assertStatus(r, 422)
        self.assertIn("格式", r.page.error_for("tracking"))

        # The identity: the province only; never in the audit log's summaries.
        self.assertLoginRedirect(public.get("/publicity/objection?id=%d" % oid_a))
        city = city_client(HARBIN)
        self.assertStatus(city.get("/publicity/objection?id=%d" % oid_a), 403)
        self.assertStatus(city.get("/publicity/round?id=%d" % self.round_id), 403)
        r = self.province.get("/publicity/objection?id=%d" % oid_a)
        self.assertStatus(r, 200)
        self.assertIn("张三", r.page.find("dd", id="objector").text)
        self.assertIn("13912345678", r.text)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE summary LIKE '%%张三%%'"
                                   " OR summary LIKE '%%13912345678%%'"), "0")
        # The attachment: for administrators, audited; /files does not know it.
        links = [e.attrs["href"] for e in r.page.find_all("a")
                 if e.attrs.get("href", "").startswith("/publicity/file?")]
        self.assertEqual(len(links), 1)
        f = self.province.get(links[0])
        self.assertStatus(f, 200)
        self.assertTrue(f.body.startswith(b"%PDF"))
        att = int(sql_value("SELECT id FROM attachment WHERE objection_id = %d" % oid_a))
        self.assertStatus(self.province.get("/files/download?id=%d" % att), 404)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'attachment.download'"
                                   " AND object_id = '%d'" % att), "1")

        r = self.province.get("/publicity/round?id=%d" % self.round_id)
        self.assertIn("2 件", r.page.find("p", id="unresolved").text)

        # --- handling: notes, then upheld (A leaves), dismissed (B stays) ---
        r = self.post("/publicity/note", {"id": str(oid_a), "notes": ""})
        self.assertStatus(r, 422)
        self.assertRedirect(self.post("/publicity/note", {"id": str(oid_a),
                                                          "notes": "已调取该企业统计数据核实。"}),
                            "/publicity/objection?id=%d&done=noted" % oid_a)
        r = self.post("/publicity/decide", {"id": str(oid_a), "outcome": "upheld", "notes": "",
                                            "reasons": "", "reply": ""})
        self.assertStatus(r, 422)
        self.assertIsNotNone(r.page.error_for("reasons"))
        self.assertIsNotNone(r.page.error_for("reply"))
        self.assertRedirect(self.post("/publicity/decide", {
            "id": str(oid_a), "outcome": "upheld", "notes": "已调取该企业统计数据核实。",
            "reasons": "质量指标与统计数据不符，异议属实。",
            "reply": "经核实，您反映的问题属实，该企业已撤出公示名单。感谢监督。"}),
            "/publicity/objection?id=%d&done=decided" % oid_a)
        self.assertEqual(self.status(a), "withdrawn")
        self.assertRedirect(self.post("/publicity/decide", {
            "id": str(oid_b), "outcome": "dismissed", "notes": "",
            "reasons": "所反映情况与评审核实的材料一致。",
            "reply": "经核实，所反映问题不成立。"}),
            "/publicity/objection?id=%d&done=decided" % oid_b)
        self.assertEqual(self.status(b), "in_publicity")
        # Decided once.
        self.assertStatus(self.post("/publicity/decide", {
            "id": str(oid_b), "outcome": "upheld", "notes": "", "reasons": "改判", "reply": "改判"}), 409)
        self.assertEqual(sql_value("SELECT state FROM objection WHERE id = %d" % oid_b), "dismissed")
        # The notice shows A as withdrawn, and no longer takes objections on it.
        r = public.get("/publicity/notice?id=%d" % pid)
        row = r.page.find("tr", **{"data-app": str(a)})
        self.assertIn("已撤出", row.text)
        self.assertIsNone(r.page.find("option", value=str(a)))
        r = self.object(public, pid, a)
        self.assertStatus(r, 409)
        self.assertIn("撤出", r.error_summary())
        # The objector reads the reply.
        r = self.track(public, tracking_a, "13912345678")
        self.assertEqual(r.page.find("dd", id="track-state").attrs["data-state"], "upheld")
        self.assertIn("已撤出公示名单", r.page.find("dd", id="track-reply").text)
        self.assertNotIn("质量指标与统计数据不符", r.text)  # the internal reasons stay internal

        # --- late: after 23:59:59 of the end date ---
        sql("UPDATE publicity SET end_date = CURDATE() - INTERVAL 1 DAY WHERE id = %d" % pid)
        r = public.get("/publicity/notice?id=%d" % pid)
        self.assertIsNone(r.page.find("form", action="/publicity/object"))
        self.assertIn("公示期已结束", r.text)
        # A form opened in time and sent late:
        sql("UPDATE publicity SET end_date = CURDATE() + INTERVAL 3 DAY WHERE id = %d" % pid)
        page = public.get("/publicity/notice?id=%d" % pid)
        label = page.page.find("label", **{"for": "answer"}).text
        tok = page.page.find("input", name="question_token").attrs["value"]
        sql("UPDATE publicity SET end_date = CURDATE() - INTERVAL 1 DAY WHERE id = %d" % pid)
        body, ctype = multipart([], [("publicity", str(pid)), ("app", str(b)),
                                     ("objector_name", "王五"), ("id_type", "person"),
                                     ("contact", "13800001111"), ("content", "迟到的异议"),
                                     ("answer", answer_of(label)), ("question_token", tok)])
        r = public.post("/publicity/object", body=body, content_type=ctype)
        self.assertStatus(r, 409)
        self.assertIn("公示期已结束", r.error_summary())
        self.assertEqual(sql_value("SELECT COUNT(*) FROM objection WHERE publicity_id = %d" % pid), "2")

        # --- the rate limit: the hour's count for this address at the limit ---
        limit = int(bgtest.read_conf().get("objection_per_ip_hour", "5"))
        sql("INSERT INTO public_rate (purpose, source, window_start, hits) VALUES ('objection',"
            " '127.0.0.1', DATE_FORMAT(NOW(), '%%Y-%%m-%%d %%H:00:00'), %d)"
            " ON DUPLICATE KEY UPDATE hits = %d" % (limit, limit))
        r = public.post("/publicity/object", body=body, content_type=ctype)
        self.assertStatus(r, 429)
        self.assertIn("频繁", r.text)
        sql("DELETE FROM public_rate WHERE purpose = 'objection' AND source = '127.0.0.1'")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM objection WHERE publicity_id = %d" % pid), "2")

        self.approve_and_publish(pid, a, b, c3)

    def decode_qr(self, svg):
        """The text of a QR code drawn as our SVG (runs "M x yhNv1h-Nz"),
        read back by zbarimg from a bitmap of it."""
        import os
        import shutil
        import subprocess
        import tempfile
        if not shutil.which("zbarimg"):
            self.fail("zbarimg (Debian zbar-tools) is needed to read the QR code back")
        n = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
        dark = set()
        for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
            for i in range(int(w)):
                dark.add((int(x) + i, int(y)))
        scale = 6
        rows = []
        for py in range(n * scale):
            rows.append(bytes(0 if (px // scale, py // scale) in dark else 255
                              for px in range(n * scale)))
        with tempfile.NamedTemporaryFile(suffix=".pgm", delete=False) as f:
            f.write(b"P5\n%d %d\n255\n" % (n * scale, n * scale) + b"".join(rows))
        try:
            p = subprocess.run(["zbarimg", "--raw", "-q", f.name], capture_output=True, text=True,
                               timeout=60)
        finally:
            os.unlink(f.name)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout.strip()

    def approve_and_publish(self, pid, a, b, c3):
        import csv
        import io
        import json
        import xml.etree.ElementTree as ET
        import zipfile
        public = Client()
        # An objection still open blocks the approval.
        sql("UPDATE publicity SET end_date = CURDATE() + INTERVAL 3 DAY WHERE id = %d" % pid)
        r = self.object(public, pid, c3, contact="0451-12345678", content="对丙公司的异议。")
        self.assertRedirect(r, "/publicity/received")
        oid = int(sql_value("SELECT MAX(id) FROM objection WHERE publicity_id = %d" % pid))
        approve = {"id": str(pid), "approval_date": sql_value("SELECT CURDATE()"),
                   "approval_ref": "厅长办公会议纪要〔%d〕12号" % self.year}
        r = self.post("/publish/approve", approve)
        self.assertStatus(r, 409)
        self.assertIn("公示期尚未结束", r.error_summary())
        sql("UPDATE publicity SET end_date = CURDATE() - INTERVAL 1 DAY WHERE id = %d" % pid)
        r = self.post("/publish/approve", approve)
        self.assertStatus(r, 409)
        self.assertIn("异议未处理完毕", r.error_summary())
        self.assertRedirect(self.post("/publicity/decide", {
            "id": str(oid), "outcome": "dismissed", "notes": "", "reasons": "查无实据。",
            "reply": "经核实，异议不成立。"}), "/publicity/objection?id=%d&done=decided" % oid)
        # The meeting is after the period, and not in the future.
        for bad in (sql_value("SELECT CURDATE() - INTERVAL 1 DAY"),
                    sql_value("SELECT CURDATE() + INTERVAL 1 DAY")):
            r = self.post("/publish/approve", dict(approve, approval_date=bad))
            self.assertStatus(r, 422)
            # (other publicities' forms may come first on the page)
            self.assertTrue(any("审议日期应在" in e for e in r.field_errors()), r.field_errors())
        self.assertRedirect(self.post("/publish/approve", approve), "/publish?done=approved")
        self.assertEqual([self.status(x) for x in (a, b, c3)], ["withdrawn", "approved", "approved"])
        self.assertStatus(self.post("/publish/approve", approve), 409)  # once
        # Published: certificates numbered in the list's order, never before the approval.
        r = self.post("/publish/publish", {"id": str(pid),
                                           "award_date": sql_value("SELECT CURDATE() - INTERVAL 1 DAY")})
        self.assertStatus(r, 422)
        self.assertTrue(any("授牌日期不能早于" in e for e in r.field_errors()), r.field_errors())
        award = sql_value("SELECT CURDATE() + INTERVAL 2 DAY")
        self.assertRedirect(self.post("/publish/publish", {"id": str(pid), "award_date": award}),
                            "/publish?done=published")
        self.assertEqual([self.status(x) for x in (a, b, c3)], ["withdrawn", "benchmark", "benchmark"])
        certs = sql("SELECT application_id, cert_no FROM benchmark WHERE publicity_id = %d"
                    " ORDER BY seq" % pid)
        self.assertEqual(certs, [[str(b), "HLJZLBG-%d-001" % self.year],
                                 [str(c3), "HLJZLBG-%d-002" % self.year]])
        cert_b, cert_c = certs[0][1], certs[1][1]
        self.assertStatus(self.post("/publish/publish", {"id": str(pid), "award_date": award}), 409)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM announcement WHERE kind = 'publication'"
                                   " AND link = '/publish/list?year=%d'" % self.year), "1")

        # The public list, its open data, nothing confidential.
        r = public.get("/publish/lists")
        self.assertIsNotNone(r.page.find("li", **{"data-year": str(self.year)}))
        r = public.get("/publish/list?year=%d" % self.year)
        self.assertStatus(r, 200)
        table = r.page.find("table", id="benchmark-list").text
        self.assertIn(self.names[b], table)
        self.assertIn(cert_c, table)
        self.assertNotIn(self.names[a], r.text)
        for secret in ("张三", "13912345678", "评审组一致推荐", "公示测试组长"):
            self.assertNotIn(secret, r.text)
        self.assertStatus(public.get("/publish/list?year=2001"), 404)
        doc = json.loads(public.get("/publish/list.json?year=%d" % self.year).text)
        self.assertEqual([e["certificate_no"] for e in doc["benchmarks"]], [cert_b, cert_c])
        self.assertEqual(doc["benchmarks"][0]["enterprise"], self.names[b])
        self.assertNotIn("张三", json.dumps(doc, ensure_ascii=False))
        r = public.get("/publish/list.csv?year=%d" % self.year)
        self.assertTrue(r.headers.get("Content-Type").startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
        self.assertEqual(rows[0][0], "证书编号")
        self.assertEqual([x[0] for x in rows[1:]], [cert_b, cert_c])
        feed = ET.fromstring(public.get("/publish/feed.atom").body)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
        self.assertIn("%d年度黑龙江省质量标杆名单" % self.year, titles)
        ann = json.loads(public.get("/publish/announcements.json").text)
        kinds = {(x["kind"], x["link"].split("/", 3)[-1]) for x in ann["announcements"]}
        self.assertIn(("publication", "publish/list?year=%d" % self.year), kinds)

        # Verification, and the QR code that leads to it.
        r = public.get("/publish/verify?no=%s" % cert_b.lower())
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find("section", id="verdict").attrs["data-status"], "valid")
        self.assertIn("有效", r.text)
        self.assertStatus(public.get("/publish/verify?no=HLJZLBG-%d-999" % self.year), 404)
        self.assertStatus(public.get("/publish/verify?no=nonsense"), 404)
        self.assertStatus(public.get("/publish/verify"), 200)
        q = public.get("/publish/qr?no=%s" % cert_b)
        self.assertStatus(q, 200)
        self.assertEqual(q.headers.get("Content-Type"), "image/svg+xml; charset=utf-8")
        url = self.decode_qr(q.text)
        self.assertTrue(url.endswith("/publish/verify?no=%s" % cert_b), url)
        self.assertStatus(public.get("/" + url.split("://", 1)[1].split("/", 1)[1]), 200)
        sql("UPDATE benchmark SET status = 'revoked', status_changed_at = NOW() WHERE cert_no = %s"
            % q_(cert_c))
        r = public.get("/publish/verify?no=%s" % cert_c)
        self.assertEqual(r.page.find("section", id="verdict").attrs["data-status"], "revoked")
        self.assertIn("已于", r.text)
        self.assertIn("撤销", public.get("/publish/list?year=%d" % self.year)
                      .page.find("tr", **{"data-cert": cert_c}).text)
        sql("UPDATE benchmark SET status = 'valid', status_changed_at = NULL WHERE cert_no = %s"
            % q_(cert_c))
        # The certificate to print: the province's.
        r = self.province.get("/publish/certificate?no=%s" % cert_b)
        self.assertStatus(r, 200)
        self.assertIn(self.names[b], r.page.find("article", id="certificate").text)
        self.assertIsNotNone(r.page.find("img", src="/publish/qr?no=%s" % cert_b))
        self.assertLoginRedirect(public.get("/publish/certificate?no=%s" % cert_b))
        self.assertStatus(city_client(HARBIN).get("/publish/certificate?no=%s" % cert_b), 403)

        # The national recommendation and its package.
        bid_b = sql_value("SELECT id FROM benchmark WHERE cert_no = %s" % q_(cert_b))
        r = self.province.get("/publish/national?year=%d" % self.year)
        self.assertStatus(r, 200)
        r = self.post("/publish/national", {"year": str(self.year), "bm": bid_b,
                                            "note": "示范作用突出，推荐参加全国遴选。"})
        self.assertRedirect(r, "/publish/national?year=%d&done=saved" % self.year)
        self.assertEqual(sql("SELECT benchmark_id FROM national_recommendation WHERE year = %d"
                             % self.year), [[bid_b]])
        z = self.province.get("/publish/package?year=%d" % self.year)
        self.assertStatus(z, 200)
        self.assertEqual(z.headers.get("Content-Type"), "application/zip")
        self.assertIn("filename*=UTF-8''", z.headers.get("Content-Disposition"))
        with zipfile.ZipFile(io.BytesIO(z.body)) as zf:
            names = zf.namelist()
            folder = "001_%s/" % self.names[b]
            self.assertIn(folder + "申报书.html", names)
            self.assertIn(self.names[b], zf.read(folder + "申报书.html").decode("utf-8"))
            files = [n for n in names if n.startswith(folder + "附件")]
            stored = sql("SELECT sha256 FROM attachment WHERE application_id = %s ORDER BY id" % b)
            self.assertEqual(len(files), len(stored))
            import hashlib
            self.assertEqual(sorted(hashlib.sha256(zf.read(n)).hexdigest() for n in files),
                             sorted(s[0] for s in stored))
            for info in zf.infolist():
                self.assertTrue(info.flag_bits & 0x800, "%s: no UTF-8 flag" % info.filename)
            sheet = "%d年度推荐汇总表.xlsx" % self.year
            self.assertIn(sheet, names)
            with zipfile.ZipFile(io.BytesIO(zf.read(sheet))) as book:
                shared = book.read("xl/sharedStrings.xml").decode("utf-8")
            for text in ("证书编号", cert_b, self.names[b], "示范作用突出，推荐参加全国遴选。"):
                self.assertIn(text, shared)
            self.assertNotIn(self.names[c3], " ".join(names))
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'publish.package'"
                                   " AND object_id = '%d'" % self.year), "1")
        # A revoked title cannot be put forward.
        sql("UPDATE benchmark SET status = 'revoked' WHERE cert_no = %s" % q_(cert_c))
        cid = sql_value("SELECT id FROM benchmark WHERE cert_no = %s" % q_(cert_c))
        r = self.post("/publish/national", {"year": str(self.year), "bm": cid, "note": ""})
        self.assertStatus(r, 409)
        sql("UPDATE benchmark SET status = 'valid' WHERE cert_no = %s" % q_(cert_c))
