"""Issue 10, the recommendation step (articles 5, 9, 10, 12): a city bureau
reviews its own city's submitted applications, returns, declines or
recommends each (with a reason, or an opinion and a rank), orders its batch
and submits it within its quota before its deadline; the province sees every
city's batch, reopens one or extends a city's deadline, records credit checks
and exports the lists.  Every refusal changes nothing, every change leaves
exactly one audit record, and another city's objects answer 404 (audited).

Everything is done through the pages, as a user would: accounts with
biaogan-admin, enterprises through registration, applications through the
apply pages, rounds with `biaogan-admin round add`.  SQL only looks, except
to move a round's times into the past (a deadline that passed a minute ago
can only be made that way, as in test_apply.close_window)."""

import csv
import io
import os
import re
import secrets
import sys
import threading
import unittest
import urllib.parse

import bgtest
from bgtest import Client, DAQING, HARBIN, q, sql, sql_value
from test_apply import add_uploads, complete_application, new_uscc, register

# Each test class works in its own cities, so batches never meet.
QIQIHAR = ("230200", "齐齐哈尔市")
JIXI = ("230300", "鸡西市")
HEGANG = ("230400", "鹤岗市")
SHUANGYASHAN = ("230500", "双鸭山市")
YICHUN = ("230700", "伊春市")
JIAMUSI = ("230800", "佳木斯市")
QITAIHE = ("230900", "七台河市")
MUDANJIANG = ("231000", "牡丹江市")
HEIHE = ("231100", "黑河市")
SUIHUA = ("231200", "绥化市")

ROUTES_GET = ["/recommend", "/recommend/app?id=1", "/recommend/batch", "/recommend/letter",
              "/recommend/export", "/recommend/province", "/recommend/province/export"]
ROUTES_POST = ["/recommend/return", "/recommend/decline", "/recommend/recommend",
               "/recommend/reconsider", "/recommend/credit", "/recommend/batch/order",
               "/recommend/batch/submit", "/recommend/batch/reopen", "/recommend/batch/extend"]


def openpyxl():
    """Debian's python3-openpyxl (scripts/install-deps), also when python3 is
    another interpreter than Debian's (pyenv): its pure-Python modules load
    from Debian's dist-packages."""
    try:
        import openpyxl as mod
    except ImportError:
        debian = "/usr/lib/python3/dist-packages"
        if os.path.isdir(debian) and debian not in sys.path:
            sys.path.append(debian)
        try:
            import openpyxl as mod
        except ImportError:
            raise AssertionError("openpyxl is missing: install python3-openpyxl (scripts/install-deps)")
    return mod


def shanghai(interval):
    """Now + an SQL interval, as "YYYY-MM-DD HH:MM" Asia/Shanghai (SQL looks)."""
    return sql_value("SELECT DATE_FORMAT(NOW() + INTERVAL %s, '%%Y-%%m-%%d %%H:%%i')" % interval)


def make_round(quota=2):
    """A round open now, in a free year, made with biaogan-admin; (id, year)."""
    used = {int(r[0]) for r in sql("SELECT year FROM selection_round")}
    free = [y for y in range(2030, 2101) if y not in used]
    secrets.SystemRandom().shuffle(free)
    for year in free[:20]:
        p = bgtest.admin_tool("round", "add", "--year", str(year), "--open", shanghai("-10 DAY"),
                              "--close", shanghai("30 DAY"), "--deadline", shanghai("60 DAY"),
                              "--quota", str(quota), check=False)
        if p.returncode == 4:
            continue  # taken meanwhile
        if p.returncode != 0:
            raise AssertionError("round add: %s %s" % (p.stdout, p.stderr))
        return int(sql_value("SELECT id FROM selection_round WHERE year = %d" % year)), year
    raise unittest.SkipTest("no free year 2030-2100 for a test round: use a fresh run directory")


def deadline_passed(round_id):
    """The round's times moved into the past: window closed, deadline a minute ago."""
    sql("UPDATE selection_round SET apply_open = NOW() - INTERVAL 3 DAY,"
        " apply_close = NOW() - INTERVAL 2 DAY, recommend_deadline = NOW() - INTERVAL 1 MINUTE"
        " WHERE id = %d" % round_id)


def window_closed(round_id):
    """The application window closed a minute ago; the city's deadline still ahead."""
    sql("UPDATE selection_round SET apply_open = NOW() - INTERVAL 3 DAY,"
        " apply_close = NOW() - INTERVAL 1 MINUTE WHERE id = %d" % round_id)


def app_id_of(location):
    return int(urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["id"][0])


def submitted_app(round_id, city=HARBIN, submit=True, **over):
    """A new enterprise of city with a complete application in the round,
    submitted through the apply pages (a draft when submit is false)."""
    ent = register(city_code=city[0], uscc=new_uscc(division=city[0]))
    c = ent.client
    c.get("/apply")
    r = c.post("/apply/start", {"round": str(round_id)}, csrf=True)
    if r.status != 303:
        raise AssertionError("start: HTTP %d" % r.status)
    app_id = app_id_of(r.location)
    token = c.csrf_from("/apply")
    r = c.post("/apply/edit", dict(complete_application(**over), id=str(app_id), action="save"),
               csrf=token)
    if r.status != 303:
        raise AssertionError("save: HTTP %d %s" % (r.status, r.field_errors()))
    add_uploads(ent, app_id)
    if submit:
        r = c.post("/apply/submit", {"id": str(app_id)}, csrf=token)
        if r.status != 303 or "submitted=1" not in (r.location or ""):
            raise AssertionError("submit: HTTP %d %s" % (r.status, r.location))
    return ent, app_id


def city_client(city):
    """A new city bureau account of city, logged in; its account as .account."""
    account = bgtest.create_account("city", city=city[0])
    c = bgtest.logged_in(account)
    c.account = account
    return c


class RecommendCase(bgtest.TestCase):
    def status(self, app_id):
        return sql_value("SELECT status FROM application WHERE id = %d" % app_id)

    def audits(self, action, object_id=None, object_type=None):
        where = "action = %s" % q(action)
        if object_id is not None:
            where += " AND object_id = %s" % q(str(object_id))
        if object_type is not None:
            where += " AND object_type = %s" % q(object_type)
        return int(sql_value("SELECT COUNT(*) FROM audit WHERE " + where))

    def refused(self, login):
        return int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'refused.object'"
                             " AND login = %s" % q(login)))

    def decision(self, app_id):
        return sql("SELECT decision, opinion, rank_no FROM recommendation WHERE application_id = %d"
                   % app_id)

    def post(self, client, path, fields):
        return client.post(path, fields, csrf=client.csrf_from("/login/password"))

    def recommend(self, client, app_id, opinion="该企业质量管理成效显著，推荐。", rank=""):
        return self.post(client, "/recommend/recommend",
                         {"id": str(app_id), "opinion": opinion, "rank": str(rank)})

    def decline(self, client, app_id, reason="典型经验示范性不足。"):
        return self.post(client, "/recommend/decline", {"id": str(app_id), "reason": reason})

    def return_(self, client, app_id, reason="请补充关键指标的统计口径。"):
        return self.post(client, "/recommend/return", {"id": str(app_id), "reason": reason})

    def rows_of(self, r):
        """The application ids of the list, in its order (batch rows carry data-rank)."""
        return [int(tr.attrs["data-id"]) for tr in r.page.find_all("tr")
                if "data-id" in tr.attrs and "data-rank" not in tr.attrs]

    def error_after(self, r, control_id):
        """The field error shown after the control with this id (forms on one
        page may share field names)."""
        start = None
        for i, e in enumerate(r.page.elements):
            if e.attrs.get("id") == control_id:
                start = i
        for e in r.page.elements[start + 1:] if start is not None else []:
            if e.tag in ("input", "select", "textarea"):
                return None
            if e.tag == "p" and "field-error" in e.attrs.get("class", "").split():
                return e.text
        return None

    def batch_ids(self, r):
        return [int(tr.attrs["data-id"]) for tr in r.page.find_all("tr")
                if "data-id" in tr.attrs and "data-rank" in tr.attrs]


