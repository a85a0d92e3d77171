"""A database stopped mid-test gives 503 pages, no worker dies, and the
programs recover when it returns.  Runs last (the name sorts last): it stops
the stack's MariaDB and always starts it again."""

import os
import subprocess
import time
import unittest

import bgtest
from bgtest import Client

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


if __name__ == "__main__":
    unittest.main()
