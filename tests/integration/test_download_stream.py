"""Issue 7, section 4: a download is streamed, one 1 MiB chunk row at a time
from the database to the client, so the worker that serves a 20 MiB file
stays small; the answer still carries the security headers (each once,
Cache-Control too), its Content-Length, and the "attachment.download" audit
record is written before the first byte.  The served name's extension is
the verified type's, whatever the uploader called the file.

Memory is read from /proc/<pid>/status of every worker of the files program
(whichever serves the request is among them): the peak is reset first
(writing 5 to /proc/<pid>/clear_refs), so the test measures what this one
download adds, VmHWM after minus VmRSS before, and holds with the ASan
build of the test stack (whose RSS is larger, but whose increase is not:
nothing per chunk is allocated and freed, which ASan's quarantine would
keep).  With a build without sanitizers the serving worker's peak must also
stay under 16 MiB in all."""

import hashlib
import http.client
import os
import urllib.parse

import bgtest
from bgtest import q, sql_value
from test_apply import ApplyTestCase, make_pdf, open_round, register, upload

MiB = 1024 * 1024
# What streaming may add to a worker's peak for a 20 MiB file: about two
# chunks (the connection's packet buffer and the one reused chunk buffer).
# Holding the file whole, as before, adds more than the file's 20 MiB.
MAX_INCREASE = 8 * MiB
MAX_PEAK = 16 * MiB


def status_kib(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise AssertionError("no %s in /proc/%d/status" % (key, pid))


def reset_peak(pid):
    with open("/proc/%d/clear_refs" % pid, "w") as f:
        f.write("5")


def sanitized(pid):
    """Was the worker built with AddressSanitizer (the test stack's build)?"""
    with open("/proc/%d/exe" % pid, "rb") as f:
        return b"__asan_init" in f.read()


class DownloadStreamTest(ApplyTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = open_round()
        cls.max_bytes = int(bgtest.read_conf().get("upload_max_bytes", 20 * MiB))

    def big_file(self):
        """An enterprise's 20 MiB PDF (or the configured limit): (ent, id, bytes)."""
        ent = register()
        app_id = self.start(ent, self.round_id)
        data = make_pdf("20 MiB", pad=min(self.max_bytes, 20 * MiB) - 1024)
        self.assertLessEqual(len(data), self.max_bytes)
        self.assertStatus(upload(ent.client, app_id, "supporting", "大文件.pdf", data), 303)
        file_id = int(sql_value("SELECT id FROM attachment WHERE application_id = %d" % app_id))
        return ent, file_id, data

    def test_a_20_mib_download_keeps_the_worker_small(self):
        ent, file_id, data = self.big_file()
        pids = bgtest.worker_pids()["files"]
        self.assertTrue(pids)
        before = {}
        for pid in pids:
            reset_peak(pid)
            before[pid] = status_kib(pid, "VmRSS") * 1024
        r = ent.client.get("/files/download?id=%d" % file_id)
        self.assertStatus(r, 200)
        self.assertEqual(len(r.body), len(data))
        self.assertEqual(hashlib.sha256(r.body).digest(), hashlib.sha256(data).digest())
        self.assertEqual(r.headers.get("Content-Length"), str(len(data)))
        increase = {pid: status_kib(pid, "VmHWM") * 1024 - before[pid] for pid in pids}
        server = max(increase, key=increase.get)
        self.assertLess(increase[server], MAX_INCREASE,
                        "worker %d grew by %.1f MiB for a %.1f MiB download (all: %r)"
                        % (server, increase[server] / MiB, len(data) / MiB, increase))
        if not sanitized(server):
            peak = status_kib(server, "VmHWM") * 1024
            self.assertLess(peak, MAX_PEAK, "worker %d peaked at %.1f MiB" % (server, peak / MiB))

    def test_headers_once_and_audit_before_the_bytes(self):
        ent, file_id, data = self.big_file()
        u = urllib.parse.urlsplit(bgtest.CONFIG.base_url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        try:
            conn.request("GET", "/files/download?id=%d" % file_id,
                         headers={"Cookie": "%s=%s" % (bgtest.SESSION_COOKIE,
                                                       ent.client.session_token())})
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            # The headers are here, most of the body is not read yet: the
            # download's audit record is there already.
            self.assertEqual(sql_value(
                "SELECT COUNT(*) FROM audit WHERE action = 'attachment.download' AND object_id = %s"
                % q(str(file_id))), "1")
            headers = resp.getheaders()
            first = resp.read(MiB)
            rest = resp.read()
        finally:
            conn.close()
        self.assertEqual(first + rest, data)
        names = [k.lower() for k, _ in headers]
        for name in ("cache-control", "content-length", "content-type", "content-disposition",
                     "content-security-policy", "x-frame-options", "x-content-type-options",
                     "referrer-policy"):
            self.assertEqual(names.count(name), 1, "%s: %r" % (name, headers))
        h = dict((k.lower(), v) for k, v in headers)
        self.assertEqual(h["cache-control"], "no-store")
        self.assertEqual(h["content-length"], str(len(data)))
        self.assertEqual(h["content-type"], "application/pdf")
        self.assertEqual(h["x-content-type-options"], "nosniff")
        # HEAD: the same headers, no body, and one more audit record.
        head = ent.client.request("HEAD", "/files/download?id=%d" % file_id)
        self.assertStatus(head, 200)
        self.assertEqual(head.body, b"")
        self.assertEqual(head.headers.get("Content-Length"), str(len(data)))

    def test_served_name_follows_the_real_type(self):
        ent = register()
        app_id = self.start(ent, self.round_id)
        pdf = make_pdf("poly")
        self.assertStatus(upload(ent.client, app_id, "experience", "poly.html", pdf,
                                 "text/html"), 303)
        file_id = int(sql_value("SELECT id FROM attachment WHERE application_id = %d" % app_id))
        # Stored as named, served as what it is.
        self.assertEqual(sql_value("SELECT original_name FROM attachment WHERE id = %d" % file_id),
                         "poly.html")
        r = ent.client.get("/files/download?id=%d" % file_id)
        self.assertStatus(r, 200)
        self.assertEqual(r.body, pdf)
        self.assertEqual(r.headers["Content-Disposition"],
                         "attachment; filename=\"poly.pdf\"; filename*=UTF-8''poly.pdf")
        self.assertNotIn("html", r.headers["Content-Disposition"])


if __name__ == "__main__":
    import unittest
    unittest.main()
