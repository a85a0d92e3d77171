"""Hostile requests are refused whole before any handler runs (invalid
UTF-8, broken escapes, oversized bodies, too many fields), and every answer
of the programs carries the security headers."""

import json
import unittest

import bgtest
from bgtest import Client, raw_request

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class RequestLimitsTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        conf = bgtest.read_conf()
        cls.max_body = int(conf.get("max_body_bytes", 1 << 20))
        cls.max_fields = int(conf.get("max_fields", 200))
        cls.max_field_bytes = int(conf.get("max_field_bytes", 64 * 1024))
        cls.account = bgtest.create_account("enterprise")
        cls.client = bgtest.logged_in(cls.account)

    def login_attempts(self):
        return bgtest.sql_value("SELECT COUNT(*) FROM audit WHERE login = %s"
                                % bgtest.q(self.account.login))

    def test_invalid_utf8_in_body(self):
        before = self.login_attempts()
        bodies = [
            b"login=%C0%80&password=x",           # overlong NUL
            b"login=%FF&password=x",               # never valid
            b"login=%ED%A0%80&password=x",         # a UTF-16 surrogate
            b"login=%E4%B8&password=x",            # truncated sequence
            b"login=%F4%90%80%80&password=x",      # above U+10FFFF
            b"login=\xff\xfe&password=x",          # raw bytes, not escaped
            b"login=" + self.account.login.encode() + b"&password=%C0%80",
            b"login=" + self.account.login.encode() + b"&password=%00",  # NUL byte
            b"%FF=1&login=x&password=y",           # in a field name
        ]
        for body in bodies:
            with self.subTest(body=body):
                r = raw_request("POST", "/login", body, FORM)
                self.assertStatus(r, 400)
                self.assertSecurityHeaders(r, "400")
                self.assertIn("zh-CN", r.text)
        # Refused before the login was even tried.
        self.assertEqual(self.login_attempts(), before)

    def test_invalid_utf8_in_query(self):
        for query in ("next=%C0%80", "next=%FF", "x=%E4%B8"):
            with self.subTest(query=query):
                self.assertStatus(raw_request("GET", "/login?" + query), 400)

    def test_broken_percent_encoding(self):
        for body in (b"login=%G1&password=x", b"login=%4&password=x", b"login=abc%"):
            with self.subTest(body=body):
                self.assertStatus(raw_request("POST", "/login", body, FORM), 400)

    def test_valid_utf8_is_fine(self):
        # Chinese in a field is ordinary input: the login fails as a login.
        r = Client().login("黑龙江", "x")
        self.assertIn(r.status, (401, 422))
        # Without the form's token it is refused as a forgery, still not as bad input.
        r = raw_request("POST", "/login", "login=%E9%BB%91%E9%BE%99%E6%B1%9F&password=x"
                        .encode(), FORM)
        self.assertStatus(r, 403)

    def test_oversized_body(self):
        size = self.max_body + 1
        body = b"login=x&password=" + b"a" * (size - len(b"login=x&password="))
        r = raw_request("POST", "/login", body, FORM)
        self.assertStatus(r, 413)
        self.assertSecurityHeaders(r, "413")
        # On an authenticated page too, before any CSRF or handler work.
        r = self.client.post("/login/logout", body=b"csrf=" + b"0" * (size - 5))
        self.assertStatus(r, 413)
        self.assertStatus(self.client.get("/home"), 200)
        # Without a Content-Length (chunked), the limit holds while reading.
        chunks = (b"a" * 65536 for _ in range(size // 65536 + 1))
        r = raw_request("POST", "/login", (c for c in [b"pad="] + list(chunks)), FORM,
                        chunked=True)
        self.assertStatus(r, 413)
        # Just under the limit is not refused for its size (but for its
        # missing pre-session token).
        body = b"login=x&password=y&pad=" + b"a" * 1000
        self.assertIn(raw_request("POST", "/login", body, FORM).status, (401, 403, 422))

    def test_too_many_fields(self):
        body = "&".join("f%d=1" % i for i in range(self.max_fields + 1)).encode()
        r = raw_request("POST", "/login", body, FORM)
        self.assertStatus(r, 400)
        self.assertSecurityHeaders(r, "too many fields")
        query = "&".join("q%d=1" % i for i in range(self.max_fields + 1))
        r = raw_request("GET", "/login?" + query)
        self.assertStatus(r, 400)
        # Many repeated names count too.
        body = b"&".join([b"a=1"] * (self.max_fields + 1))
        self.assertStatus(raw_request("POST", "/login", body, FORM), 400)

    def test_field_too_long(self):
        body = b"login=x&password=" + b"a" * (self.max_field_bytes + 1)
        self.assertStatus(raw_request("POST", "/login", body, FORM), 400)

    def test_other_body_types_are_not_forms(self):
        # A body that is not application/x-www-form-urlencoded is not read as
        # fields by these programs: even right credentials do not log in.
        body = json.dumps({"login": self.account.login, "password": self.account.password})
        for ctype in ("application/json", "text/plain", "multipart/form-data; boundary=x"):
            with self.subTest(ctype):
                c = Client()
                r = c.post("/login", body=body.encode(), content_type=ctype)
                self.assertIn(r.status, (400, 415, 422))
                self.assertIsNone(c.session_token())
                self.assertSecurityHeaders(r, ctype)

    def test_security_headers_everywhere(self):
        anon = Client()
        admin = bgtest.admin_client()
        cases = [
            ("login form", anon.get("/login"), 200),
            ("redirect", anon.get("/home"), 303),
            ("wrong password", anon.login(self.account.login, "Nope#12345"), 401),
            ("missing fields", anon.post("/login", {bgtest.PRE_FIELD: anon.fetch_pre_token()}),
             422),
            ("no form token", anon.post("/login", {}), 403),
            ("home", self.client.get("/home"), 200),
            ("forbidden", self.client.get("/admin/users"), 403),
            ("csrf", self.client.post("/login/logout", {}), 403),
            ("program 404", admin.get("/admin/nosuch"), 404),
            ("unknown account", admin.get("/admin/user?id=999999999999"), 404),
            ("405", anon.get("/admin/user/unlock"), 405),
            ("admin list", admin.get("/admin/users"), 200),
            ("audit log", admin.get("/admin/audit"), 200),
            ("bad audit filter", admin.get("/admin/audit?from=2026-02-30"), 422),
            ("HEAD", anon.request("HEAD", "/login"), 200),
        ]
        for label, r, status in cases:
            with self.subTest(label):
                self.assertStatus(r, status)
                self.assertSecurityHeaders(r, label)
                self.assertEqual(r.headers.get("X-Frame-Options"), "DENY")
                self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")
                self.assertIn("text/html", r.headers.get("Content-Type", ""))
                self.assertIn("charset=utf-8", r.headers.get("Content-Type", "").lower())

    def test_head_has_no_body(self):
        r = Client().request("HEAD", "/login")
        self.assertStatus(r, 200)
        self.assertEqual(r.body, b"")

    def test_security_headers_on_the_web_servers_own_pages(self):
        # The web server answers paths outside the programs itself (nginx:
        # "location / { return 404; }"; Apache: no file, or a file of htdocs
        # outside /static/): the server-level headers cover them.
        for path in ("/no-such-program", "/style.css", "/static/"):
            with self.subTest(path):
                r = raw_request("GET", path)
                # The directory /static/ is no page: nginx says 403, Apache 404.
                self.assertIn(r.status, (404, 403) if path.endswith("/") else (404,))
                self.assertSecurityHeaders(r, bgtest.CONFIG.web_server + " 404")


if __name__ == "__main__":
    unittest.main()