class ListTest(RecommendCase):
    """The city's list: own city only, no drafts, flags, filters, sorting, paging."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = make_round(quota=5)
        cls.city = city_client(JIXI)
        cls.apps = []
        for i in range(11):
            over = {"profit_1": str(100 + 37 * ((i * 7) % 11)), "title": "典型经验%02d" % i}
            if i in (3, 8):
                over["scope"] = "2"
            cls.apps.append(submitted_app(cls.round_id, JIXI, **over)[1])
        cls.draft = submitted_app(cls.round_id, JIXI, submit=False)[1]
        cls.other = submitted_app(cls.round_id, HEGANG)[1]

    def get(self, query=""):
        return self.city.get("/recommend?round=%d%s" % (self.round_id, query))

    def test_own_city_only_without_drafts(self):
        r = self.get("&per=50")
        self.assertStatus(r, 200)
        self.assertSecurityHeaders(r, "list")
        self.assertEqual(sorted(self.rows_of(r)), sorted(self.apps))
        self.assertNotIn(self.draft, self.rows_of(r))
        self.assertNotIn(self.other, self.rows_of(r))
        self.assertIn("共 11 份", r.page.find(id="list-total").text)
        # The batch's state and the city's deadline are on the list page.
        self.assertEqual(r.page.find(id="batch-summary").attrs["data-state"], "not_started")
        self.assertIn("名额 5 份", r.page.find(id="batch-quota").text)

    def test_row_shows_figures_and_eligibility_flags(self):
        r = self.get("&per=50")
        row = r.page.find("tr", **{"data-id": str(self.apps[0])})
        self.assertEqual(row.attrs["data-status"], "submitted")
        text = row.text
        self.assertIn("980.00", text)           # the profit two years before
        self.assertIn("中型", text)             # SME class of the saved figures
        self.assertIn("高端装备", text)         # industry
        self.assertIn("已上传", text)           # commitment letter present
        self.assertIn("已声明未列入", text)     # dishonest-debtor declaration and its date
        self.assertIn(sql_value("SELECT DATE_FORMAT(dishonest_checked, '%%Y-%%m-%%d') FROM"
                                " application WHERE id = %d" % self.apps[0]), text)
        legal = [e for e in r.page.find_all("td") if e.attrs.get("data-flag") == "legal"]
        self.assertTrue(legal and all(e.attrs["data-value"] == "yes" for e in legal))

    def test_paging_on_the_server(self):
        r = self.get("&per=10")
        self.assertStatus(r, 200)
        first = self.rows_of(r)
        self.assertEqual(len(first), 10)
        self.assertIn("第 1/2 页", r.page.find(id="list-total").text)
        nxt = r.page.find("a", rel="next")
        self.assertIsNotNone(nxt)
        r = self.city.get(nxt.attrs["href"])
        second = self.rows_of(r)
        self.assertEqual(len(second), 1)
        self.assertEqual(sorted(first + second), sorted(self.apps))
        # Past the end: the last page.
        r = self.get("&per=10&page=99")
        self.assertStatus(r, 200)
        self.assertEqual(self.rows_of(r), second)

    def test_sort_by_any_column(self):
        ids = ",".join(str(i) for i in self.apps)
        cases = {
            "enterprise": "e.name, a.id",
            "profit_1": "a.profit_1, a.id",
            "submitted": "a.submitted_at, a.id",
            "scope": "a.scope, a.id",
        }
        for key, order in cases.items():
            want = [int(x[0]) for x in sql(
                "SELECT a.id FROM application a JOIN enterprise e ON e.id = a.enterprise_id"
                " WHERE a.id IN (%s) ORDER BY %s" % (ids, order))]
            with self.subTest(sort=key):
                r = self.get("&per=50&sort=%s&dir=asc" % key)
                self.assertStatus(r, 200)
                self.assertEqual(self.rows_of(r), want)
                th = [e for e in r.page.find_all("th") if e.attrs.get("aria-sort")]
                self.assertEqual(th[0].attrs["aria-sort"], "ascending")
        r = self.get("&per=50&sort=profit_1&dir=desc")
        want = [int(x[0]) for x in sql("SELECT id FROM application WHERE id IN (%s)"
                                       " ORDER BY profit_1 DESC, id" % ids)]
        self.assertEqual(self.rows_of(r), want)
        for key in ("status", "industry", "sme", "profit_2", "legal", "dishonest", "commitment",
                    "rank", "city"):
            with self.subTest(sort=key):
                r = self.get("&per=50&sort=%s&dir=desc" % key)
                self.assertStatus(r, 200)
                self.assertEqual(sorted(self.rows_of(r)), sorted(self.apps))

    def test_filters(self):
        r = self.get("&per=50&scope=2")
        self.assertEqual(sorted(self.rows_of(r)), sorted([self.apps[3], self.apps[8]]))
        r = self.get("&per=50&status=recommended")
        self.assertEqual(self.rows_of(r), [])
        r = self.get("&per=50&status=submitted&scope=1")
        self.assertEqual(len(self.rows_of(r)), 9)

    def test_search(self):
        """Part of the enterprise's name or of the title, or the whole credit
        code (any case) finds the application; % and _ are literal; the
        search stays in the sort and page links and is shown in its field."""
        app = self.apps[4]
        name, uscc, title = sql("SELECT e.name, e.uscc, a.title FROM application a JOIN enterprise e"
                                " ON e.id = a.enterprise_id WHERE a.id = %d" % app)[0]
        for query in (name[2:8], uscc.lower(), title):
            with self.subTest(query=query):
                r = self.get("&per=10&q=" + urllib.parse.quote(query))
                self.assertStatus(r, 200)
                self.assertIn(app, self.rows_of(r))
                self.assertEqual(r.page.find("input", id="f-q").attrs.get("value"), query)
                sort_links = [a.attrs["href"] for a in r.page.find_all("a")
                              if "sort=enterprise" in a.attrs.get("href", "")]
                self.assertTrue(sort_links)
                self.assertIn("q=" + urllib.parse.quote(query, safe=""), sort_links[0])
        self.assertEqual(self.rows_of(self.get("&q=" + urllib.parse.quote("没有这样的企业%_"))), [])
        r = self.get("&q=" + urllib.parse.quote("长" * 65))
        self.assertStatus(r, 422)
        self.assertTrue(r.page.error_for("q"))
        self.assertEqual(len(self.rows_of(r)), 11)

    def test_bad_filters_are_explained(self):
        for query, field, message in (("&status=bogus", "status", "状态的选项无效"),
                                      ("&sort=1%20OR%201", "sort", "排序列无效"),
                                      ("&scope=9", "scope", "选项无效"),
                                      ("&page=-1", "page", "页码"),
                                      ("&per=7", "per", "选项无效")):
            with self.subTest(query=query):
                r = self.get(query)
                self.assertStatus(r, 422)
                self.assertIn(message, " ".join(r.field_errors()))
                # The list is still there, without the refused filter.
                self.assertEqual(len(self.rows_of(r)), 11)
        self.assertStatus(self.city.get("/recommend?round=999999999"), 404)


class DecisionTest(RecommendCase):
    """Return, decline, recommend and reconsider: reasons, opinions, ranks,
    wrong states, one effect."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = make_round(quota=3)
        cls.city = city_client(QIQIHAR)

    def test_return_for_revision_and_resubmit(self):
        ent, app_id = submitted_app(self.round_id, QIQIHAR)
        # No reason: refused at its field, the input kept, nothing changed.
        r = self.return_(self.city, app_id, reason="   ")
        self.assertStatus(r, 422)
        self.assertIn("请填写退回修改理由", self.error_after(r, "return-reason") or "")
        self.assertEqual(self.status(app_id), "submitted")
        self.assertEqual(self.audits("recommend.return", app_id), 0)
        r = self.return_(self.city, app_id, reason="理" * 501)
        self.assertStatus(r, 422)
        self.assertIn("不能超过500个字符", self.error_after(r, "return-reason") or "")
        self.assertEqual(r.page.find("textarea", id="return-reason").text, "理" * 501)

        r = self.return_(self.city, app_id, reason="请补充<b>指标</b>口径。")
        self.assertRedirect(r, "/recommend/app?id=%d&done=return" % app_id)
        self.assertEqual(self.status(app_id), "returned")
        self.assertEqual(self.audits("recommend.return", app_id), 1)
        self.assertEqual(sql("SELECT reason FROM application_return WHERE application_id = %d"
                             % app_id), [["请补充<b>指标</b>口径。"]])
        # The enterprise sees why, escaped, on its home page and its application.
        for path in ("/home", "/apply/view?id=%d" % app_id, "/apply/edit?id=%d" % app_id):
            with self.subTest(path=path):
                r = ent.client.get(path)
                self.assertStatus(r, 200)
                self.assertIn("请补充&lt;b&gt;指标&lt;/b&gt;口径。", r.text)
        # It edits and resubmits while the window is open.
        token = ent.client.csrf_from("/apply")
        r = ent.client.post("/apply/edit", dict(complete_application(title="修改后的典型经验"),
                                                id=str(app_id), action="submit"), csrf=token)
        self.assertRedirect(r, "/apply/view?id=%d&submitted=1" % app_id)
        self.assertEqual(self.status(app_id), "submitted")
        self.assertEqual(self.audits("application.submit", app_id), 2)
        self.assertNotIn("退回修改理由", ent.client.get("/apply/view?id=%d" % app_id).text)
        # A second return: the history keeps both.
        self.assertRedirect(self.return_(self.city, app_id, reason="第二次退回"), "/recommend/app")
        r = self.city.get("/recommend/app?id=%d" % app_id)
        self.assertEqual(len(r.page.find(id="returns").text.split("第二次退回")), 2)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM application_return WHERE"
                                   " application_id = %d" % app_id), "2")

    def timeline(self, client, path):
        """(event, text of the row) of the application's 办理进度, oldest first."""
        r = client.get(path)
        self.assertStatus(r, 200)
        return [(tr.attrs["data-event"], tr.text) for tr in r.page.find_all("tr")
                if "data-event" in tr.attrs]

    def test_timeline_records_every_move_and_names_no_one(self):
        ent, app_id = submitted_app(self.round_id, QIQIHAR)
        self.assertRedirect(self.return_(self.city, app_id, reason="请补充说明。"), "/recommend/app")
        # The enterprise's home says by when to resubmit (the round's close).
        home = ent.client.get("/home").page.find(id="home-applications").text
        self.assertRegex(home, r"请于 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 前修改并重新提交（[^）]+）")
        # A refused move (returning it again) leaves no line.
        self.assertStatus(self.return_(self.city, app_id), 409)
        token = ent.client.csrf_from("/apply")
        r = ent.client.post("/apply/edit", dict(complete_application(), id=str(app_id),
                                                action="submit"), csrf=token)
        self.assertRedirect(r, "/apply/view?id=%d&submitted=1" % app_id)
        self.assertRedirect(self.recommend(self.city, app_id), "/recommend/app")
        want = [("start", "申报企业", "草稿"), ("submit", "申报企业", "已提交"),
                ("return", "齐齐哈尔市工信局", "退回修改"),
                ("resubmit", "申报企业", "已提交"),
                ("recommend", "齐齐哈尔市工信局", "")]
        views = [(ent.client, "/apply/view?id=%d" % app_id),
                 (self.city, "/apply/view?id=%d" % app_id),
                 (self.city, "/recommend/app?id=%d" % app_id)]
        for client, path in views:
            with self.subTest(path=path, city=client is self.city):
                lines = self.timeline(client, path)
                self.assertEqual([e for e, _ in lines], [e for e, _, _ in want])
                for (event, text), (_, actor, status) in zip(lines, want):
                    self.assertRegex(text, r"^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d")
                    self.assertIn(actor, text)
                    self.assertIn(status, text)
                    # Organisations, never people: no login appears.
                    self.assertNotIn(self.city.account.login, text)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM application_event"
                                   " WHERE application_id = %d" % app_id), "4")

    def test_recommend_needs_an_opinion_and_a_rank_in_range(self):
        _, first = submitted_app(self.round_id, QIQIHAR)
        _, second = submitted_app(self.round_id, QIQIHAR)
        r = self.recommend(self.city, first, opinion="")
        self.assertStatus(r, 422)
        self.assertIn("请填写推荐意见", r.page.error_for("opinion") or "")
        self.assertEqual(self.status(first), "submitted")
        r = self.recommend(self.city, first, opinion="意见", rank=0)
        self.assertStatus(r, 422)
        self.assertIn("推荐排名", r.page.error_for("rank") or "")
        # One more than the batch holds is the most.
        held = int(sql_value("SELECT COUNT(*) FROM recommendation rc JOIN recommend_batch b ON"
                             " b.id = rc.batch_id WHERE b.round_id = %d AND b.city_code = %s AND"
                             " rc.decision = 'recommended'" % (self.round_id, q(QIQIHAR[0]))))
        r = self.recommend(self.city, first, opinion="意见", rank=held + 2)
        self.assertStatus(r, 422)
        self.assertIn("推荐排名须在1到%d之间" % (held + 1), r.page.error_for("rank") or "")
        self.assertEqual(r.page.find("textarea", id="opinion").text, "意见")
        self.assertEqual(self.status(first), "submitted")
        self.assertEqual(self.audits("recommend.recommend", first), 0)

        r = self.recommend(self.city, first, opinion="=HYPERLINK(\"x\")，成效显著")
        self.assertRedirect(r, "/recommend/app?id=%d&done=recommend" % first)
        self.assertEqual(self.status(first), "recommended")
        self.assertEqual(self.audits("recommend.recommend", first), 1)
        rank_first = int(self.decision(first)[0][2])
        # The second goes in ahead of it: the first moves down.
        r = self.recommend(self.city, second, rank=rank_first)
        self.assertRedirect(r, "/recommend/app")
        self.assertEqual(int(self.decision(second)[0][2]), rank_first)
        self.assertEqual(int(self.decision(first)[0][2]), rank_first + 1)
        r = self.city.get("/recommend/app?id=%d" % first)
        self.assertEqual(r.page.find(id="decision").attrs["data-decision"], "recommended")
        self.assertIn("=HYPERLINK", r.page.find(id="decision-opinion").text)

    def test_decline_needs_a_reason(self):
        _, app_id = submitted_app(self.round_id, QIQIHAR)
        r = self.decline(self.city, app_id, reason="")
        self.assertStatus(r, 422)
        self.assertIn("请填写不予推荐理由", self.error_after(r, "decline-reason") or "")
        self.assertEqual(self.status(app_id), "submitted")
        r = self.decline(self.city, app_id)
        self.assertRedirect(r, "/recommend/app?id=%d&done=decline" % app_id)
        self.assertEqual(self.status(app_id), "not_recommended")
        self.assertEqual(self.decision(app_id), [["not_recommended", "典型经验示范性不足。", None]])
        self.assertEqual(self.audits("recommend.decline", app_id), 1)

    def test_actions_in_the_wrong_state_change_nothing(self):
        _, returned = submitted_app(self.round_id, QIQIHAR)
        self.assertRedirect(self.return_(self.city, returned), "/recommend/app")
        _, declined = submitted_app(self.round_id, QIQIHAR)
        self.assertRedirect(self.decline(self.city, declined), "/recommend/app")
        _, draft = submitted_app(self.round_id, QIQIHAR, submit=False)
        before = sql("SELECT id, status, updated_at FROM application WHERE id IN (%d, %d, %d)"
                     " ORDER BY id" % (returned, declined, draft))
        last = int(sql_value("SELECT MAX(id) FROM audit"))
        cases = [
            (lambda: self.recommend(self.city, returned), "已退回修改", "不能推荐"),
            (lambda: self.decline(self.city, returned), "已退回修改", "不能作出不予推荐决定"),
            (lambda: self.return_(self.city, returned), "已退回修改", "不能退回修改"),
            (lambda: self.recommend(self.city, declined), "未获市（地）推荐", "不能推荐"),
            (lambda: self.return_(self.city, declined), "未获市（地）推荐", "不能退回修改"),
        ]
        for act, state, verb in cases:
            with self.subTest(state=state, verb=verb):
                r = act()
                self.assertStatus(r, 409)
                self.assertIn("当前状态为“%s”" % state, r.page.find(id="action-error").text)
                self.assertIn(verb, r.page.find(id="action-error").text)
        # A draft is not the city's to see: 404, audited.
        for act in (lambda: self.recommend(self.city, draft), lambda: self.decline(self.city, draft),
                    lambda: self.city.get("/recommend/app?id=%d" % draft)):
            self.assertStatus(act(), 404)
        self.assertEqual(sql("SELECT id, status, updated_at FROM application WHERE id IN"
                             " (%d, %d, %d) ORDER BY id" % (returned, declined, draft)), before)
        # Nothing was written but the three refusal records.
        self.assertEqual(sql("SELECT action, login, object_id FROM audit WHERE id > %d ORDER BY id"
                             % last),
                         [["refused.object", self.city.account.login, str(draft)]] * 3)

    def test_reconsider_undoes_a_decision_while_the_batch_is_open(self):
        _, a = submitted_app(self.round_id, QIQIHAR)
        _, b = submitted_app(self.round_id, QIQIHAR)
        self.assertRedirect(self.recommend(self.city, a), "/recommend/app")
        self.assertRedirect(self.recommend(self.city, b), "/recommend/app")
        rank_a, rank_b = int(self.decision(a)[0][2]), int(self.decision(b)[0][2])
        self.assertEqual(rank_b, rank_a + 1)
        r = self.post(self.city, "/recommend/reconsider", {"id": str(a)})
        self.assertRedirect(r, "/recommend/app?id=%d&done=reconsider" % a)
        self.assertEqual(self.status(a), "submitted")
        self.assertEqual(self.decision(a), [])
        self.assertEqual(int(self.decision(b)[0][2]), rank_a)  # the gap closes
        self.assertEqual(self.audits("recommend.reconsider", a), 1)
        # Nothing to undo now.
        r = self.post(self.city, "/recommend/reconsider", {"id": str(a)})
        self.assertStatus(r, 409)
        self.assertEqual(self.audits("recommend.reconsider", a), 1)

    def test_two_tabs_recommending_at_once_have_one_effect(self):
        _, app_id = submitted_app(self.round_id, QIQIHAR)
        token = self.city.csrf_from("/login/password")
        session = self.city.session_token()
        results = [None] * 4

        def run(i):
            c = Client()
            c.set_session_token(session)
            if i % 2:
                results[i] = c.post("/recommend/recommend", {"id": str(app_id), "opinion": "推荐"},
                                    csrf=token)
            else:
                results[i] = c.post("/recommend/decline", {"id": str(app_id), "reason": "不推荐"},
                                    csrf=token)
        threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(sorted(r.status for r in results), [303, 409, 409, 409])
        self.assertEqual(len(self.decision(app_id)), 1)
        self.assertEqual(self.audits("recommend.recommend", app_id) +
                         self.audits("recommend.decline", app_id), 1)


