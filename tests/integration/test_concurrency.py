"""Concurrency: many users at once get exactly one effect each.

A burst of 200 concurrent application saves (20 enterprises, 10 saves each,
their drafts next to each other in every index) makes InnoDB deadlock now and
then (the indicators' rows are replaced, and gap locks of neighbours meet);
the db layer reports it (DB_RETRY), the front line runs the page again
(core/app.c), so every save is answered 303 and recorded exactly once.
Double submits of one application: one submission, the other told so.
Two cities submitting their batches at once, each from two tabs: one batch
each.  On a panel, the chair concluding while the member asked to revise
submits, and the last members confirming at once: the conclusion never
stands on a sheet under revision, and the panel is locked exactly once.
(Two administrators drawing one panel: test_draw.py.)"""

import os
import threading
import unittest
from concurrent.futures import ThreadPoolExecutor

import bgtest
import test_access
from bgtest import Client, q, sql, sql_value
from test_apply import complete_application, register


class ConcurrencyTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id = test_access.open_round()

    def drafts(self, n):
        out = []
        for _ in range(n):
            ent = register()
            app_id = test_access.start_application(ent.client, self.round_id)
            out.append((ent.client, app_id, ent.client.csrf_from("/apply")))
        return out

    def test_a_burst_of_saves_each_done_once(self):
        apps = self.drafts(20)
        base = dict(complete_application(), action="save")
        mark = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
        log = os.path.join(bgtest.CONFIG.run_dir, "log", "apply.log")
        with open(log, encoding="utf-8", errors="replace") as f:
            retries_before = f.read().count("deadlock, run")
        answers, lock = [], threading.Lock()

        def save(job):
            client, app_id, token, title = job
            r = client.post("/apply/edit", dict(base, id=app_id, title=title), csrf=token,
                            timeout=60)
            with lock:
                answers.append((app_id, title, r.status))

        jobs = [(c, a, t, "并发保存%s第%d次" % (a, k)) for k in range(10) for c, a, t in apps]
        with ThreadPoolExecutor(max_workers=32) as pool:
            list(pool.map(save, jobs))
        statuses = sorted({st for _, _, st in answers})
        self.assertEqual(statuses, [303], [a for a in answers if a[2] != 303][:5])
        for _, app_id, _ in apps:
            with self.subTest(application=app_id):
                self.assertEqual(sql_value(
                    "SELECT COUNT(*) FROM audit WHERE action = 'application.save' AND object_id = %s"
                    " AND id > %d" % (q(app_id), mark)), "10")
                title = sql_value("SELECT title FROM application WHERE id = %s" % app_id)
                self.assertTrue(title.startswith("并发保存%s第" % app_id), title)
                self.assertEqual(sql_value("SELECT COUNT(*) FROM application_indicator WHERE "
                                           "application_id = %s" % app_id),
                                 str(sum(1 for k in base if k.startswith("ind_name_") and base[k])))
        with open(log, encoding="utf-8", errors="replace") as f:
            retried = f.read().count("deadlock, run") - retries_before
        print("\nconcurrent saves: 200 answered 303; pages run again after a deadlock: %d" % retried)

    def test_a_double_submit_is_one_submission(self):
        (client, app_id, token), = self.drafts(1)
        r = client.post("/apply/edit", dict(complete_application(), id=app_id, action="save"),
                        csrf=token)
        self.assertStatus(r, 303)
        ta = test_access
        for kind in ("experience", "commitment"):
            r = ta.upload(client, int(app_id), kind, kind + ".pdf", ta.make_pdf("double " + kind),
                          csrf=token)
            self.assertStatus(r, 303)
        barrier = threading.Barrier(2)
        answers = []

        def submit(_):
            barrier.wait()
            answers.append(client.post("/apply/submit", {"id": app_id}, csrf=token))

        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(submit, range(2)))
        self.assertEqual([r.status for r in answers], [303, 303])
        self.assertEqual(sql_value("SELECT status FROM application WHERE id = %s" % app_id),
                         "submitted")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'application.submit'"
                                   " AND object_id = %s" % q(app_id)), "1")


def at_once(*calls):
    """Each call in its own thread, released together; their answers in order."""
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def run(i):
        barrier.wait()
        answers[i] = calls[i]()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


class BatchesAtOnceTest(bgtest.TestCase):
    def test_two_cities_each_from_two_tabs(self):
        from test_recommend import JIXI, MUDANJIANG, city_client, make_round, submitted_app
        round_id, _ = make_round()
        cities, calls = {}, []
        for city in (JIXI, MUDANJIANG):
            client = city_client(city)
            _, app = submitted_app(round_id, city)
            r = client.post("/recommend/recommend", {"id": str(app), "opinion": "推荐。",
                                                     "rank": ""},
                            csrf=client.csrf_from("/login/password"))
            self.assertStatus(r, 303)
            cities[city[0]] = app
            token, session = client.csrf_from("/login/password"), client.session_token()
            for _ in range(2):  # two tabs of one session
                tab = Client()
                tab.set_session_token(session)
                calls.append(lambda tab=tab, token=token: tab.post(
                    "/recommend/batch/submit", {"round": str(round_id)}, csrf=token).status)
        answers = at_once(*calls)
        self.assertEqual(sorted(answers[:2]), [303, 409])
        self.assertEqual(sorted(answers[2:]), [303, 409])
        for code, app in cities.items():
            with self.subTest(city=code):
                batch = sql_value("SELECT id FROM recommend_batch WHERE round_id = %d AND"
                                  " city_code = %s AND status = 'submitted'" % (round_id, q(code)))
                self.assertIsNotNone(batch)
                self.assertEqual(sql_value("SELECT COUNT(*) FROM recommend_batch_event WHERE"
                                           " batch_id = %s" % batch), "1")
                self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action ="
                                           " 'recommend.batch.submit' AND object_id = %s"
                                           % q(batch)), "1")
                self.assertEqual(sql_value("SELECT status FROM application WHERE id = %d" % app),
                                 "with_province")


