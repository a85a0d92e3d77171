"""Review sessions and the supervised, verifiable expert draw (issue 11):
the program `draw` and `biaogan-admin lottery`.

The applications come the way they do in production: enterprises register
and submit, their city bureau recommends them and submits its batch.  The
expert pool of each test class is made in the database (the pool's own pages
are tested in test_experts.py); while a class runs, every other expert of the
shared test database is suspended, so the candidates are exactly the class's
own, and put back as they were afterwards.
"""
import json
import os
import subprocess
import threading
import unittest
import urllib.parse

import bgtest
from bgtest import HARBIN, q, sql, sql_value
from test_apply import add_uploads, complete_application, new_uscc, register
from test_recommend import app_id_of, city_client, make_round

SRC = bgtest.SRC_DIR
MIGRATION = os.path.join(SRC, "sql", "018_draw.sql")


def province_apps(round_id, n, names=None):
    """n applications of Harbin enterprises, recommended and sent to the
    province (with_province); [(enterprise, app_id)]."""
    city = city_client(HARBIN)
    out = []
    for i in range(n):
        over = {"uscc": new_uscc(division=HARBIN[0])}
        if names and i < len(names):
            over["name"] = names[i]
        ent = register(city_code=HARBIN[0], **over)
        c = ent.client
        c.get("/apply")
        r = c.post("/apply/start", {"round": str(round_id)}, csrf=True)
        if r.status != 303:
            raise AssertionError("start: HTTP %d" % r.status)
        app_id = app_id_of(r.location)
        token = c.csrf_from("/apply")
        r = c.post("/apply/edit", dict(complete_application(), id=str(app_id), action="save"),
                   csrf=token)
        if r.status != 303:
            raise AssertionError("save: HTTP %d %s" % (r.status, r.field_errors()))
        add_uploads(ent, app_id)
        r = c.post("/apply/submit", {"id": str(app_id)}, csrf=token)
        if r.status != 303:
            raise AssertionError("submit: HTTP %d" % r.status)
        r = city.post("/recommend/recommend", {"id": str(app_id), "opinion": "推荐。", "rank": ""},
                      csrf=city.csrf_from("/login/password"))
        if r.status != 303:
            raise AssertionError("recommend: HTTP %d" % r.status)
        out.append((ent, app_id))
    r = city.post("/recommend/batch/submit", {"round": str(round_id)},
                  csrf=city.csrf_from("/login/password"))
    if r.status != 303:
        raise AssertionError("batch submit: HTTP %d %s" % (r.status, r.error_summary()))
    return out


def add_expert(name, org, uscc=None, status="active", until=None, account=None):
    """An expert row as the pool's pages would store it; its id."""
    key = ("C:" + uscc.upper()) if uscc else "N:" + "".join(
        ch for ch in org if not ch.isspace()).upper()
    mobile = "139%08d" % bgtest.RNG.randrange(10 ** 8)
    sql("INSERT INTO expert (account_id, name, org_name, org_uscc, org_key, org_type, title,"
        " title_level, years, specialties, source, mobile, email, declared_integrity,"
        " declared_health, status, suspended_until, status_reason) VALUES (%s, %s, %s, %s, %s,"
        " 'university', '教授', 'senior', 10, '质量管理', 'solicited', %s, 'e@example.cn', 1, 1,"
        " %s, %s, %s)" % (
            account if account else "NULL", q(name), q(org), q(uscc) if uscc else "NULL",
            q(key), q(mobile), q(status), q(until) if until else "NULL",
            "'测试'" if status != "active" else "NULL"))
    return int(sql_value("SELECT MAX(id) FROM expert WHERE name = %s" % q(name)))


