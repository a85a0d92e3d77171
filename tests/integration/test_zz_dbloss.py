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
            ("login form", lambda: Client().get("/login")),
            ("login", lambda: Client().login(self.account.login, self.account.password)),
            ("password form", lambda: client.get("/login/password")),
            ("admin", lambda: client.get("/admin/users")),
            ("post", lambda: client.post("/login/logout", {"csrf": "0" * 64})),
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


    def test_sigkill_during_a_burst_of_saves(self):
        """200 concurrent application saves (20 enterprises, 10 each, every one
        with its own title); MariaDB is SIGKILLed after the first 40 answers
        and started again.  Every request got 303 (saved) or the 503 page,
        nothing else; the workers were not replaced; every application's
        title is one that was sent, a saved one wherever a save was answered
        303, and each 303 has its audit record; the chain verifies."""
        import test_access
        from test_apply import complete_application, register
        round_id = test_access.open_round()
        apps = []
        for _ in range(20):
            ent = register()
            app_id = test_access.start_application(ent.client, round_id)
            apps.append((ent.client, app_id, ent.client.csrf_from("/apply")))
        base = dict(complete_application(), action="save")
        mark = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
        pids = bgtest.worker_pids()
        with open(os.path.join(bgtest.CONFIG.run_dir, "db", "mariadbd.pid")) as f:
            db_pid = int(f.read())
        answers, lock, killed = [], threading.Lock(), threading.Event()

        def save(job):
            client, app_id, token, title = job
            try:
                r = client.post("/apply/edit", dict(base, id=app_id, title=title), csrf=token,
                                timeout=60)
                status = r.status
            except Exception as e:  # no answer at all: what this test is about
                status = "no answer: %r" % e
            with lock:
                answers.append((app_id, title, status))
                if len(answers) == 40 and not killed.is_set():
                    os.kill(db_pid, signal.SIGKILL)
                    killed.set()

        jobs = [(c, app_id, token, "突发保存%s第%d次" % (app_id, k))
                for k in range(10) for c, app_id, token in apps]
        self.stopped = True
        with ThreadPoolExecutor(max_workers=32) as pool:
            list(pool.map(save, jobs))
        self.assertTrue(killed.is_set(), "the burst ended before the kill")
        stack("db-start")
        self.stopped = False
        self.assertStatus(self.wait_for(Client(), "/login", 200), 200)

        statuses = {}
        for _, _, status in answers:
            statuses[status] = statuses.get(status, 0) + 1
        self.assertEqual(set(statuses) - {303, 503}, set(), statuses)
        self.assertIn(303, statuses, statuses)
        self.assertIn(503, statuses, statuses)
        self.assertEqual(bgtest.worker_pids(), pids, "a worker was replaced")
        for client, app_id, _ in apps:
            with self.subTest(application=app_id):
                sent = [t for a, t, _ in answers if a == app_id]
                saved = [t for a, t, st in answers if a == app_id and st == 303]
                title = sql_value("SELECT title FROM application WHERE id = %s" % app_id)
                self.assertIn(title, sent + [base["title"]])
                if saved:
                    # Not necessarily the last 303'd (saves of one draft race),
                    # but never an unsaved original once a save was answered.
                    self.assertIn(title, sent)
                records = int(sql_value("SELECT COUNT(*) FROM audit WHERE action = "
                                        "'application.save' AND object_id = %s AND id > %d"
                                        % (q(app_id), mark)))
                # A 503 may still have committed (the kill fell after the
                # commit, before its answer): at least, never fewer.
                self.assertGreaterEqual(records, len(saved))
                self.assertLessEqual(records, len(sent))
                # The workers serve each enterprise again, with its session.
                self.assertStatus(self.wait_for(client, "/apply/edit?id=%s" % app_id, 200), 200)
        p = bgtest.admin_tool("audit", "verify", check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        print("\nSIGKILL burst: %s" % ", ".join("%s × %d" % (k, v) for k, v in sorted(
            statuses.items(), key=str)))


if __name__ == "__main__":
    unittest.main()