class PanelAtOnceTest(bgtest.TestCase):
    """A drawn panel of three, all declared, the first the chair."""

    def setUp(self):
        from test_recommend import make_round
        round_id, _ = make_round()
        self.accounts = [bgtest.create_account("expert", tag="race") for _ in range(3)]
        roles = {"panelist": self.accounts[0], "province": bgtest.province_account(),
                 "supervisor": bgtest.create_account("supervisor", tag="race")}
        # An application is in one session only: a new draft of its own.
        self.app = int(test_access.start_application(register().client, round_id))
        self.sid = int(test_access.review_session(round_id, self.app, roles, self.accounts))
        self.experts = [int(r[0]) for r in sql(
            "SELECT expert_id FROM draw_pick WHERE session_id = %d ORDER BY pick_order" % self.sid)]
        self.clients = []
        for account in self.accounts:
            c = bgtest.logged_in(account)
            c.token = c.csrf_from("/login/password")
            self.assertStatus(c.post("/review/declare", {
                "id": str(self.sid), "agree": "1", "conflict": "none",
                "password": account.password}, csrf=c.token), 303)
            self.clients.append(c)
        province = bgtest.admin_client()
        self.assertStatus(province.post("/review/configure", {
            "id": str(self.sid), "chair": str(self.experts[0]), "deadline_date": "2099-01-01",
            "deadline_time": "17:30"}, csrf=province.csrf_from("/login/password")), 303)
        for c in self.clients:
            self.assertStatus(self.submit(c), 303)

    def submit(self, client, point=8):
        fields = {"p%d" % i: str(point) for i in range(1, 11)}
        fields.update(session=str(self.sid), app=str(self.app), submit="1",
                      overall="材料完整，经验具有示范性。")
        return client.post("/review/save", fields, csrf=client.token)

    def conclude(self):
        chair = self.clients[0]
        return chair.post("/review/conclude", {
            "session": str(self.sid), "app": str(self.app), "recommended": "yes",
            "opinion": "同意推荐。", "ranking": "1"}, csrf=chair.token)

    def audit_ids(self, action):
        return [int(r[0]) for r in sql("SELECT id FROM audit WHERE action = %s AND object_type ="
                                       " 'review_session' AND object_id = %s ORDER BY id"
                                       % (q(action), q(str(self.sid))))]

    def test_conclusion_while_a_member_revises_then_the_last_answers(self):
        chair = self.clients[0]
        r = chair.post("/review/revise", {"session": str(self.sid), "app": str(self.app),
                                          "expert": str(self.experts[1]),
                                          "note": "请复核第1项"}, csrf=chair.token)
        self.assertStatus(r, 303)
        submitted, concluded = at_once(lambda: self.submit(self.clients[1], point=7),
                                       self.conclude)
        self.assertStatus(submitted, 303)
        self.assertIn(concluded.status, (303, 409))
        if concluded.status == 409:
            # Refused while the sheet was open: recorded now, on the new sheet.
            self.assertStatus(self.conclude(), 303)
        # The conclusion came after the revised sheet, never before it.
        submits, conclusions = self.audit_ids("review.submit"), self.audit_ids("review.conclude")
        self.assertEqual(len(conclusions), 1)
        self.assertLess(submits[-1], conclusions[0])
        self.assertEqual(sql_value("SELECT halves FROM review_score WHERE session_id = %d AND"
                                   " expert_id = %d AND no = 1" % (self.sid, self.experts[1])),
                         "14")
        # Every member answers at once: three answers, one lock.
        answers = at_once(*(lambda c=c: c.post("/review/answer", {
            "session": str(self.sid), "app": str(self.app), "kind": "confirm"}, csrf=c.token)
            for c in self.clients))
        self.assertEqual([r.status for r in answers], [303] * 3)
        self.assertEqual(sum(1 for r in answers if r.location.endswith("done=locked")), 1)
        self.assertEqual(sql_value("SELECT state FROM review_panel WHERE session_id = %d"
                                   % self.sid), "locked")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM review_confirmation WHERE session_id ="
                                   " %d" % self.sid), "3")
        self.assertEqual(int(sql_value(
            "SELECT COUNT(*) FROM audit WHERE action = 'review.confirm' AND object_id = %s AND"
            " summary LIKE '%%合议结论锁定%%'" % q(str(self.sid)))), 1)
        # A save after the lock changes nothing.
        self.assertStatus(self.submit(self.clients[2], point=1), 409)


if __name__ == "__main__":
    unittest.main()
