"""A database stopped mid-test gives 503 pages, no worker dies, and the
programs recover when it returns; killed (SIGKILL) in the middle of a burst of
concurrent saves, every request still gets a definite answer and nothing
answered "done" is lost.  Runs last (the name sorts last): it stops the
stack's MariaDB and always starts it again."""

import os
import signal
import subprocess
import threading
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

import bgtest
from bgtest import Client, q, sql, sql_value

RECOVERY_SECONDS = 20


def stack(command):
    # The stack script finds the run directory in BIAOGAN_RUN_DIR.
    env = dict(os.environ, BIAOGAN_RUN_DIR=bgtest.CONFIG.run_dir)
    p = subprocess.run([bgtest.CONFIG.stack, command], env=env, capture_output=True, text=True,
                       timeout=120)
    if p.returncode != 0:
        raise AssertionError("scripts/stack %s exited %d: %s%s"
                             % (command, p.returncode, p.stdout, p.stderr))
    return p


class DatabaseLossTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        bgtest.CONFIG.check("conf", "admin", "run_dir", "stack")
        cls.account = bgtest.create_account("city", city=bgtest.HARBIN[0])

    def setUp(self):
        self.stopped = False

    def tearDown(self):
        # Whatever happened, leave the database running for whoever comes next.
        if self.stopped:
            stack("db-start")

    def wait_for(self, client, path, status):
        """Poll until path answers status; the last response."""
        deadline = time.monotonic() + RECOVERY_SECONDS
        while True:
            r = client.get(path)
            if r.status == status or time.monotonic() > deadline:
                return r
            time.sleep(0.25)

    def test_503_then_recovery(self):
        client = bgtest.logged_in(self.account)
        self.assertStatus(client.get("/home"), 200)
        pids = bgtest.worker_pids()
        self.assertTrue(pids and all(pids.values()), pids)
        for program, plist in pids.items():
            for pid in plist:
                self.assertTrue(bgtest.pid_alive(pid), "%s worker %d not running" % (program, pid))

        self.stopped = True
        stack("db-stop")

        # Each worker of each program meets the lost database at least once.
        checks = [
            ("home", lambda: client.get("/home")),
            ("login", lambda: Client().login(self.account.login, self.account.password)),
            ("password form", lambda: client.get("/login/password")),
            ("admin", lambda: client.get("/admin/users")),
            ("post", lambda: client.post("/login/logout", {"csrf": "0" * 64})),
            # The health check a load balancer polls (docs/operations.md).
            ("health", lambda: Client().get("/apply/health")),
        ]
        for label, call in checks:
            for attempt in range(4):  # spread over the workers of a program
                with self.subTest(label=label, attempt=attempt):
                    r = call()
                    self.assertStatus(r, 503)
                    self.assertEqual(r.headers.get("Retry-After"), "30")
                    self.assertSecurityHeaders(r, "503")
                    self.assertIn("text/html", r.headers.get("Content-Type", ""))
                    self.assertIn("数据库", r.text)
                    self.assertIn('lang="zh-CN"', r.text)
                    # A 503 is no reason to drop the user's session.
                    self.assertFalse([c for c in r.header_all("Set-Cookie")
                                      if c.startswith("bg_session=")])

        # The login form reads nothing (no ping either): still served, and
        # only its submission meets the lost database (above).
        for attempt in range(4):
            with self.subTest(label="login form", attempt=attempt):
                r = Client().get("/login")
                self.assertStatus(r, 200)
                self.assertIn('name="password"', r.text)

        # No worker crashed or was replaced.
        self.assertEqual(bgtest.worker_pids(), pids)
        for program, plist in pids.items():
            for pid in plist:
                self.assertTrue(bgtest.pid_alive(pid), "%s worker %d died" % (program, pid))

        stack("db-start")
        self.stopped = False
        # The same session works again, on every worker, without a restart.
        r = self.wait_for(client, "/home", 200)
        self.assertStatus(r, 200, "no recovery within %ds" % RECOVERY_SECONDS)
        self.assertEqual(r.role(), "city")
        for _ in range(6):
            r = self.wait_for(client, "/home", 200)
            self.assertStatus(r, 200)
        self.assertStatus(self.wait_for(Client(), "/login", 200), 200)
        r = self.wait_for(Client(), "/apply/health", 200)
        self.assertStatus(r, 200)
        self.assertEqual(r.text, "ok\n")
        r = Client().login(self.account.login, self.account.password)
        self.assertStatus(r, 303)
        self.assertEqual(bgtest.worker_pids(), pids)
        p = bgtest.admin_tool("audit", "verify", check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_restart_between_requests_is_transparent(self):
        # The workers' connections die with the server; the next request on
        # each worker reconnects by itself instead of failing.
        client = bgtest.logged_in(self.account)
        pids = bgtest.worker_pids()
        for _ in range(4):
            self.assertStatus(client.get("/home"), 200)
        self.stopped = True
        stack("db-stop")
        stack("db-start")
        self.stopped = False
        for attempt in range(6):
            with self.subTest(attempt=attempt):
                r = client.get("/home")
                self.assertStatus(r, 200)
                self.assertEqual(r.role(), "city")
        self.assertRedirect(Client().login(self.account.login, self.account.password), "/home")
        self.assertEqual(bgtest.worker_pids(), pids)


    def burst_of_saves(self, round_id, n):
        """n drafts of new enterprises, each saved 10 times: jobs and the
        check of what the database kept."""
        import test_access
        from test_apply import complete_application, register
        base = dict(complete_application(), action="save")
        apps, jobs = [], []
        for _ in range(n):
            ent = register()
            app_id = test_access.start_application(ent.client, round_id)
            apps.append((ent.client, app_id))
            token = ent.client.csrf_from("/apply")
            for k in range(10):
                title = "突发保存%s第%d次" % (app_id, k)
                jobs.append(("application", app_id, title, lambda c=ent.client, a=app_id, t=title,
                             tok=token: c.post("/apply/edit", dict(base, id=a, title=t),
                                               csrf=tok, timeout=60)))

        def check(answers, mark):
            for client, app_id in apps:
                with self.subTest(application=app_id):
                    sent = [v for kind, key, v, _ in answers if key == app_id]
                    saved = [v for kind, key, v, st in answers if key == app_id and st == 303]
                    title = sql_value("SELECT title FROM application WHERE id = %s" % app_id)
                    self.assertIn(title, sent + [""])  # "": never saved
                    if saved:
                        # Not necessarily the last 303'd (saves of one draft
                        # race), but never the original once one was done.
                        self.assertIn(title, sent)
                    self.assertBetween(self.audits("application.save", app_id, mark),
                                       len(saved), len(sent))
                    # The workers serve each enterprise again, with its session.
                    self.assertStatus(self.wait_for(client, "/apply/edit?id=%s" % app_id, 200),
                                      200)
        return jobs, check

    def burst_of_scores(self, round_id, saves_each):
        """A drawn panel of 3, every member declared, each saving a draft
        score sheet saves_each times with a new first point each time."""
        import test_access
        members = [bgtest.create_account("expert", tag="burst") for _ in range(3)]
        accounts = {"panelist": members[0], "province": bgtest.province_account(),
                    "supervisor": bgtest.create_account("supervisor", tag="burst")}
        from test_apply import register
        app = int(test_access.start_application(register().client, round_id))
        sid = int(test_access.review_session(round_id, app, accounts, members))
        experts = [int(r[0]) for r in sql("SELECT expert_id FROM draw_pick WHERE session_id = %d"
                                          " ORDER BY pick_order" % sid)]
        clients, jobs = {}, []
        for eid, account in zip(experts, members):
            c = clients[eid] = bgtest.logged_in(account)
            token = c.csrf_from("/login/password")
            r = c.post("/review/declare", {"id": str(sid), "agree": "1", "conflict": "none",
                                           "password": account.password}, csrf=token)
            self.assertStatus(r, 303)
            for k in range(saves_each):
                points = str(k % 10 + 1)
                fields = {"session": str(sid), "app": str(app), "save": "1", "p1": points,
                          "c1": "突发评分%d-%d" % (eid, k)}
                jobs.append(("score", eid, fields["c1"], lambda c=c, f=fields, tok=token:
                             c.post("/review/save", f, csrf=tok, timeout=60)))

        def check(answers, mark):
            for eid, c in clients.items():
                with self.subTest(expert=eid):
                    sent = [v for kind, key, v, _ in answers if kind == "score" and key == eid]
                    saved = [v for kind, key, v, st in answers
                             if kind == "score" and key == eid and st == 303]
                    stored = sql("SELECT h.comment_1, s.halves FROM review_sheet h JOIN"
                                 " review_score s USING (session_id, application_id, expert_id)"
                                 " WHERE h.session_id = %d AND h.expert_id = %d AND"
                                 " h.application_id = %d AND s.no = 1" % (sid, eid, app))
                    if saved:
                        self.assertEqual(len(stored), 1, stored)
                    if stored:
                        # The comment and the score of one save, never mixed.
                        comment, halves = stored[0]
                        self.assertIn(comment, sent)
                        k = int(comment.rsplit("-", 1)[1])
                        self.assertEqual(int(halves), 2 * (k % 10 + 1))
                    self.assertStatus(self.wait_for(
                        c, "/review/app?session=%d&app=%d" % (sid, app), 200), 200)
            self.assertBetween(self.audits("review.save", sid, mark),
                               sum(1 for a in answers if a[0] == "score" and a[3] == 303),
                               sum(1 for a in answers if a[0] == "score"))
        return jobs, check

    def burst_of_objections(self, n):
        """A publicity open today; n objections from n visitors, each with
        its own question answered."""
        from test_publicity import objection_body, open_publicity
        pid, apps = open_publicity(self)
        jobs = []
        for k in range(n):
            c = Client()
            content = "突发异议第%d件：该企业申报的质量指标与实际不符。" % k
            body, ctype = objection_body(c, pid, apps[0], content=content)
            jobs.append(("objection", k, content, lambda c=c, b=body, t=ctype:
                         c.post("/publicity/object", body=b, content_type=t, timeout=60)))

        def check(answers, mark):
            stored = {r[0]: r[1] for r in sql("SELECT content, tracking_no FROM objection"
                                                " WHERE publicity_id = %d" % pid)}
            for kind, _, content, status in answers:
                if kind == "objection" and status == 303:
                    self.assertIn(content, stored)
            # Each one stored is whole: its tracking number and its audit record.
            for content, tracking in stored.items():
                self.assertRegex(tracking or "", r"^\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
            self.assertEqual(self.audits("publicity.objection.file", None, mark, publicity=pid),
                             len(stored))
        return jobs, check

    def audits(self, action, object_id, mark, publicity=None):
        where = "action = %s AND id > %d" % (q(action), mark)
        if object_id is not None:
            where += " AND object_id = %s" % q(str(object_id))
        if publicity is not None:
            where += " AND object_id IN (SELECT id FROM objection WHERE publicity_id = %d)" \
                % publicity
        return int(sql_value("SELECT COUNT(*) FROM audit WHERE " + where))

    def assertBetween(self, value, low, high):
        self.assertGreaterEqual(value, low)
        self.assertLessEqual(value, high)

    def test_sigkill_during_a_burst(self):
        """200 concurrent requests: application saves (12 drafts, 10 saves
        each), score sheet saves (3 panel members, 16 each) and public
        objections (32 visitors); MariaDB is SIGKILLed after the first 40
        answers and started again.  Every request got its success (303) or
        the 503 page, nothing else; the workers were not replaced; whatever
        was answered 303 is in the database, whole, with its audit record,
        and nothing is there half-written; the chain verifies."""
        import test_access
        round_id = test_access.open_round()
        saves, check_saves = self.burst_of_saves(round_id, 12)
        scores, check_scores = self.burst_of_scores(round_id, 16)
        objections, check_objections = self.burst_of_objections(32)
        jobs = interleave(saves, scores, objections)
        self.assertEqual(len(jobs), 200)
        mark = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
        pids = bgtest.worker_pids()
        with open(os.path.join(bgtest.CONFIG.run_dir, "db", "mariadbd.pid")) as f:
            db_pid = int(f.read())
        answers, lock, killed = [], threading.Lock(), threading.Event()

        def run(job):
            kind, key, value, send = job
            try:
                status = send().status
            except Exception as e:  # no answer at all: what this test is about
                status = "no answer: %r" % e
            with lock:
                answers.append((kind, key, value, status))
                if len(answers) == 40 and not killed.is_set():
                    os.kill(db_pid, signal.SIGKILL)
                    killed.set()

        self.stopped = True
        with ThreadPoolExecutor(max_workers=32) as pool:
            list(pool.map(run, jobs))
        self.assertTrue(killed.is_set(), "the burst ended before the kill")
        stack("db-start")
        self.stopped = False
        self.assertStatus(self.wait_for(Client(), "/login", 200), 200)

        statuses = {}
        for kind, _, _, status in answers:
            statuses[(kind, status)] = statuses.get((kind, status), 0) + 1
        self.assertEqual({st for _, st in statuses} - {303, 503}, set(), statuses)
        self.assertIn(303, {st for _, st in statuses}, statuses)
        self.assertIn(503, {st for _, st in statuses}, statuses)
        self.assertEqual(bgtest.worker_pids(), pids, "a worker was replaced")
        for check in (check_saves, check_scores, check_objections):
            check(answers, mark)
        p = bgtest.admin_tool("audit", "verify", check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        print("\nSIGKILL burst: %s" % ", ".join("%s %s × %d" % (k, st, v) for (k, st), v in sorted(
            statuses.items(), key=str)))


def interleave(*groups):
    """The jobs of every group mixed evenly, so that each kind meets the kill."""
    keyed = [(i / len(g), gi, job) for gi, g in enumerate(groups) for i, job in enumerate(g)]
    return [job for _, _, job in sorted(keyed, key=lambda t: (t[0], t[1]))]


if __name__ == "__main__":
    unittest.main()
