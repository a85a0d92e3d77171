"""Issue 7, section 4: a FastCGI worker that dies is replaced.  Each
program's workers run under a supervisor (multiwatch under spawn-fcgi, in
scripts/stack as in conf/systemd), which forks a new worker as soon as one
dies; the listening socket stays open meanwhile, so a request that arrives
in between waits for the new worker instead of failing.  Before this,
after two kills every /apply page answered 502 until a restart.

The tests SIGKILL all workers of every program, several times, and see
the next request of each program answered, within RECOVERY seconds; one
worker killed again and again; and `scripts/stack status` still tells the
truth."""

import os
import signal
import subprocess
import time
import unittest

import bgtest
from bgtest import Client, HARBIN

RECOVERY = 2.0  # seconds from the kill to the first good answer
ROUNDS = 3


def kill(pids):
    """SIGKILL each, and wait until each is dead (gone or a zombie).  Until
    then a dying worker blocked in accept() may still take one connection
    (the kernel hands it over before the signal is acted on), and nginx
    answers that one 502: the same as a worker that crashes mid-request."""
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while any(bgtest.pid_alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            raise AssertionError("workers %r still alive 5 s after SIGKILL" % pids)
        time.sleep(0.01)


def stack(command):
    env = dict(os.environ, BIAOGAN_RUN_DIR=bgtest.CONFIG.run_dir)
    return subprocess.run([bgtest.CONFIG.stack, command], env=env, capture_output=True,
                          text=True, timeout=120)


class SupervisionTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        bgtest.CONFIG.check("conf", "admin", "run_dir", "stack")
        cls.city = bgtest.logged_in(bgtest.create_account("city", city=HARBIN[0]))
        cls.admin = bgtest.admin_client()
        # A page of each program, answered by the program itself (not by
        # the web server, whose answer for a dead backend is 502 or 503): (client, path,
        # status, a text of the program's page).
        cls.pages = {
            "login": (Client, "/login", 200, "登录"),
            "home": (lambda: cls.city, "/home", 200, "首页"),
            "admin": (lambda: cls.admin, "/admin/users", 200, "账户管理"),
            "apply": (lambda: cls.city, "/apply/city", 200, "企业申报"),
            "files": (lambda: cls.city, "/files/download?id=0", 404, "未找到该文件"),
            "recommend": (lambda: cls.admin, "/recommend/province", 200, "推荐"),
            "experts": (lambda: cls.admin, "/experts", 200, "专家库"),
            "draw": (lambda: cls.admin, "/draw", 200, "评审会与专家抽取"),
            "review": (lambda: cls.admin, "/review", 200, "材料评审与合议"),
            "publicity": (Client, "/publicity/archive", 200, "公示公告"),
            "publish": (Client, "/publish/lists", 200, "质量标杆名单"),
            "manage": (lambda: cls.admin, "/manage", 200, "质量标杆动态管理"),
        }

    def setUp(self):
        self.workers = bgtest.worker_pids()
        self.supervisors = bgtest.supervisor_pids()
        self.assertTrue(self.workers and all(self.workers.values()), self.workers)
        for program in self.workers:
            self.assertIn(program, self.pages, "a page of program %s for this test" % program)

    def answered(self, program):
        """The program's page, asked once: the seconds its answer took.  The
        socket stays open while a worker is replaced (multiwatch holds it),
        so the request waits for the new worker rather than failing."""
        client, path, status, text = self.pages[program]
        start = time.monotonic()
        r = client().get(path, timeout=10)
        took = time.monotonic() - start
        if r.status != status or text not in r.text:
            self.fail("%s: HTTP %d after %.2fs (the web server answers 502 or 503 for a dead backend)"
                      % (program, r.status, took))
        return took

    def wait_for_workers(self, program, count, old):
        """Until program has count live workers, none of them in old."""
        deadline = time.monotonic() + RECOVERY
        while True:
            pids = bgtest.worker_pids()[program]
            if len(pids) == count and not set(pids) & set(old):
                return pids
            if time.monotonic() > deadline:
                self.fail("%s: workers %r after killing %r" % (program, pids, old))
            time.sleep(0.05)

    def test_all_workers_killed_several_times(self):
        for program in self.workers:
            self.answered(program)
        for round_ in range(ROUNDS):
            # Workers that lived a while (multiwatch counts a worker dying
            # within 1 s of its start as a failed start: see scripts/stack).
            time.sleep(1.2)
            before = bgtest.worker_pids()
            kill([pid for pids in before.values() for pid in pids])
            for program, pids in before.items():
                with self.subTest(round=round_, program=program):
                    took = self.answered(program)
                    self.assertLess(took, RECOVERY)
                    self.wait_for_workers(program, len(self.workers[program]), pids)
        # The same supervisors did it: nothing was restarted from outside.
        self.assertEqual(bgtest.supervisor_pids(), self.supervisors)
        for program, pid in self.supervisors.items():
            self.assertTrue(bgtest.pid_alive(pid), "%s: supervisor %d" % (program, pid))

    def test_one_worker_killed_again_and_again(self):
        time.sleep(1.2)
        count = len(self.workers["apply"])
        for attempt in range(5):
            victim = bgtest.worker_pids()["apply"][0]
            kill([victim])
            with self.subTest(attempt=attempt):
                self.assertLess(self.answered("apply"), RECOVERY)
                self.wait_for_workers("apply", count, [victim])
            time.sleep(0.3)
        # Every request after that succeeds, on whichever worker.
        for _ in range(2 * count):
            self.assertStatus(self.city.get("/apply/city"), 200)

    def test_status_tells_the_new_workers(self):
        before = bgtest.worker_pids()["home"]
        kill(before)
        self.answered("home")
        after = self.wait_for_workers("home", len(before), before)
        p = stack("status")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        line = [x for x in p.stdout.splitlines() if x.startswith("fcgi") and " home:" in x]
        self.assertEqual(len(line), 1, p.stdout)
        for pid in after:
            self.assertIn(str(pid), line[0])
        self.assertIn("multiwatch pid %d" % self.supervisors["home"], line[0])


if __name__ == "__main__":
    unittest.main()
