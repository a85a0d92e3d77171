"""Memory stays flat: every program's workers answer 10,000 mixed requests
(every page of the access table that a role may read, as each role, in turn,
refusals included) and their resident memory is measured before and after.
A leak, or a cache that grows with the requests, shows as growth.

Runs against the plain build (scripts/test restarts the programs from .build
for it): under AddressSanitizer freed memory is held in quarantine, so RSS
grows whatever the programs do.  BIAOGAN_SOAK_REQUESTS sets the number per
program (a longer soak: docs/testing.md), BIAOGAN_SOAK_PROGRAMS which ones."""

import os
import sys
import threading
import time
import unittest
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import bgtest  # noqa: E402
import test_access  # noqa: E402
from bgtest import Client  # noqa: E402

REQUESTS = int(os.environ.get("BIAOGAN_SOAK_REQUESTS", "10000"))
ONLY = set(os.environ.get("BIAOGAN_SOAK_PROGRAMS", "").split())  # to look at one or two
WARMUP = 300
# Allowed growth per worker: malloc's arenas and the connector's buffers
# settle within the warm-up; a leak of even 100 bytes a request is 1 MiB here.
SLACK_KIB = 768
THREADS = 4


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for %d" % pid)


def program_of(path):
    first = path.strip("/").split("/")[0]
    return first if first in PROGRAMS else "home"


PROGRAMS = set()


class RssTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        PROGRAMS.update(bgtest.worker_pids())
        test_access.AccessTableTest.setUpClass()
        cls.fx = test_access.AccessTableTest("test_every_cell")

    def requests_by_program(self):
        """{program: [(role, url)]}: every GET of the table for every role
        (the forced-change account's answers are all the same page; the
        "fresh" rows change their session and are left out)."""
        out = {}
        for row in self.fx.table:
            if row.method != "GET" or "fresh" in row.flags:
                continue
            for role in test_access.ROLES:
                if role == "forced":
                    continue
                client = self.fx.clients.get(role) or Client()
                url = self.fx.subst(row.url, client)
                out.setdefault(program_of(urllib.parse.urlsplit(url).path), []).append((role, url))
        return out

    def soak(self, requests, n):
        """n requests cycling through requests, THREADS at a time, each
        thread with its own clients on the fixtures' sessions."""
        local = threading.local()

        def client(role):
            if not hasattr(local, "clients"):
                local.clients = {}
            if role not in local.clients:
                c = Client()
                source = self.fx.clients.get(role)
                if source is not None:
                    c.set_session_token(source.session_token())
                local.clients[role] = c
            return local.clients[role]

        statuses = {}

        def one(i):
            role, url = requests[i % len(requests)]
            st = client(role).get(url, timeout=60).status
            statuses[st] = statuses.get(st, 0) + 1
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            list(pool.map(one, range(n)))
        return statuses

    def test_rss_flat_over_many_requests(self):
        by_program = self.requests_by_program()
        self.assertEqual(sorted(by_program), sorted(PROGRAMS))
        report = []
        for program in sorted(by_program):
            if ONLY and program not in ONLY:
                continue
            with self.subTest(program=program):
                pids = bgtest.worker_pids()[program]
                # Every page several times first, so that each worker has met
                # the largest (an export's buffers stay in malloc's arenas).
                self.soak(by_program[program], max(WARMUP, 3 * len(by_program[program])))
                before = {pid: rss_kib(pid) for pid in pids}
                started = time.monotonic()
                statuses = self.soak(by_program[program], REQUESTS)
                took = time.monotonic() - started
                self.assertEqual(bgtest.worker_pids()[program], pids, "a worker was replaced")
                after = {pid: rss_kib(pid) for pid in pids}
                self.assertNotIn(502, statuses)
                self.assertNotIn(500, statuses)
                growth = {pid: after[pid] - before[pid] for pid in pids}
                report.append("%s %s→%s KiB (%d req/s)" % (
                    program, "/".join(str(before[p]) for p in pids),
                    "/".join(str(after[p]) for p in pids), REQUESTS / took))
                for pid, kib in growth.items():
                    self.assertLessEqual(kib, SLACK_KIB, "%s worker %d grew %d KiB over %d"
                                         " requests (%s)" % (program, pid, kib, REQUESTS,
                                                             statuses))
        print("\nRSS over %d requests per program: %s" % (REQUESTS, "; ".join(report)))


if __name__ == "__main__":
    unittest.main()