class BatchTest(RecommendCase):
    """The batch: order, quota, submit (once), lock, letter, exports, reopen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = make_round(quota=2)
        cls.province = bgtest.admin_client()

    def batch(self, client, city=None):
        path = "/recommend/batch?round=%d" % self.round_id
        if city:
            path += "&city=" + city[0]
        return client.get(path)

    def submit(self, client):
        return self.post(client, "/recommend/batch/submit", {"round": str(self.round_id)})

    def notices(self, kind, link, where="1"):
        return int(sql_value("SELECT COUNT(*) FROM notification WHERE kind = %s AND link = %s"
                             " AND %s" % (q(kind), q(link), where)))

    def batch_row(self, city):
        return sql("SELECT status, submitted_at IS NOT NULL FROM recommend_batch WHERE"
                   " round_id = %d AND city_code = %s" % (self.round_id, q(city[0])))

    def test_order_quota_submit_lock_and_reopen(self):
        city = city_client(JIAMUSI)
        apps = [submitted_app(self.round_id, JIAMUSI)[1] for _ in range(4)]
        for a in apps[:3]:
            self.assertRedirect(self.recommend(city, a, opinion="推荐意见%d" % a), "/recommend/app")
        r = self.batch(city)
        self.assertStatus(r, 200)
        self.assertEqual(self.batch_ids(r), apps[:3])
        self.assertEqual(r.page.find(id="batch-quota").attrs["data-used"], "3")
        self.assertIn("超出名额 1 份", r.page.find(id="batch-quota").text)

        # Reorder: a permutation of 1..n.
        order = {"round": str(self.round_id), "rank_%d" % apps[0]: "3",
                 "rank_%d" % apps[1]: "1", "rank_%d" % apps[2]: "2"}
        r = self.post(city, "/recommend/batch/order", order)
        self.assertRedirect(r, "/recommend/batch?round=%d&done=order" % self.round_id)
        self.assertEqual(self.batch_ids(self.batch(city)), [apps[1], apps[2], apps[0]])
        batch_id = sql_value("SELECT id FROM recommend_batch WHERE round_id = %d AND city_code = %s"
                             % (self.round_id, q(JIAMUSI[0])))
        self.assertEqual(self.audits("recommend.reorder", batch_id), 1)
        # The same order again: nothing written.
        r = self.post(city, "/recommend/batch/order", order)
        self.assertRedirect(r, "/recommend/batch?round=%d&done=unchanged" % self.round_id)
        self.assertEqual(self.audits("recommend.reorder", batch_id), 1)
        # Not a permutation: refused, the typed ranks kept.
        bad = dict(order, **{"rank_%d" % apps[2]: "1"})
        r = self.post(city, "/recommend/batch/order", bad)
        self.assertStatus(r, 422)
        self.assertIn("每个名次只能用一次", r.text)
        self.assertEqual(r.page.find("input", name="rank_%d" % apps[2]).attrs["value"], "1")
        # A list that is not the batch's (another tab changed it): refused.
        stale = {"round": str(self.round_id), "rank_%d" % apps[0]: "1", "rank_%d" % apps[3]: "2",
                 "rank_%d" % apps[1]: "3"}
        r = self.post(city, "/recommend/batch/order", stale)
        self.assertStatus(r, 409)
        self.assertIn("推荐名单已有变化", r.text)
        self.assertEqual(self.batch_ids(self.batch(city)), [apps[1], apps[2], apps[0]])

        # The letter before submission is a draft with the ranked list.
        r = city.get("/recommend/letter?round=%d" % self.round_id)
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.page.find(id="letter-draft"))
        self.assertEqual([int(tr.attrs["data-id"]) for tr in r.page.find_all("tr")
                          if "data-id" in tr.attrs], [apps[1], apps[2], apps[0]])

        # Submitting: an undecided application blocks it.
        r = self.submit(city)
        self.assertStatus(r, 409)
        self.assertIn("尚有1份申报书未处理", r.page.find(id="action-error").text)
        self.assertRedirect(self.decline(city, apps[3]), "/recommend/app")
        # Over the quota: refused.
        r = self.submit(city)
        self.assertStatus(r, 409)
        self.assertIn("超过本市（地）推荐名额2份", r.page.find(id="action-error").text)
        self.assertEqual(self.batch_row(JIAMUSI), [["open", "0"]])
        self.assertEqual([self.status(a) for a in apps], ["recommended"] * 3 + ["not_recommended"])
        self.assertEqual(self.audits("recommend.batch.submit", batch_id), 0)
        # Within the quota: submitted, every recommended one to the province.
        self.assertRedirect(self.post(city, "/recommend/reconsider", {"id": str(apps[0])}),
                            "/recommend/app")
        self.assertRedirect(self.decline(city, apps[0]), "/recommend/app")
        r = self.submit(city)
        self.assertRedirect(r, "/recommend/batch?round=%d&done=submitted" % self.round_id)
        self.assertEqual([self.status(a) for a in apps],
                         ["not_recommended", "with_province", "with_province", "not_recommended"])
        self.assertEqual(self.batch_row(JIAMUSI), [["submitted", "1"]])
        self.assertEqual(self.audits("recommend.batch.submit", batch_id), 1)
        # The province is told, and each recommended enterprise (notify.h).
        self.assertEqual(self.notices("batch.submitted", "/recommend/province?round=%d"
                                      % self.round_id, "account_id = %d" % bgtest.province_account().id), 1)
        for a in apps[1:3]:
            self.assertEqual(self.notices("app.forwarded", "/apply/view?id=%d" % a), 1)
        r = self.batch(city)
        self.assertEqual(r.page.find(id="batch-summary").attrs["data-state"], "submitted")
        self.assertIsNone(r.page.find("form", id="form-order"))
        self.assertIsNone(r.page.find(id="letter-draft"))

        # Locked: nothing changes, each refusal explained.
        before = sql("SELECT id, status FROM application WHERE id IN (%s) ORDER BY id"
                     % ",".join(map(str, apps)))
        audits = int(sql_value("SELECT COUNT(*) FROM audit"))
        for act in (lambda: self.submit(city),
                    lambda: self.post(city, "/recommend/reconsider", {"id": str(apps[0])}),
                    lambda: self.post(city, "/recommend/reconsider", {"id": str(apps[1])}),
                    lambda: self.post(city, "/recommend/batch/order",
                                      {"round": str(self.round_id), "rank_%d" % apps[1]: "2",
                                       "rank_%d" % apps[2]: "1"})):
            r = act()
            self.assertStatus(r, 409)
            self.assertIn("已于", r.page.find(id="action-error").text)
            self.assertIn("提交省工信厅", r.page.find(id="action-error").text)
        self.assertEqual(sql("SELECT id, status FROM application WHERE id IN (%s) ORDER BY id"
                             % ",".join(map(str, apps))), before)
        self.assertEqual(int(sql_value("SELECT COUNT(*) FROM audit")), audits)

        # The letter is final now.
        r = city.get("/recommend/letter?round=%d" % self.round_id)
        self.assertIsNone(r.page.find(id="letter-draft"))
        self.assertIn("工业和信息化局（盖章）", r.text)
        self.assertIn("/static/recommend.css", r.text)

        # The province reopens it, with a reason.
        r = self.post(self.province, "/recommend/batch/reopen",
                      {"round": str(self.round_id), "city": JIAMUSI[0], "reason": ""})
        self.assertStatus(r, 422)
        self.assertIn("请填写重新开放理由", self.error_after(r, "reopen-reason") or "")
        self.assertEqual(self.batch_row(JIAMUSI), [["submitted", "1"]])
        r = self.post(self.province, "/recommend/batch/reopen",
                      {"round": str(self.round_id), "city": JIAMUSI[0], "reason": "市局申请调整排名"})
        self.assertRedirect(r, "/recommend/batch?round=%d&city=%s&done=reopened"
                            % (self.round_id, JIAMUSI[0]))
        self.assertEqual(self.batch_row(JIAMUSI), [["open", "0"]])
        self.assertEqual(self.notices("batch.reopened", "/recommend?round=%d" % self.round_id,
                                      "account_id = %d" % city.account.id), 1)
        self.assertEqual([self.status(a) for a in apps[1:3]], ["recommended"] * 2)
        self.assertEqual(self.audits("recommend.batch.reopen", batch_id), 1)
        self.assertEqual(sql("SELECT kind, reason FROM recommend_batch_event WHERE batch_id = %s"
                             " ORDER BY id" % batch_id),
                         [["submit", ""], ["reopen", "市局申请调整排名"]])
        # Open again: a second reopen has nothing to do; the city changes and resubmits.
        r = self.post(self.province, "/recommend/batch/reopen",
                      {"round": str(self.round_id), "city": JIAMUSI[0], "reason": "再次"})
        self.assertStatus(r, 409)
        self.assertIn("尚未提交", r.text)
        r = self.post(city, "/recommend/batch/order", {"round": str(self.round_id),
                                                        "rank_%d" % apps[1]: "2",
                                                        "rank_%d" % apps[2]: "1"})
        self.assertRedirect(r, "/recommend/batch")
        self.assertRedirect(self.submit(city), "/recommend/batch")
        self.assertEqual(self.audits("recommend.batch.submit", batch_id), 2)

    def test_two_tabs_submitting_at_once_have_one_effect(self):
        city = city_client(QITAIHE)
        apps = [submitted_app(self.round_id, QITAIHE)[1] for _ in range(2)]
        for a in apps:
            self.assertRedirect(self.recommend(city, a), "/recommend/app")
        token = city.csrf_from("/login/password")
        session = city.session_token()
        results = [None] * 4

        def run(i):
            c = Client()
            c.set_session_token(session)
            results[i] = c.post("/recommend/batch/submit", {"round": str(self.round_id)},
                                csrf=token)
        threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(sorted(r.status for r in results), [303, 409, 409, 409])
        for r in results:
            if r.status == 409:
                self.assertIn("提交省工信厅", r.page.find(id="action-error").text)
        batch_id = sql_value("SELECT id FROM recommend_batch WHERE round_id = %d AND city_code = %s"
                             % (self.round_id, q(QITAIHE[0])))
        self.assertEqual(self.audits("recommend.batch.submit", batch_id), 1)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM recommend_batch_event WHERE batch_id = %s"
                                   % batch_id), "1")
        self.assertEqual([self.status(a) for a in apps], ["with_province"] * 2)

    def test_exports_open_in_excel(self):
        xl = openpyxl()
        city = city_client(MUDANJIANG)
        tricky = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "含\"引号\"，和,逗号\n两行"]
        apps = []
        for opinion in tricky[:2]:
            app_id = submitted_app(self.round_id, MUDANJIANG)[1]
            self.assertRedirect(self.recommend(city, app_id, opinion=opinion), "/recommend/app")
            apps.append(app_id)
        # The opinion is free text: every tricky start goes through one app each.
        name = sql_value("SELECT c.name FROM city c WHERE c.code = %s" % q(MUDANJIANG[0]))
        r = city.get("/recommend/export?round=%d&format=xlsx" % self.round_id)
        self.assertStatus(r, 200)
        self.assertEqual(r.headers["Content-Type"],
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("attachment;", r.headers["Content-Disposition"])
        self.assertIn("filename*=UTF-8''", r.headers["Content-Disposition"])
        wb = xl.load_workbook(io.BytesIO(r.body))
        ws = wb.active
        self.assertEqual(ws.title, name + "推荐名单")
        self.assertEqual(ws.freeze_panes, "A2")
        header = [c.value for c in ws[1]]
        self.assertEqual(header[:4], ["推荐排名", "市（地）", "企业名称", "统一社会信用代码"])
        self.assertTrue(all(c.font.b for c in ws[1]))
        self.assertGreater(ws.column_dimensions["C"].width, 20)
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        self.assertEqual([row[0] for row in rows], [1, 2])
        self.assertEqual([row[header.index("申报书编号")] for row in rows], apps)
        # Text stays text in the workbook: a string cell, never a formula.
        self.assertEqual([row[header.index("推荐意见")] for row in rows], tricky[:2])
        for cell in ws["K"][1:]:
            self.assertEqual(cell.data_type, "s")
        self.assertEqual(rows[0][header.index("前一年度净利润（万元）")], 980)
        self.assertEqual(self.audits("recommend.export", object_type="recommend_batch",
                                     object_id=sql_value(
                                         "SELECT id FROM recommend_batch WHERE round_id = %d AND"
                                         " city_code = %s" % (self.round_id, q(MUDANJIANG[0])))), 1)

        r = city.get("/recommend/export?round=%d&format=csv" % self.round_id)
        self.assertStatus(r, 200)
        self.assertTrue(r.headers["Content-Type"].startswith("text/csv"))
        self.assertTrue(r.body.startswith(b"\xef\xbb\xbf"), r.body[:10])
        self.assertTrue(r.body.endswith(b"\r\n"))
        text = r.body[3:].decode("utf-8")
        self.assertNotIn("\n", text.replace("\r\n", ""))  # rows end in CRLF, no bare LF here
        table = list(csv.reader(io.StringIO(text, newline="")))
        self.assertEqual(table[0][:3], ["推荐排名", "市（地）", "企业名称"])
        opinions = [row[table[0].index("推荐意见")] for row in table[1:]]
        self.assertEqual(opinions, ["'=1+1", "'+SUM(A1)"])
        self.assertEqual(self.status(apps[0]), "recommended")
        self.assertStatus(city.get("/recommend/export?round=%d&format=pdf" % self.round_id), 400)

    def test_province_sees_every_city(self):
        a_city = city_client(HEIHE)
        b_city = city_client(SUIHUA)
        a = [submitted_app(self.round_id, HEIHE)[1] for _ in range(2)]
        b = submitted_app(self.round_id, SUIHUA)[1]
        for app_id in a:
            self.assertRedirect(self.recommend(a_city, app_id), "/recommend/app")
        self.assertRedirect(self.submit(a_city), "/recommend/batch")
        self.assertRedirect(self.recommend(b_city, b), "/recommend/app")
        r = self.province.get("/recommend/province?round=%d&per=100" % self.round_id)
        self.assertStatus(r, 200)
        states = {tr.attrs["data-city"]: tr.attrs["data-state"] for tr in r.page.find_all("tr")
                  if "data-city" in tr.attrs}
        self.assertEqual(len(states), 13)
        self.assertEqual(states[HEIHE[0]], "submitted")
        self.assertEqual(states[SUIHUA[0]], "in_progress")
        self.assertEqual(states["232700"], "not_started")
        used = {tr.attrs["data-city"]: tr for tr in r.page.find_all("tr") if "data-city" in tr.attrs}
        self.assertIn("2 / 2", used[HEIHE[0]].text)
        self.assertIn("1 / 2", used[SUIHUA[0]].text)
        listed = self.rows_of(r)
        for app_id in a + [b]:
            self.assertIn(app_id, listed)
        # Filter by city and by status, sort by city.
        r = self.province.get("/recommend/province?round=%d&city=%s" % (self.round_id, HEIHE[0]))
        self.assertEqual(sorted(self.rows_of(r)), sorted(a))
        r = self.province.get("/recommend/province?round=%d&status=recommended&per=100"
                              % self.round_id)
        self.assertIn(b, self.rows_of(r))
        self.assertNotIn(a[0], self.rows_of(r))
        # A city's batch, its letter and its export, read by the province.
        r = self.batch(self.province, HEIHE)
        self.assertStatus(r, 200)
        self.assertEqual(self.batch_ids(r), a)
        self.assertIsNotNone(r.page.find("form", id="form-reopen"))
        self.assertStatus(self.province.get("/recommend/letter?round=%d&city=%s"
                                            % (self.round_id, HEIHE[0])), 200)
        r = self.province.get("/recommend/export?round=%d&city=%s&format=csv"
                              % (self.round_id, HEIHE[0]))
        self.assertStatus(r, 200)
        # The province-wide export: what the list shows, unpaged.
        r = self.province.get("/recommend/province/export?round=%d&format=xlsx" % self.round_id)
        self.assertStatus(r, 200)
        ws = openpyxl().load_workbook(io.BytesIO(r.body)).active
        self.assertEqual(ws.title, "全省推荐名单")
        ids = [row[-1] for row in ws.iter_rows(min_row=2, values_only=True)]
        for app_id in a + [b]:
            self.assertIn(app_id, ids)
        r = self.province.get("/recommend/province/export?round=%d&city=%s&format=csv"
                              % (self.round_id, SUIHUA[0]))
        table = list(csv.reader(io.StringIO(r.body[3:].decode("utf-8"), newline="")))
        self.assertEqual([int(row[-1]) for row in table[1:]], [b])
        self.assertEqual(self.audits("recommend.export", object_type="round",
                                     object_id=self.round_id), 2)
        # A search on the province's list, and its export of what it shows.
        uscc = sql_value("SELECT e.uscc FROM application a JOIN enterprise e ON e.id = a.enterprise_id"
                         " WHERE a.id = %d" % b)
        r = self.province.get("/recommend/province?round=%d&q=%s" % (self.round_id, uscc.lower()))
        self.assertEqual(self.rows_of(r), [b])
        href = r.page.find("a", id="export-csv").attrs["href"]
        self.assertIn("q=" + uscc.lower(), href)
        r = self.province.get(href)
        table = list(csv.reader(io.StringIO(r.body[3:].decode("utf-8"), newline="")))
        self.assertEqual([int(row[-1]) for row in table[1:]], [b])
        # Without a city the province's batch page is its overview.
        self.assertRedirect(self.province.get("/recommend/batch?round=%d" % self.round_id),
                            "/recommend/province")
        self.assertRedirect(self.province.get("/recommend"), "/recommend/province")
        self.assertStatus(self.province.get("/recommend/batch?round=%d&city=999999"
                                            % self.round_id), 404)


class DeadlineTest(RecommendCase):
    """After the city's deadline nothing changes until the province extends it."""

    def test_late_submission_and_extension(self):
        round_id, _ = make_round(quota=2)
        city = city_client(YICHUN)
        province = bgtest.admin_client()
        _, a = submitted_app(round_id, YICHUN)
        _, b = submitted_app(round_id, YICHUN)
        self.assertRedirect(self.recommend(city, a), "/recommend/app")
        self.assertRedirect(self.decline(city, b), "/recommend/app")
        deadline_passed(round_id)
        r = self.post(city, "/recommend/batch/submit", {"round": str(round_id)})
        self.assertStatus(r, 409)
        self.assertIn("推荐截止时间", r.page.find(id="action-error").text)
        self.assertIn("已过", r.page.find(id="action-error").text)
        r = self.post(city, "/recommend/reconsider", {"id": str(b)})
        self.assertStatus(r, 409)
        self.assertEqual([self.status(a), self.status(b)], ["recommended", "not_recommended"])
        r = province.get("/recommend/province?round=%d" % round_id)
        row = [tr for tr in r.page.find_all("tr") if tr.attrs.get("data-city") == YICHUN[0]][0]
        self.assertEqual(row.attrs["data-state"], "late")
        # The city's home page says so.
        r = city.get("/home")
        self.assertStatus(r, 200)

        # Extending: a time in the future after the current deadline, with a reason.
        ext = {"round": str(round_id), "city": YICHUN[0], "reason": "因疫情延期",
               "deadline": shanghai("-1 HOUR").replace(" ", "T")}
        for over, field, message in (({}, "deadline", "须晚于现在"),
                                     ({"deadline": "2026-13-01T00:00"}, "deadline", "有效的日期"),
                                     ({"deadline": shanghai("3 DAY").replace(" ", "T"), "reason": ""},
                                      "reason", "请填写延期理由")):
            with self.subTest(field=field, over=over):
                r = self.post(province, "/recommend/batch/extend", dict(ext, **over))
                self.assertStatus(r, 422)
                self.assertIn(message, self.error_after(r, {"deadline": "deadline",
                                                            "reason": "extend-reason"}[field]) or "")
        batch_id = sql_value("SELECT id FROM recommend_batch WHERE round_id = %d AND city_code = %s"
                             % (round_id, q(YICHUN[0])))
        self.assertEqual(self.audits("recommend.batch.extend", batch_id), 0)
        new = shanghai("3 DAY")
        r = self.post(province, "/recommend/batch/extend",
                      dict(ext, deadline=new.replace(" ", "T")))
        self.assertRedirect(r, "/recommend/batch?round=%d&city=%s&done=extended"
                            % (round_id, YICHUN[0]))
        self.assertEqual(self.audits("recommend.batch.extend", batch_id), 1)
        r = city.get("/recommend/batch?round=%d" % round_id)
        self.assertIn(bgtest.zh_date(new), r.page.find(id="batch-deadline").text)
        self.assertIn("已延期", r.page.find(id="batch-deadline").text)
        # Another city's deadline did not move.
        other = province.get("/recommend/batch?round=%d&city=%s" % (round_id, HARBIN[0]))
        self.assertNotIn("已延期", other.page.find(id="batch-deadline").text)
        r = self.post(city, "/recommend/batch/submit", {"round": str(round_id)})
        self.assertRedirect(r, "/recommend/batch")
        self.assertEqual(self.status(a), "with_province")

    def test_return_needs_an_open_window(self):
        round_id, _ = make_round(quota=2)
        city = city_client(SHUANGYASHAN)
        _, app_id = submitted_app(round_id, SHUANGYASHAN)
        window_closed(round_id)
        r = city.get("/recommend/app?id=%d" % app_id)
        self.assertIsNone(r.page.find("textarea", id="return-reason"))
        r = self.return_(city, app_id)
        self.assertStatus(r, 409)
        self.assertIn("企业无法再修改和提交", r.page.find(id="action-error").text)
        self.assertEqual(self.status(app_id), "submitted")
        self.assertEqual(self.audits("recommend.return", app_id), 0)
        # Declining and recommending still work until the city's deadline.
        self.assertRedirect(self.recommend(city, app_id), "/recommend/app")


