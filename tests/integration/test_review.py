"""Expert review, scoring and panel consensus (issue 12): the program `review`.

A panel of 5 is drawn through the draw's pages from a pool of the class's
own experts, each with an expert account.  The members declare (one
declares a conflict with the whole session and is replaced through the
draw), score 3 applications, the chair sees the divergence flags, asks for
a revision, records the conclusions; the members confirm, one dissents; the
session locks; the administrator exports the scores and the test reads
the CSV and the workbook back.  Every refusal of the issue's list is tried
on the way: nothing changes, and each is audited.
"""
import csv
import io
import zipfile

import bgtest
from bgtest import q, sql, sql_value
from test_draw import PoolCase, add_expert, province_apps
from test_recommend import make_round


def audit_count(action, sid):
    return int(sql_value("SELECT COUNT(*) FROM audit WHERE action = %s AND object_type ="
                         " 'review_session' AND object_id = %s" % (q(action), q(str(sid)))))


class ReviewFlowTest(PoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = make_round(quota=3)
        cls.apps = [a for _, a in province_apps(cls.round_id, 3)]
        cls.members = {}  # expert id -> Account
        for i in range(7):
            acct = bgtest.create_account("expert", tag="rv%d" % i)
            eid = add_expert("评审专家%d" % i, "评审测试单位%d-%s" % (i, cls.year), account=acct.id)
            cls.members[eid] = acct
        cls.outsider = bgtest.create_account("expert", tag="rvx")
        add_expert("组外专家", "组外单位%s" % cls.year, status="removed", account=cls.outsider.id)

    def client_of(self, eid):
        return bgtest.logged_in(self.members[eid])

    def ex(self, client, path, fields):
        return client.post(path, fields, csrf=client.csrf_from("/login/password"))

    def scores(self, values, **extra):
        f = {"p%d" % (i + 1): v for i, v in enumerate(values)}
        f.update(extra)
        return f

    def notices_of(self, expert_id, kind, link):
        return int(sql_value("SELECT COUNT(*) FROM notification n JOIN expert x"
                             " ON x.account_id = n.account_id WHERE x.id = %d AND n.kind = %s"
                             " AND n.link = %s" % (expert_id, q(kind), q(link))))

    def test_flow(self):
        apps = self.apps
        sid = self.new_session(self.round_id, apps, size=5)
        self.assertRedirect(self.post("/draw/commit", {"id": str(sid), "public_source": ""}),
                            "/draw/session?id=%d&done=committed" % sid)
        # Before the panel is drawn there is nothing to review.
        any_member = self.client_of(next(iter(self.members)))
        self.assertStatus(any_member.get("/review/session?id=%d" % sid), 404)
        self.assertRedirect(self.post("/draw/panel", self.confirm(id=str(sid), public_value="")),
                            "/draw/session?id=%d&done=drawn" % sid)
        panel = self.panel(sid)
        self.assertEqual(len(panel), 5)
        clients = {e: self.client_of(e) for e in panel}
        # Each member is told, with the link to the session (notify.h).
        for e in panel:
            self.assertEqual(self.notices_of(e, "expert.drawn", "/review/session?id=%d" % sid), 1)

        # An expert sees only the sessions they were drawn for.
        off = [e for e in self.members if e not in panel]
        off_client = self.client_of(off[0])
        r = off_client.get("/review")
        self.assertStatus(r, 200)
        self.assertIsNone(r.page.find("tr", **{"data-id": str(sid)}))
        for path in ("/review/session?id=%d" % sid, "/review/declare?id=%d" % sid,
                     "/review/app?session=%d&app=%d" % (sid, apps[0])):
            self.assertStatus(off_client.get(path), 403)
        r = clients[panel[0]].get("/review")
        self.assertIsNotNone(r.page.find("tr", **{"data-id": str(sid)}))
        self.check_session_search("/review", sid, apps[0])

        # No material before the declaration.
        c0 = clients[panel[0]]
        r = c0.get("/review/app?session=%d&app=%d" % (sid, apps[0]))
        self.assertStatus(r, 409)
        self.assertIn("声明", r.text)

        # The declaration: the box, the member's own password.
        r = self.ex(c0, "/review/declare", {"id": str(sid), "conflict": "none",
                                            "password": self.members[panel[0]].password})
        self.assertStatus(r, 422)
        self.assertIn("勾选", r.page.error_for("agree"))
        r = self.ex(c0, "/review/declare", {"id": str(sid), "agree": "1", "conflict": "none",
                                            "password": "not-my-password-9"})
        self.assertStatus(r, 422)
        self.assertIn("密码", r.page.error_for("password"))
        self.assertEqual(sql_value("SELECT COUNT(*) FROM review_declaration WHERE session_id = %d"
                                   % sid), "0")
        for e in panel[:4]:
            r = self.ex(clients[e], "/review/declare", {"id": str(sid), "agree": "1",
                                                        "conflict": "none",
                                                        "password": self.members[e].password})
            self.assertRedirect(r, "/review/session?id=%d&done=declared" % sid)
        # Signed once.
        r = self.ex(c0, "/review/declare", {"id": str(sid), "agree": "1", "conflict": "none",
                                            "password": self.members[panel[0]].password})
        self.assertStatus(r, 409)

        # The fifth declares a conflict with the whole session: excused, the
        # administrators are told, the draw replaces them.
        gone = panel[4]
        r = self.ex(clients[gone], "/review/declare",
                    {"id": str(sid), "agree": "1", "conflict": "session", "reason": "",
                     "password": self.members[gone].password})
        self.assertStatus(r, 422)
        self.assertIn("理由", r.page.error_for("reason"))
        r = self.ex(clients[gone], "/review/declare",
                    {"id": str(sid), "agree": "1", "conflict": "session",
                     "reason": "本人近三年曾为其中一家申报企业提供咨询服务",
                     "password": self.members[gone].password})
        self.assertRedirect(r, "/review?done=excused")
        self.assertStatus(clients[gone].get("/review/app?session=%d&app=%d" % (sid, apps[0])), 403)
        r = self.province.get("/home")
        self.assertIn("回避", r.text)
        r = self.province.get("/review/session?id=%d" % sid)
        self.assertIn("回避整个评审会", r.page.find("tr", **{"data-expert": str(gone)}).text)
        r = self.post("/draw/replace", self.confirm(id=str(sid), expert=str(gone),
                                                    reason_kind="conflict",
                                                    reason="专家声明存在利益冲突"))
        self.assertRedirect(r, "/draw/session?id=%d&done=replaced" % sid)
        panel = self.panel(sid)
        new = panel[-1]
        self.assertNotIn(gone, panel)
        clients[new] = self.client_of(new)
        r = self.ex(clients[new], "/review/declare",
                    {"id": str(sid), "agree": "1", "conflict": "some", "app": str(apps[2]),
                     "reason": "与该企业负责人为近亲属", "password": self.members[new].password})
        self.assertRedirect(r, "/review/session?id=%d&done=declared" % sid)
        self.assertEqual(sql("SELECT application_id FROM review_recusal WHERE session_id = %d"
                             % sid), [[str(apps[2])]])
        self.assertStatus(clients[new].get("/review/app?session=%d&app=%d" % (sid, apps[2])), 200)
        self.assertEqual(audit_count("review.declare", sid), 6)

        # The chair is set by the administrator.
        r = self.post("/review/configure", {"id": str(sid), "chair": str(gone),
                                            "deadline_date": "2099-01-01", "deadline_time": "17:00"})
        self.assertStatus(r, 422)
        self.assertIn("不在评审组", r.page.error_for("chair"))
        r = self.post("/review/configure", {"id": str(sid), "chair": str(panel[0]),
                                            "deadline_date": "2099-01-01", "deadline_time": "25:00"})
        self.assertStatus(r, 422)
        chair = panel[0]
        r = self.post("/review/configure", {"id": str(sid), "chair": str(chair),
                                            "deadline_date": "2099-01-01", "deadline_time": "17:30"})
        self.assertRedirect(r, "/review/session?id=%d&done=configured" % sid)
        self.assertEqual(sql("SELECT chair_expert_id, DATE_FORMAT(deadline, '%%Y-%%m-%%d %%H:%%i')"
                             " FROM review_panel WHERE session_id = %d" % sid),
                         [[str(chair), "2099-01-01 17:30"]])
        cc = clients[chair]

        # Bad scores: out of range, not a number, too precise, an application
        # not in the session; nothing stored, each audited.
        before = audit_count("review.save", sid)
        refusals = int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'refused.rule'"))
        for bad, word in (("11", "之间"), ("-1", "之间"), ("八", "数字"), ("7.5", "整数"),
                          ("1e1", "数字")):
            r = self.ex(cc, "/review/save", dict(self.scores([bad] + ["8"] * 9),
                                                 session=str(sid), app=str(apps[0]), save="1"))
            self.assertStatus(r, 422)
            self.assertIn(word, r.page.error_for("p1"))
            self.assertEqual(r.page.find("input", id="p1").attrs.get("value"), bad)
        self.assertEqual(int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'refused.rule'"))
                         - refusals, 5)
        r = self.ex(cc, "/review/save", dict(self.scores(["8"] * 10), session=str(sid),
                                             app=str(apps[0] + 100000), save="1"))
        self.assertStatus(r, 404)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM review_sheet WHERE session_id = %d" % sid),
                         "0")
        self.assertEqual(audit_count("review.save", sid), before)
        # After the deadline nothing is saved; the administrator can move it.
        yesterday = sql_value("SELECT DATE_FORMAT(CURDATE() - INTERVAL 1 DAY, '%Y-%m-%d')")
        self.assertStatus(self.post("/review/configure", {"id": str(sid), "chair": "0",
                                                          "deadline_date": yesterday,
                                                          "deadline_time": "17:30"}), 303)
        r = self.ex(cc, "/review/save", dict(self.scores(["8"] * 10), session=str(sid),
                                             app=str(apps[0]), save="1"))
        self.assertStatus(r, 409)
        self.assertIn("截止", r.text)
        self.assertStatus(self.post("/review/configure", {"id": str(sid), "chair": "0",
                                                          "deadline_date": "2099-01-01",
                                                          "deadline_time": "17:30"}), 303)
        self.assertEqual(sql_value("SELECT chair_expert_id FROM review_panel WHERE session_id = %d"
                                   % sid), str(chair))
        # Submitting needs every point and the overall comment.
        r = self.ex(cc, "/review/save", dict(self.scores(["8"] * 9 + [""]), session=str(sid),
                                             app=str(apps[0]), submit="1", overall="好"))
        self.assertStatus(r, 422)
        self.assertIn("第10项", r.page.error_for("p10"))
        # A draft may leave points out; the others do not see it.
        r = self.ex(cc, "/review/save", dict(self.scores(["8", "7"]), session=str(sid),
                                             app=str(apps[0]), save="1", c1="方法先进"))
        self.assertRedirect(r, "/review/app?session=%d&app=%d&done=saved" % (sid, apps[0]))
        self.assertEqual(sql_value("SELECT state FROM review_sheet WHERE session_id = %d"
                                   " AND expert_id = %d" % (sid, chair)), "draft")
        r = self.ex(cc, "/review/conclude", {"session": str(sid), "app": str(apps[0]),
                                             "recommended": "yes", "opinion": "x", "ranking": "1"})
        self.assertStatus(r, 409)

        # Everyone scores; member 1 far from the others on point 1.
        sheets = {
            chair: ["9", "8", "8", "9", "8", "8", "9", "8", "8", "9"],
            panel[1]: ["2", "8", "8", "8", "8", "8", "8", "8", "8", "8"],
            panel[2]: ["9", "9", "8", "9", "9", "8", "9", "9", "8", "9"],
            panel[3]: ["8", "8", "7", "8", "8", "7", "8", "8", "7", "8"],
            new: ["9", "8", "8", "8", "8", "8", "8", "8", "8", "8"],
        }
        for app in apps:
            for e, vals in sheets.items():
                if e == new and app == apps[2]:
                    continue
                # The panel's page stays closed until the member has submitted.
                if app == apps[0] and e == panel[3]:
                    r = clients[e].get("/review/panel?session=%d&app=%d" % (sid, app))
                    self.assertIsNone(r.page.find(id="score-table"))
                r = self.ex(clients[e], "/review/save",
                            dict(self.scores(vals), session=str(sid), app=str(app), submit="1",
                                 overall="材料完整，经验具有示范性。"))
                self.assertRedirect(r, "/review/app?session=%d&app=%d&done=submitted" % (sid, app))
        # Every sheet in: the chair is told to conclude (once), the province too.
        self.assertEqual(self.notices_of(chair, "review.scored", "/review/session?id=%d" % sid), 1)
        self.assertEqual(self.notices_of(gone, "expert.replaced", "/review"), 1)
        self.assertEqual(self.notices_of(new, "expert.drawn", "/review/session?id=%d" % sid), 1)
        # Excused from app 3: refused.
        r = self.ex(clients[new], "/review/save", dict(self.scores(["8"] * 10), session=str(sid),
                                                       app=str(apps[2]), submit="1", overall="x"))
        self.assertStatus(r, 409)
        # Submitted is locked for the member.
        r = self.ex(clients[panel[2]], "/review/save",
                    dict(self.scores(["1"] * 10), session=str(sid), app=str(apps[0]), submit="1",
                         overall="改"))
        self.assertStatus(r, 409)
        self.assertEqual(sql_value("SELECT halves FROM review_score WHERE session_id = %d AND"
                                   " application_id = %d AND expert_id = %d AND no = 1"
                                   % (sid, apps[0], panel[2])), "18")

        # The chair's view: side by side, figures, divergence on point 1.
        r = cc.get("/review/panel?session=%d&app=%d" % (sid, apps[0]))
        self.assertStatus(r, 200)
        table = r.page.find(id="score-table")
        self.assertIsNotNone(table)
        row1 = r.page.find("tr", **{"data-point": "1"})
        self.assertIn("divergent", row1.attrs.get("class", ""))
        self.assertIn("7.4", row1.text)  # mean of 9 2 9 8 9
        self.assertNotIn("divergent", r.page.find("tr", **{"data-point": "2"}).attrs.get("class", ""))
        # Another member sees the same once all have submitted.
        self.assertIsNotNone(clients[panel[3]].get(
            "/review/panel?session=%d&app=%d" % (sid, apps[0])).page.find(id="score-table"))
        # Only the chair asks for revisions and records conclusions.
        r = self.ex(clients[panel[3]], "/review/revise", {"session": str(sid), "app": str(apps[0]),
                                                          "expert": str(panel[1]), "note": "x"})
        self.assertStatus(r, 409)
        r = self.ex(cc, "/review/revise", {"session": str(sid), "app": str(apps[0]),
                                           "expert": str(panel[1]),
                                           "note": "第1项分数与其他成员差距较大，请复核"})
        self.assertRedirect(r, "/review/panel?session=%d&app=%d&done=revise" % (sid, apps[0]))
        r = clients[panel[1]].get("/review/app?session=%d&app=%d" % (sid, apps[0]))
        self.assertIn("请复核", r.page.find(id="revision-note").text)
        r = self.ex(cc, "/review/conclude", {"session": str(sid), "app": str(apps[0]),
                                             "recommended": "yes", "opinion": "同意推荐",
                                             "ranking": "1"})
        self.assertStatus(r, 409)  # a sheet is being revised
        r = self.ex(clients[panel[1]], "/review/save",
                    dict(self.scores(["7"] + ["8"] * 9), session=str(sid), app=str(apps[0]),
                         submit="1", overall="复核后调整第1项。"))
        self.assertRedirect(r, "/review/app?session=%d&app=%d&done=submitted" % (sid, apps[0]))
        self.assertEqual(sql_value("SELECT submissions FROM review_sheet WHERE session_id = %d AND"
                                   " application_id = %d AND expert_id = %d"
                                   % (sid, apps[0], panel[1])), "2")

        # Conclusions: ranking checked, then recorded for all three.
        r = self.ex(cc, "/review/conclude", {"session": str(sid), "app": str(apps[0]),
                                             "recommended": "yes", "opinion": "同意推荐",
                                             "ranking": "4"})
        self.assertStatus(r, 422)
        self.assertIn("排序", r.page.error_for("ranking"))
        verdicts = [("yes", "1"), ("yes", "2"), ("no", "3")]
        for app, (rec, rank) in zip(apps, verdicts):
            r = self.ex(cc, "/review/conclude", {"session": str(sid), "app": str(app),
                                                 "recommended": rec,
                                                 "opinion": "评审组合议意见%s" % rank,
                                                 "ranking": rank})
            self.assertRedirect(r, "/review/panel?session=%d&app=%d&done=concluded" % (sid, app))
        r = self.ex(cc, "/review/conclude", {"session": str(sid), "app": str(apps[1]),
                                             "recommended": "yes", "opinion": "x", "ranking": "1"})
        self.assertStatus(r, 422)  # ranking 1 is another's

        # Before the lock the administrator sees progress, not scores.
        r = self.province.get("/review/session?id=%d" % sid)
        self.assertNotIn("评审组合议意见", r.text)
        self.assertStatus(self.province.get("/review/export?id=%d&format=csv" % sid), 409)
        self.assertStatus(self.province.get("/review/sheet?session=%d&app=%d" % (sid, apps[0])), 409)

        # Answers: a dissent needs its reason; one member dissents on app 3.
        r = self.ex(clients[panel[2]], "/review/answer", {"session": str(sid), "app": str(apps[2]),
                                                          "kind": "dissent", "reason": ""})
        self.assertStatus(r, 422)
        locked = False
        for app in apps:
            for e in panel:
                if e == new and app == apps[2]:
                    continue
                dissent = e == panel[2] and app == apps[2]
                fields = {"session": str(sid), "app": str(app),
                          "kind": "dissent" if dissent else "confirm"}
                if dissent:
                    fields["reason"] = "该企业质量指标领先，建议推荐"
                r = self.ex(clients[e], "/review/answer", fields)
                self.assertStatus(r, 303)
                locked = locked or r.location.endswith("done=locked")
        self.assertTrue(locked)
        self.assertEqual(sql_value("SELECT state FROM review_panel WHERE session_id = %d" % sid),
                         "locked")
        self.assertEqual([sql_value("SELECT status FROM application WHERE id = %d" % a)
                          for a in apps], ["in_review", "in_review", "not_selected"])
        self.assertEqual(audit_count("review.dissent", sid), 1)
        # Locked: no more answers or scores.
        r = self.ex(cc, "/review/answer", {"session": str(sid), "app": str(apps[0]),
                                           "kind": "confirm"})
        self.assertStatus(r, 409)

        # The administrator now sees everything and exports it.
        r = self.province.get("/review/sheet?session=%d&app=%d" % (sid, apps[2]))
        self.assertStatus(r, 200)
        self.assertIn("该企业质量指标领先", r.text)
        self.assertStatus(self.province.get("/review/summary?id=%d" % sid), 200)
        r = self.province.get("/review/export?id=%d&format=csv" % sid)
        self.assertStatus(r, 200)
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:5], ["排序", "企业", "专家", "专家单位", "要点1"])
        experts = [x for x in rows[1:] if x[2] != "平均分"]
        self.assertEqual(len(experts), 5 + 5 + 4)
        means = [x for x in rows[1:] if x[2] == "平均分"]
        self.assertEqual(len(means), 3)
        self.assertEqual(means[0][4], "8.4")  # point 1 of app 1 after the revision: 9 7 9 8 9
        self.assertIn("该企业质量指标领先", means[2][17])
        self.assertEqual(means[2][15], "不予推荐")
        r = self.province.get("/review/export?id=%d&format=xlsx" % sid)
        self.assertStatus(r, 200)
        with zipfile.ZipFile(io.BytesIO(r.body)) as z:
            shared = z.read("xl/sharedStrings.xml").decode("utf-8")
        self.assertIn("平均分", shared)
        self.assertIn("评审组合议意见1", shared)
        self.assertEqual(audit_count("review.export", sid), 2)
        self.assertStatus(self.province.get("/review/export?id=%d&format=pdf" % sid), 400)

        # Reopening: a reason, then the application is back in review.
        r = self.post("/review/reopen", {"id": str(sid), "app": str(apps[2]), "reason": ""})
        self.assertStatus(r, 422)
        r = self.post("/review/reopen", {"id": str(sid), "app": str(apps[2]),
                                         "reason": "纪检监督提出复议意见"})
        self.assertRedirect(r, "/review/session?id=%d&done=reopened" % sid)
        self.assertEqual(sql_value("SELECT status FROM application WHERE id = %d" % apps[2]),
                         "in_review")
        self.assertEqual(sql_value("SELECT state FROM review_panel WHERE session_id = %d" % sid),
                         "open")
        r = self.ex(cc, "/review/conclude", {"session": str(sid), "app": str(apps[2]),
                                             "recommended": "yes", "opinion": "复议后推荐",
                                             "ranking": "3"})
        self.assertRedirect(r, "/review/panel?session=%d&app=%d&done=concluded" % (sid, apps[2]))
        for e in panel:
            if e != new:
                self.assertStatus(self.ex(clients[e], "/review/answer",
                                          {"session": str(sid), "app": str(apps[2]),
                                           "kind": "confirm"}), 303)
        self.assertEqual(sql_value("SELECT state FROM review_panel WHERE session_id = %d" % sid),
                         "locked")
        self.assertEqual(sql_value("SELECT status FROM application WHERE id = %d" % apps[2]),
                         "in_review")
        self.assertEqual(audit_count("review.reopen", sid), 1)

    def test_outsiders_are_refused(self):
        """Enterprise, city and the public never reach a review page; an
        expert of no panel gets 403 with an audit record."""
        r = bgtest.Client().get("/review")
        self.assertStatus(r, 303)
        for role in ("enterprise", "city"):
            c = bgtest.logged_in(bgtest.create_account(role, city=bgtest.HARBIN[0]
                                                       if role == "city" else None))
            self.assertStatus(c.get("/review"), 403)
        sid = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM review_session"
                            " WHERE state IN ('drawn', 'revealed')"))
        if not sid:
            return
        before = int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'refused.object'"))
        c = bgtest.logged_in(self.outsider)
        self.assertStatus(c.get("/review/session?id=%d" % sid), 403)
        self.assertEqual(int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'refused.object'"))
                         - before, 1)
        self.assertStatus(c.get("/review/session?id=99999999"), 404)