def replay(record_json):
    """tests/tools/lottery_ref.py (written from docs/lottery.md alone) on an
    exported record: its exit status and output."""
    p = subprocess.run(["python3", os.path.join(SRC, "tests", "tools", "lottery_ref.py"), "-"],
                       input=record_json, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout + p.stderr


def admin_tool(*args):
    conf = os.environ.get("BIAOGAN_CONF")
    cmd = [os.environ["BIAOGAN_ADMIN"]] + (["--config", conf] if conf else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


class PoolCase(bgtest.TestCase):
    """A class with its own pool: every other expert suspended meanwhile."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.saved = sql("SELECT id, status, suspended_until, status_reason FROM expert")
        sql("UPDATE expert SET status = 'suspended', suspended_until = '2099-12-31',"
            " status_reason = 'test_draw: 暂时停用' WHERE status <> 'removed'")
        cls.province = bgtest.admin_client()
        cls.supervisor = bgtest.create_account("supervisor", tag="sup")

    @classmethod
    def tearDownClass(cls):
        # One statement per kind of saved state (most experts share one),
        # not one per expert: the pool grows with every run on a kept stack.
        groups = {}
        for eid, status, until, reason in cls.saved:
            groups.setdefault((status, until, reason), []).append(eid)
        for (status, until, reason), ids in groups.items():
            for i in range(0, len(ids), 1000):
                sql("UPDATE expert SET status = %s, suspended_until = %s, status_reason = %s"
                    " WHERE id IN (%s)" % (q(status), q(until) if until else "NULL",
                                           q(reason) if reason else "NULL",
                                           ",".join(ids[i:i + 1000])))
        super().tearDownClass()

    def post(self, path, fields, client=None):
        c = client or self.province
        return c.post(path, fields, csrf=c.csrf_from("/login/password"))

    def confirm(self, **over):
        f = {"supervisor_login": self.supervisor.login,
             "supervisor_password": self.supervisor.password}
        f.update(over)
        return f

    def new_session(self, round_id, apps, size=5, rotation=0, title="测试评审会"):
        fields = [("round", str(round_id)), ("title", title),
                  ("review_date", sql_value("SELECT DATE_FORMAT(CURDATE() + INTERVAL 7 DAY,"
                                            " '%Y-%m-%d')")),
                  ("place", "哈尔滨市南岗区测试会议室"), ("panel_size", str(size)),
                  ("rotation_k", str(rotation))] + [("app", str(a)) for a in apps]
        c = self.province
        r = c.post("/draw/new", fields, csrf=c.csrf_from("/login/password"))
        self.assertStatus(r, 303, r.error_summary())
        return app_id_of(r.location)

    def session_state(self, sid):
        return sql_value("SELECT state FROM review_session WHERE id = %d" % sid)

    def panel(self, sid):
        """The final panel's expert ids (every pick less the replaced)."""
        return [int(r[0]) for r in sql(
            "SELECT p.expert_id FROM draw_pick p WHERE p.session_id = %d AND NOT EXISTS ("
            " SELECT 1 FROM draw_event d WHERE d.session_id = p.session_id"
            " AND d.replaces = p.expert_id) ORDER BY p.number, p.pick_order" % sid)]

    def orgs_of(self, ids):
        return [sql_value("SELECT org_key FROM draw_candidate WHERE expert_id = %d LIMIT 1" % i)
                for i in ids]

    def listed(self, path, query):
        r = self.province.get(path + "?" + urllib.parse.urlencode({"q": query}))
        self.assertStatus(r, 200)
        return r, [int(tr.attrs["data-id"]) for tr in r.page.find_all("tr") if "data-id" in tr.attrs]

    def check_session_search(self, path, sid, app):
        """A list of sessions (path) finds session sid by its title, or by the
        name, credit code (any case) or title of its application app; % and _
        are literal; a search too long is explained at its field."""
        title = sql_value("SELECT title FROM review_session WHERE id = %d" % sid)
        self.assertIn(sid, self.listed(path, title)[1])
        name, uscc, app_title = sql("SELECT e.name, e.uscc, a.title FROM application a JOIN enterprise e"
                                    " ON e.id = a.enterprise_id WHERE a.id = %d" % app)[0]
        for query in (name[1:7], uscc.lower(), app_title):
            with self.subTest(path=path, query=query):
                r, ids = self.listed(path, query)
                self.assertIn(sid, ids)
                self.assertEqual(r.page.find("input", id="f-q").attrs.get("value"), query)
        r, ids = self.listed(path, "没有这样的评审会%_")
        self.assertEqual(ids, [])
        self.assertIn("没有符合", r.text)
        r = self.province.get(path + "?q=" + urllib.parse.quote("长" * 65))
        self.assertStatus(r, 422)
        self.assertTrue(r.page.error_for("q"))


class DrawFlowTest(PoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = make_round(quota=3)
        name_b = "黑龙江回避测试%s装备有限公司" % bgtest.unique_login("n")[-5:]
        cls.apps = province_apps(cls.round_id, 3, names=[None, name_b])
        (a, cls.app_a), (b, cls.app_b), (c, cls.app_c) = cls.apps
        E = {}
        for i in range(3):
            E["hit%d" % i] = add_expert("工大%d" % i, "哈尔滨工业大学测试%s" % cls.year)
        for i in range(2):
            E["forest%d" % i] = add_expert("林大%d" % i, "东北林业大学测试%s" % cls.year)
        for i in range(4):
            E["single%d" % i] = add_expert("单位专家%d" % i, "测试单位%d-%s" % (i, cls.year))
        # Recusal: the organisation is applicant A (by code), B (by name).
        E["at_a"] = add_expert("本企业专家", "别名", uscc=a.uscc.lower())
        E["at_b"] = add_expert("同名单位专家", "\u3000" + name_b.replace("有限", "有限 ") + " ")
        # Recusal: a declared relation with C.
        E["related"] = add_expert("咨询顾问", "测试咨询公司%s" % cls.year)
        sql("INSERT INTO expert_relation (expert_id, uscc, enterprise_name, kind) VALUES"
            " (%d, %s, '', 'consultancy')" % (E["related"], q(c.uscc)))
        # Status: suspended until tomorrow (out), until yesterday (in), removed (out).
        E["susp_future"] = add_expert("暂停专家", "暂停单位%s" % cls.year, status="suspended",
                                      until=sql_value("SELECT CURDATE() + INTERVAL 1 DAY"))
        E["susp_past"] = add_expert("恢复专家", "恢复单位%s" % cls.year, status="suspended",
                                    until=sql_value("SELECT CURDATE() - INTERVAL 1 DAY"))
        E["removed"] = add_expert("移出专家", "移出单位%s" % cls.year, status="removed")
        cls.E = E

    def test_flow(self):
        E = self.E
        sid = self.new_session(self.round_id, [self.app_a, self.app_b, self.app_c])
        self.assertEqual(self.session_state(sid), "preparing")
        r = self.province.get("/draw/session?id=%d" % sid)
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.page.find("form", action="/draw/commit"))

        # Commit with a public source.
        r = self.post("/draw/commit", {"id": str(sid), "public_source": "抽取当日福彩3D开奖号码"})
        self.assertRedirect(r, "/draw/session?id=%d&done=committed" % sid)
        self.assertEqual(self.session_state(sid), "committed")
        cands = [int(x[0]) for x in sql("SELECT expert_id FROM draw_candidate WHERE session_id = %d"
                                        " ORDER BY position" % sid)]
        want = sorted([E[k] for k in E if k.startswith(("hit", "forest", "single"))]
                      + [E["susp_past"]])
        self.assertEqual(cands, want)
        excluded = dict((int(x[0]), x[1]) for x in sql(
            "SELECT expert_id, reason FROM draw_exclusion WHERE session_id = %d" % sid))
        self.assertEqual(excluded, {E["at_a"]: "recusal_org", E["at_b"]: "recusal_org",
                                    E["related"]: "recusal_relation"})
        for app in (self.app_a, self.app_b, self.app_c):
            self.assertEqual(sql_value("SELECT status FROM application WHERE id = %d" % app),
                             "in_review")
        commitment, digest = sql("SELECT commitment, candidate_digest FROM draw_commitment"
                                 " WHERE session_id = %d" % sid)[0]
        r = self.province.get("/draw/session?id=%d" % sid)
        self.assertEqual(r.page.find(id="commitment-value").text, commitment)
        self.assertEqual(r.page.find(id="digest-value").text, digest)
        self.assertIsNone(r.page.find(id="seed-value"))  # secret until the reveal
        self.assertEqual(self.audits("draw.commit", sid), 1)

        # The draw needs the supervisor's own password and the public value.
        r = self.post("/draw/panel", {"id": str(sid), "public_value": "4 7 1",
                                      "supervisor_login": self.supervisor.login,
                                      "supervisor_password": "wrong-password-1"})
        self.assertStatus(r, 422)
        self.assertIn("监督人", r.page.error_for("supervisor_password"))
        self.assertEqual(self.session_state(sid), "committed")
        self.assertEqual(int(sql_value(
            "SELECT COUNT(*) FROM audit WHERE action = 'confirm.fail' AND login = %s"
            % q(self.supervisor.login))), 1)
        admin = bgtest.province_account()  # the right password of another role
        r = self.post("/draw/panel", {"id": str(sid), "public_value": "4 7 1",
                                      "supervisor_login": admin.login,
                                      "supervisor_password": admin.password})
        self.assertStatus(r, 422)
        r = self.post("/draw/panel", self.confirm(id=str(sid)))
        self.assertStatus(r, 422)
        self.assertIn("公开随机值", r.page.error_for("public_value"))
        self.assertEqual(self.session_state(sid), "committed")
        r = self.post("/draw/panel", self.confirm(id=str(sid), public_value="4 7 1"))
        self.assertRedirect(r, "/draw/session?id=%d&done=drawn" % sid)
        panel = self.panel(sid)
        self.assertEqual(len(panel), 5)
        self.assertEqual(len(set(panel)), 5)
        self.assertTrue(set(panel) <= set(want))
        orgs = self.orgs_of(panel)
        self.assertLessEqual(max(orgs.count(o) for o in orgs), 2)
        row = sql("SELECT operator_id, supervisor_id FROM draw_event WHERE session_id = %d" % sid)
        self.assertEqual(int(row[0][1]), int(sql_value(
            "SELECT id FROM account WHERE login = %s" % q(self.supervisor.login))))
        # A second draw of the same session is refused.
        r = self.post("/draw/panel", self.confirm(id=str(sid), public_value="4 7 1"))
        self.assertStatus(r, 409)
        self.assertEqual(int(sql_value("SELECT COUNT(*) FROM draw_event WHERE session_id = %d"
                                       % sid)), 1)

        # A replacement: reason required, not a member refused, then drawn.
        gone = panel[1]
        r = self.post("/draw/replace", self.confirm(id=str(sid), expert=str(gone),
                                                    reason_kind="cannot_attend", reason=""))
        self.assertStatus(r, 422)
        outsider = [e for e in want if e not in panel][0]
        r = self.post("/draw/replace", self.confirm(id=str(sid), expert=str(outsider),
                                                    reason_kind="cannot_attend", reason="出差"))
        self.assertStatus(r, 422)
        self.assertIn("不在当前评审组", r.page.error_for("expert"))
        r = self.post("/draw/replace", self.confirm(id=str(sid), expert=str(gone),
                                                    reason_kind="cannot_attend",
                                                    reason="评审当日出差，不能参加"))
        self.assertRedirect(r, "/draw/session?id=%d&done=replaced" % sid)
        after = self.panel(sid)
        self.assertEqual(len(after), 5)
        self.assertNotIn(gone, after)
        new = [e for e in after if e not in panel]
        self.assertEqual(len(new), 1)
        orgs = self.orgs_of(after)
        self.assertLessEqual(max(orgs.count(o) for o in orgs), 2)
        page = self.province.get("/draw/session?id=%d" % sid)
        self.assertIn("评审当日出差", page.page.find(id="replaced").text)

        # The supervisor reads the session and the record, changes nothing.
        sup = bgtest.logged_in(self.supervisor)
        self.assertStatus(sup.get("/draw/session?id=%d" % sid), 200)
        self.assertStatus(sup.get("/draw/record?id=%d" % sid), 200)
        r = sup.post("/draw/reveal", self.confirm(id=str(sid)), csrf=sup.csrf_from("/login/password"))
        self.assertStatus(r, 403)

        # The reveal, then the verification by the CLI and the page.
        r = self.post("/draw/reveal", self.confirm(id=str(sid)))
        self.assertRedirect(r, "/draw/session?id=%d&done=revealed" % sid)
        self.assertEqual(self.session_state(sid), "revealed")
        page = self.province.get("/draw/session?id=%d" % sid)
        seed = page.page.find(id="seed-value").text
        self.assertEqual(len(seed), 64)
        self.assertEqual(page.page.find(id="verify-result").attrs["data-ok"], "1")
        import hashlib
        self.assertEqual(hashlib.sha256(bytes.fromhex(seed)).hexdigest(), commitment)
        p = admin_tool("lottery", "verify", str(sid))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("全部一致", p.stdout)
        p = admin_tool("lottery", "export", str(sid))
        self.assertEqual(p.returncode, 0, p.stderr)
        rec = json.loads(p.stdout)
        self.assertEqual(rec["format"], "biaogan-lottery-v1")
        self.assertEqual(rec["seed"], seed)
        self.assertEqual(rec["commitment"], commitment)
        self.assertEqual(rec["public_value"], "4 7 1")
        self.assertEqual(rec["panel"], after)
        self.assertEqual([d["kind"] for d in rec["draws"]], ["panel", "replacement"])
        self.assertEqual(rec["draws"][1]["replaces"], gone)
        self.assertEqual([c["expert_id"] for c in rec["candidates"]], want)
        self.assertNotIn("members", rec)
        # Someone with only docs/lottery.md recomputes the same panel.
        code, out = replay(p.stdout)
        self.assertEqual(code, 0, out)
        # The web export is the same record, audited.
        r = self.province.get("/draw/export?id=%d" % sid)
        self.assertStatus(r, 200)
        self.assertEqual(json.loads(r.body.decode("utf-8")), rec)
        self.assertEqual(self.audits("draw.export", sid), 1)
        # After the reveal nothing more is drawn.
        r = self.post("/draw/replace", self.confirm(id=str(sid), expert=str(after[0]),
                                                    reason_kind="conflict", reason="回避"))
        self.assertStatus(r, 409)
        # Rating a member.
        r = self.post("/draw/rate", {"id": str(sid), "expert": str(after[0]), "rating": "4",
                                     "comment": "认真负责"})
        self.assertRedirect(r, "/draw/session?id=%d&done=rated" % sid)
        self.assertEqual(sql("SELECT rating, comment FROM draw_rating WHERE session_id = %d"
                             % sid), [["4", "认真负责"]])
        for action in ("draw.session.create", "draw.panel", "draw.replace", "draw.reveal",
                       "draw.rate"):
            self.assertEqual(self.audits(action, sid), 1, action)

        # The record is append-only; an alteration that gets past that
        # (a dropped trigger) is found by verify.
        with self.assertRaises(AssertionError):
            sql("UPDATE draw_pick SET expert_id = expert_id WHERE session_id = %d" % sid)
        first = sql("SELECT number, pick_order, expert_id FROM draw_pick WHERE session_id = %d"
                    " ORDER BY number, pick_order LIMIT 1" % sid)[0]
        spare = [e for e in want if e not in [int(x[0]) for x in sql(
            "SELECT expert_id FROM draw_pick WHERE session_id = %d" % sid)]][0]
        sql("DROP TRIGGER draw_pick_no_update")
        try:
            sql("UPDATE draw_pick SET expert_id = %d WHERE session_id = %d AND number = %s AND"
                " pick_order = %s" % (spare, sid, first[0], first[1]))
            p = admin_tool("lottery", "verify", str(sid))
            self.assertEqual(p.returncode, 5, p.stdout)
            self.assertIn("不一致", p.stdout)
            code, out = replay(admin_tool("lottery", "export", str(sid)).stdout)
            self.assertEqual(code, 1, out)
            page = self.province.get("/draw/session?id=%d" % sid)
            self.assertEqual(page.page.find(id="verify-result").attrs["data-ok"], "0")
            sql("UPDATE draw_pick SET expert_id = %s WHERE session_id = %d AND number = %s AND"
                " pick_order = %s" % (first[2], sid, first[0], first[1]))
        finally:
            sql("CREATE TRIGGER IF NOT EXISTS draw_pick_no_update BEFORE UPDATE ON draw_pick"
                " FOR EACH ROW SIGNAL SQLSTATE '45000'"
                " SET MESSAGE_TEXT = 'draw records are append-only'")
        self.assertEqual(admin_tool("lottery", "verify", str(sid)).returncode, 0)

    def audits(self, action, sid):
        return int(sql_value("SELECT COUNT(*) FROM audit WHERE action = %s AND object_type ="
                             " 'review_session' AND object_id = %s" % (q(action), q(str(sid)))))


class RulesTest(PoolCase):
    """Sizes, shortfalls, exhaustion, rotation, concurrency, confidentiality."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = make_round(quota=5)
        cls.apps = [a for _, a in province_apps(cls.round_id, 5)]
        # 7 candidates in 5 organisations: at most 2 of the 3 of org X, so
        # capacity 6.
        cls.pool = [add_expert("甲%d" % i, "组织X%s" % cls.year) for i in range(3)]
        cls.pool += [add_expert("乙%d" % i, "组织Y%s" % cls.year) for i in range(1)]
        cls.pool += [add_expert("丙%d" % i, "组织Z%d-%s" % (i, cls.year)) for i in range(3)]

    def form(self, **over):
        f = {"round": str(self.round_id), "title": "规则测试", "place": "测试地点",
             "review_date": sql_value("SELECT DATE_FORMAT(CURDATE() + INTERVAL 3 DAY, '%Y-%m-%d')"),
             "panel_size": "5", "rotation_k": "0", "app": str(self.apps[0])}
        f.update(over)
        return f

    def test_session_form_refusals(self):
        before = int(sql_value("SELECT COUNT(*) FROM review_session"))
        for over, field, text in (
                ({"panel_size": "4"}, "panel_size", "单数"),
                ({"panel_size": "1"}, "panel_size", "3到25"),
                ({"panel_size": "27"}, "panel_size", "3到25"),
                ({"title": ""}, "title", None),
                ({"review_date": "2020-01-01"}, "review_date", "早于今天"),
                ({"review_date": "2026-02-30"}, "review_date", None)):
            r = self.post("/draw/new", self.form(**over))
            self.assertStatus(r, 422, over)
            self.assertTrue(r.page.error_for(field), (over, r.field_errors()))
            if text:
                self.assertIn(text, r.page.error_for(field))
            # The input is kept.
            self.assertEqual(r.page.find("input", name="place").attrs["value"], "测试地点")
        r = self.post("/draw/new", self.form(app=""))
        self.assertStatus(r, 422)
        self.assertIn("至少选择一份", r.error_summary())
        self.assertEqual(int(sql_value("SELECT COUNT(*) FROM review_session")), before)

    def test_too_few_candidates_and_exhaustion(self):
        sid = self.new_session(self.round_id, [self.apps[1]], size=7)
        r = self.post("/draw/commit", {"id": str(sid), "public_source": ""})
        self.assertStatus(r, 409)
        text = r.page.find(id="action-error").text
        self.assertIn("需要7名", text)
        self.assertIn("可抽的候选专家7名", text)
        self.assertIn("最多只能抽出6名", text)
        self.assertEqual(self.session_state(sid), "preparing")
        self.assertEqual(sql_value("SELECT status FROM application WHERE id = %d" % self.apps[1]),
                         "with_province")
        # Edit to 5, then draw and replace until nobody is left.
        r = self.post("/draw/edit", self.form(id=str(sid), panel_size="5", app=str(self.apps[1])))
        self.assertRedirect(r, "/draw/session?id=%d&done=updated" % sid)
        self.assertRedirect(self.post("/draw/commit", {"id": str(sid)}),
                            "/draw/session?id=%d&done=committed" % sid)
        # No source announced (the page asks for no value): a value sent
        # anyway is refused, and the summary says why, not "enter one".
        r = self.post("/draw/panel", self.confirm(id=str(sid), public_value="4 7 1"))
        self.assertStatus(r, 422)
        self.assertIsNone(r.page.find("input", name="public_value"))
        self.assertIn("未公布公开随机值的来源", r.error_summary())
        self.assertEqual(self.session_state(sid), "committed")
        self.assertRedirect(self.post("/draw/panel", self.confirm(id=str(sid))),
                            "/draw/session?id=%d&done=drawn" % sid)
        # 7 candidates: after the panel of 5, two replacements at most, and
        # fewer if the cap of org X bites.
        replaced = 0
        while True:
            member = self.panel(sid)[0]
            r = self.post("/draw/replace", self.confirm(id=str(sid), expert=str(member),
                                                        reason_kind="conflict", reason="需回避"))
            if r.status == 409:
                break
            self.assertStatus(r, 303)
            replaced += 1
            self.assertLessEqual(replaced, 2)
            orgs = self.orgs_of(self.panel(sid))
            self.assertLessEqual(max(orgs.count(o) for o in orgs), 2)
        self.assertIn("候选专家不足", r.page.find(id="action-error").text)
        self.assertEqual(len(self.panel(sid)), 5)
        self.assertEqual(int(sql_value("SELECT COUNT(*) FROM draw_event WHERE session_id = %d"
                                       % sid)), 1 + replaced)
        self.assertEqual(admin_tool("lottery", "verify", str(sid)).returncode, 0)

    def test_two_administrators_drawing_at_once(self):
        sid = self.new_session(self.round_id, [self.apps[2]], size=3)
        self.assertRedirect(self.post("/draw/commit", {"id": str(sid)}),
                            "/draw/session?id=%d&done=committed" % sid)
        clients = [bgtest.logged_in(bgtest.create_account("province", tag="p2")) for _ in range(2)]
        tokens = [c.csrf_from("/login/password") for c in clients]
        results = []

        def draw(i):
            results.append(clients[i].post("/draw/panel", self.confirm(id=str(sid)),
                                           csrf=tokens[i]).status)
        threads = [threading.Thread(target=draw, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [303, 409])
        self.assertEqual(int(sql_value("SELECT COUNT(*) FROM draw_event WHERE session_id = %d"
                                       % sid)), 1)
        self.assertEqual(len(self.panel(sid)), 3)

    def test_rotation_and_confidentiality(self):
        # A drawn session, then one excluding the last session's panel.
        first = self.new_session(self.round_id, [self.apps[3]], size=3)
        self.post("/draw/commit", {"id": str(first)})
        self.assertRedirect(self.post("/draw/panel", self.confirm(id=str(first))),
                            "/draw/session?id=%d&done=drawn" % first)
        drawn = self.panel(first)
        second = self.new_session(self.round_id, [self.apps[4]], size=3, rotation=1)
        self.assertRedirect(self.post("/draw/commit", {"id": str(second)}),
                            "/draw/session?id=%d&done=committed" % second)
        rotated = sorted(int(x[0]) for x in sql(
            "SELECT expert_id FROM draw_exclusion WHERE session_id = %d AND reason = 'rotation'"
            % second))
        self.assertEqual(rotated, sorted(drawn))

        # An expert on the panel sees the assignment, and nothing else.
        member = drawn[0]
        account = bgtest.create_account("expert", tag="pan")
        sql("UPDATE expert SET account_id = (SELECT id FROM account WHERE login = %s)"
            " WHERE id = %d" % (q(account.login), member))
        other = bgtest.create_account("expert", tag="oth")
        c = bgtest.logged_in(account)
        r = c.get("/draw/mine")
        self.assertStatus(r, 200)
        self.assertIn("测试评审会", r.page.find(id="assignments").text)
        others = [sql_value("SELECT name FROM expert WHERE id = %d" % e) for e in drawn[1:]]
        for name in others:
            self.assertNotIn(name, r.text)
        self.assertNotIn("测试评审会", bgtest.logged_in(other).get("/draw/mine").text)
        for path in ("/draw", "/draw/session?id=%d" % first, "/draw/record?id=%d" % first,
                     "/draw/export?id=%d" % first):
            self.assertStatus(c.get(path), 403, path)
        city = city_client(HARBIN)
        self.assertStatus(city.get("/draw/session?id=%d" % first), 403)
        self.assertStatus(city.get("/draw/mine"), 403)
        self.assertStatus(bgtest.Client().get("/draw/session?id=%d" % first), 303)
        sql("UPDATE expert SET account_id = NULL WHERE id = %d" % member)

    def test_list_search(self):
        title = "检索测试评审会%s" % os.urandom(3).hex()
        round_id, _ = make_round(quota=3)
        [(_, app)] = province_apps(round_id, 1)
        sid = self.new_session(round_id, [app], title=title)
        self.assertEqual(self.listed("/draw", title)[1], [sid])
        self.check_session_search("/draw", sid, app)

    def test_missing_session_is_404_with_a_record(self):
        for path in ("/draw/session?id=9007199254740000", "/draw/record?id=9007199254740000",
                     "/draw/export?id=9007199254740000", "/draw/session?id=abc"):
            self.assertStatus(self.province.get(path), 404, path)
        r = self.post("/draw/panel", self.confirm(id="9007199254740000"))
        self.assertStatus(r, 404)


if __name__ == "__main__":
    unittest.main()