class CreditTest(RecommendCase):
    """Credit checks of recommended enterprises, by the city or the province."""

    def test_record_checks(self):
        round_id, _ = make_round(quota=3)
        city = city_client(HARBIN)
        province = bgtest.admin_client()
        _, app_id = submitted_app(round_id, HARBIN)
        today = sql_value("SELECT CURDATE()")
        check = {"id": str(app_id), "kind": "dishonest_debtor", "result": "clear",
                 "checked_on": today, "note": ""}
        r = self.post(city, "/recommend/credit", check)
        self.assertStatus(r, 409)
        self.assertIn("只能为已推荐的申报书记录信用核查", r.page.find(id="action-error").text)
        self.assertRedirect(self.recommend(city, app_id), "/recommend/app")
        for over, field, message in (({"kind": "other"}, "kind", "选项无效"),
                                     ({"result": "maybe"}, "result", "选项无效"),
                                     ({"checked_on": "2026-02-30"}, "checked_on", "有效日期"),
                                     ({"checked_on": sql_value("SELECT CURDATE() + INTERVAL 1 DAY")},
                                      "checked_on", "不能晚于今天")):
            with self.subTest(field=field):
                r = self.post(city, "/recommend/credit", dict(check, **over))
                self.assertStatus(r, 422)
                self.assertIn(message, r.page.error_for(field) or "")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM credit_check WHERE application_id = %d"
                                   % app_id), "0")
        r = self.post(city, "/recommend/credit", check)
        self.assertRedirect(r, "/recommend/app?id=%d&done=credit" % app_id)
        r = city.get("/recommend/app?id=%d" % app_id)
        self.assertEqual(r.page.find(id="credit-verdict").attrs["data-ok"], "0")  # one missing
        self.assertIn("严重违法失信名单", r.page.find(id="credit-verdict").text)
        r = self.post(province, "/recommend/credit",
                      dict(check, kind="serious_violation", result="listed", note="列入名单"))
        self.assertRedirect(r, "/recommend/app")
        self.assertIn("已列入名单", province.get("/recommend/app?id=%d" % app_id)
                      .page.find(id="credit-verdict").text)
        r = self.post(province, "/recommend/credit", dict(check, kind="serious_violation"))
        self.assertRedirect(r, "/recommend/app")
        r = province.get("/recommend/app?id=%d" % app_id)
        self.assertEqual(r.page.find(id="credit-verdict").attrs["data-ok"], "1")
        self.assertEqual(sql("SELECT kind, result, recorded_role FROM credit_check WHERE"
                             " application_id = %d ORDER BY id" % app_id),
                         [["dishonest_debtor", "clear", "city"],
                          ["serious_violation", "listed", "province"],
                          ["serious_violation", "clear", "province"]])
        self.assertEqual(self.audits("credit.record", app_id), 3)
        # An old check no longer counts.
        old = sql_value("SELECT CURDATE() - INTERVAL 31 DAY")
        _, other = submitted_app(round_id, HARBIN)
        self.assertRedirect(self.recommend(city, other), "/recommend/app")
        for kind in ("dishonest_debtor", "serious_violation"):
            self.assertRedirect(self.post(city, "/recommend/credit",
                                          dict(check, id=str(other), kind=kind, checked_on=old)),
                                "/recommend/app")
        r = city.get("/recommend/app?id=%d" % other)
        self.assertIn("核查已过期", r.page.find(id="credit-verdict").text)


class AccessTest(RecommendCase):
    """Who may use which page, and what another city's user gets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, _ = make_round(quota=2)
        cls.owner = city_client(DAQING)
        cls.other_account = bgtest.create_account("city", city=HARBIN[0])
        cls.other = bgtest.logged_in(cls.other_account)
        cls.ent, cls.app_id = submitted_app(cls.round_id, DAQING)

    def test_enterprise_and_expert_are_refused_everywhere(self):
        expert = bgtest.logged_in(bgtest.create_account("expert"))
        for who, client in (("enterprise", self.ent.client), ("expert", expert)):
            token = client.csrf_from("/login/password")
            for path in ROUTES_GET:
                with self.subTest(who=who, path=path):
                    self.assertStatus(client.get(path), 403)
            for path in ROUTES_POST:
                with self.subTest(who=who, path=path):
                    r = client.post(path, {"id": str(self.app_id), "round": str(self.round_id),
                                           "reason": "x", "opinion": "x"}, csrf=token)
                    self.assertStatus(r, 403)
        self.assertEqual(self.status(self.app_id), "submitted")

    def test_city_and_province_pages_are_their_own(self):
        province = bgtest.admin_client()
        token = province.csrf_from("/login/password")
        for path in ("/recommend/return", "/recommend/decline", "/recommend/recommend",
                     "/recommend/reconsider", "/recommend/batch/order", "/recommend/batch/submit"):
            with self.subTest(path=path):
                r = province.post(path, {"id": str(self.app_id), "round": str(self.round_id),
                                         "reason": "x", "opinion": "x"}, csrf=token)
                self.assertStatus(r, 403)
        token = self.owner.csrf_from("/login/password")
        for path in ("/recommend/province", "/recommend/province/export?round=%d" % self.round_id):
            self.assertStatus(self.owner.get(path), 403)
        for path in ("/recommend/batch/reopen", "/recommend/batch/extend"):
            r = self.owner.post(path, {"round": str(self.round_id), "city": DAQING[0],
                                       "reason": "x"}, csrf=token)
            self.assertStatus(r, 403)
        # No session: the login page; no CSRF token: refused.
        self.assertLoginRedirect(Client().get("/recommend"), "/recommend")
        r = self.owner.post("/recommend/recommend", {"id": str(self.app_id), "opinion": "x"})
        self.assertStatus(r, 403)
        self.assertEqual(self.status(self.app_id), "submitted")

    def test_another_city_gets_404_and_an_audit_record(self):
        login = self.other_account.login
        before = self.refused(login)
        # (The same 404 and record for an id that exists and one that does not.)
        token = self.other.csrf_from("/login/password")
        cases = [
            lambda: self.other.get("/recommend/app?id=%d" % self.app_id),
            lambda: self.other.get("/recommend/app?id=999999999"),
            lambda: self.other.get("/recommend/batch?round=%d&city=%s" % (self.round_id, DAQING[0])),
            lambda: self.other.get("/recommend/letter?round=%d&city=%s" % (self.round_id, DAQING[0])),
            lambda: self.other.get("/recommend/export?round=%d&city=%s&format=xlsx"
                                   % (self.round_id, DAQING[0])),
            lambda: self.other.get("/recommend?round=%d&city=%s" % (self.round_id, DAQING[0])),
        ]
        for path in ("/recommend/return", "/recommend/decline", "/recommend/recommend",
                     "/recommend/reconsider", "/recommend/credit"):
            cases.append(lambda path=path: self.other.post(
                path, {"id": str(self.app_id), "reason": "x", "opinion": "x",
                       "kind": "dishonest_debtor", "result": "clear",
                       "checked_on": sql_value("SELECT CURDATE()")}, csrf=token))
        for i, act in enumerate(cases):
            with self.subTest(case=i):
                r = act()
                self.assertStatus(r, 404)
                self.assertIn("无权查看", r.text)
        self.assertEqual(self.refused(login), before + len(cases))
        self.assertEqual(self.status(self.app_id), "submitted")
        self.assertEqual(self.decision(self.app_id), [])
        self.assertEqual(sql_value("SELECT COUNT(*) FROM application_return WHERE"
                                   " application_id = %d" % self.app_id), "0")
        # Its own city's bureau sees it.
        self.assertStatus(self.owner.get("/recommend/app?id=%d" % self.app_id), 200)
        # The older city list keeps working.
        uscc = sql_value("SELECT e.uscc FROM application a JOIN enterprise e"
                         " ON e.id = a.enterprise_id WHERE a.id = %d" % self.app_id)
        r = self.owner.get("/apply/city?q=" + uscc)
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.page.find("tr", **{"data-id": str(self.app_id)}))

    def test_home_pages(self):
        r = self.owner.get("/home")
        self.assertStatus(r, 200)
        batch = r.page.find(id="home-batch")
        # The current round may be another test's: the batch line is there.
        self.assertIsNotNone(batch)
        self.assertIn("推荐截止", batch.text)
        # How far off, in working days; or why that cannot be counted yet.
        deadline = re.search(r"推荐截止 (\d{4})年\d{1,2}月\d{1,2}日 \d\d:\d\d", batch.text)
        self.assertIsNotNone(deadline, batch.text)
        loaded = sql_value("SELECT COUNT(*) FROM calendar_year WHERE year = %s AND complete = 1"
                           % deadline.group(1)) == "1"
        counted = r"（(还剩\d+个工作日|今天截止|已截止|截止前无工作日)）"
        waiting = r"（工作日待%s年节假日安排载入后计算）" % deadline.group(1)
        self.assertRegex(batch.text, counted if loaded else "%s|%s" % (counted, waiting))


if __name__ == "__main__":
    unittest.main()
