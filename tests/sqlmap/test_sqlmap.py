"""sqlmap against every form of the running test stack.

The targets are found, not listed by hand:
  - every form on every page the access table says a role may read (GET as
    that role, the <form>s parsed: method, action, enctype, every named
    input, select, textarea and button with its value), and
  - every POST route of the access table, sent as the first role the table
    lets through to the handler (not refused with 403 or a login redirect),
    its fields those of the form found for it, with the table's values
    (ids of throwaway or missing objects) in place of the page's, so that
    sqlmap's repeats of the original request cannot end a live session or
    disable a live account,
  - every GET route with a query string, and the request headers and cookies
    that the programs read (User-Agent, Referer, the session cookie).
Authenticated targets carry a session cookie of their own and the session's
CSRF token; the token, the pre-session token and the session cookie are left
out of the injection points except in the header target.

Each target gets a baseline request first (it must reach the handler: not a
403 for the token, not a login redirect, not a 429, not a 5xx) and a check
afterwards that its session is still alive.  The suite fails on any finding
sqlmap reports, on any 5xx sqlmap saw (a database error surfacing), and on
any 403/429 it saw (its requests did not reach the handler).

Bounded: level 1, risk 1, techniques B, E, U (boolean, error, union), 3
sqlmap processes at a time: a few minutes.  BIAOGAN_SQLMAP_LONG=1 runs level
3, risk 2 with stacked, time-based and inline queries too (docs/testing.md)."""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import bgtest  # noqa: E402
import test_access  # noqa: E402
from bgtest import Client  # noqa: E402

SQLMAP = shutil.which("sqlmap")
LONG = os.environ.get("BIAOGAN_SQLMAP_LONG") == "1"
PARALLEL = int(os.environ.get("BIAOGAN_SQLMAP_PARALLEL", "3"))
LEVEL_ARGS = (["--level", "3", "--risk", "2", "--technique", "BEUSTQ", "--time-sec", "2"]
              if LONG else ["--level", "1", "--risk", "1", "--technique", "BEU"])
TARGET_TIMEOUT = 1800 if LONG else 300  # seconds per sqlmap process
# Never injection points: the tokens (a changed one is refused before any
# SQL, which would only hide the parameters behind it).
TOKENS = {"csrf", bgtest.PRE_FIELD}
# Routes that end the session they are sent in (their own tests cover them).
ENDS_SESSION = {"/login/logout"}
# The public forms counted per address and hour (core/pubguard.h): the
# count is cleared before each of them, as test_publicity does.
RATE_LIMITED = {"/publicity/object": "objection", "/publicity/track": "lookup"}
# What sqlmap prints when it has found something.
FINDINGS = ("identified the following injection point", "is vulnerable",
            "might be injectable", "appears to be injectable",
            "back-end DBMS is", "the back-end DBMS is")
CLEAN = "all tested parameters do not appear to be injectable"
HTTP_CODE = re.compile(r"^(\d{3}) \([^)]*\) - (\d+) times", re.M)
REFUSED = {"403", "429"}
NEVER = ("login", "passwd")
# Pages whose forms show only after a step the access table's fixture does
# not take (setUpClass takes it): the scoring form, once declared.
EXTRA_PAGES = (("panelist", "/review/app?session={review}&app={review_app}"),)


class Target:
    """One request for sqlmap: method, url (path and query), the body fields
    as (name, value) pairs with the files as (name, filename), the role that
    sends it, and where it came from (for the report)."""

    def __init__(self, method, url, fields, files, multipart, role, origin):
        self.method = method
        self.url = url
        self.fields = fields
        self.files = files
        self.multipart = multipart
        self.role = role
        self.origin = origin
        self.headers_only = False

    @property
    def path(self):
        return urllib.parse.urlsplit(self.url).path

    def params(self):
        """The names sqlmap tests."""
        if self.headers_only:
            return ["User-Agent", "Referer", bgtest.SESSION_COOKIE]
        q = [k for k, _ in urllib.parse.parse_qsl(urllib.parse.urlsplit(self.url).query,
                                                  keep_blank_values=True)]
        names = q + [k for k, _ in self.fields] + [k for k, _ in self.files]
        return [n for n in dict.fromkeys(names) if n not in TOKENS]

    def __repr__(self):
        return "%s %s as %s (%s)" % (self.method, self.url, self.role, self.origin)


class FormParser(HTMLParser):
    """The <form>s of a page, each with the fields inside it, in order."""

    FIELDS = ("input", "select", "textarea", "button", "option")

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.forms = []  # [(form attrs, [(tag, attrs, text)])]
        self.current = None
        self.text_of = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.current = (dict(attrs), [])
            self.forms.append(self.current)
        elif self.current is not None and tag in self.FIELDS:
            self.text_of = [tag, dict(attrs), ""]
            self.current[1].append(self.text_of)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        if tag in ("textarea", "option", "button"):
            self.text_of = None

    def handle_data(self, data):
        if self.text_of is not None and self.text_of[0] in ("textarea", "option"):
            self.text_of[2] += data


def form_targets(html, role, origin):
    """The forms of a page as Targets: each named field with the value a
    browser would send (a select's selected or first option, a checkbox's
    value, a named button's value)."""
    out = []
    for attrs, elements in FormParser(html).forms:
        method = (attrs.get("method") or "get").upper()
        action = attrs.get("action") or ""
        if not action.startswith("/"):
            continue
        multipart = (attrs.get("enctype") or "").lower() == "multipart/form-data"
        fields, files, select, pressed = [], [], None, False
        for tag, a, text in elements:
            name = a.get("name")
            if tag == "option":
                if select is not None and (select[1] is None or "selected" in a):
                    value = a.get("value", text.strip())
                    if value:
                        select[1] = value
                continue
            select = None
            if not name:
                continue
            kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
            if tag == "select":
                select = [name, None]
                fields.append(select)
            elif kind == "file":
                files.append((name, ""))
            elif kind in ("submit", "button", "image"):
                # a browser sends the button clicked: the first one
                if a.get("value") is not None and not pressed:
                    fields.append([name, a["value"]])
                    pressed = True
            elif kind in ("checkbox", "radio"):
                if a.get("value") is not None and not any(n == name for n, _ in fields):
                    fields.append([name, a["value"]])
            elif (kind == "number" or a.get("inputmode") in ("numeric", "decimal")) \
                    and not a.get("value"):
                fields.append([name, a.get("min") or "1"])  # a plausible entry
            elif kind == "reset":
                continue
            elif tag == "textarea":
                fields.append([name, text])
            else:
                fields.append([name, a.get("value", "")])
        fields = [(n, v or "") for n, v in fields]
        out.append(Target(method, action, fields, files, multipart, role, origin))
    return out


def template_forms():
    """{path: [Target]} of the POST forms in htdocs/templates, the values
    that the renderer fills in left empty, the names it fills in left out."""
    out = {}
    tdir = os.path.join(bgtest.SRC_DIR, "htdocs", "templates")
    for name in sorted(os.listdir(tdir)):
        with open(os.path.join(tdir, name), encoding="utf-8") as f:
            text = f.read()
        for t in form_targets(text, None, "form in " + name):
            if t.method != "POST" or "{{" in t.url:
                continue
            t.fields = [(k, "" if "{{" in v else v) for k, v in t.fields if "{{" not in k]
            t.files = [(k, v) for k, v in t.files if "{{" not in k]
            out.setdefault(t.path, []).append(t)
    return out


TEMPLATE_FORMS = template_forms()


def reaching_role(row):
    """The role whose cell of row goes furthest into the handler (a success
    before a 422, before a 409, before a 404; never a refusal: a 403, a
    login redirect, the forced password change); public first on a tie."""
    def depth(cell):
        status = cell[:3]
        return {"200": 0, "303": 0, "422": 1, "409": 2, "404": 3}.get(status, 4)
    roles = [r for r in ("public",) + test_access.ROLES[1:] if r != "forced"
             and row.cells[r] not in NEVER and not row.cells[r].startswith("403")]
    return min(roles, key=lambda r: depth(row.cells[r])) if roles else None


def request_file(target, client, base_url):
    """The raw HTTP request of target as sqlmap's -r file reads it (bytes)."""
    u = urllib.parse.urlsplit(base_url)
    cookies = "; ".join("%s=%s" % (c.name, c.value) for c in client.jar)
    lines = ["%s %s HTTP/1.1" % (target.method, target.url),
             "Host: %s" % u.netloc,
             "User-Agent: Mozilla/5.0 (X11; Linux x86_64) biaogan-sqlmap",
             "Referer: %s%s" % (base_url, target.path),
             "Accept: text/html"]
    if cookies:
        lines.append("Cookie: " + cookies)
    body = b""
    if target.method == "POST":
        if target.multipart:
            files = [(n, fn, b"", "application/octet-stream") for n, fn in target.files]
            body, ctype = test_access.multipart(files, target.fields)
        else:
            body = urllib.parse.urlencode(target.fields).encode("ascii")
            ctype = "application/x-www-form-urlencoded"
        lines.append("Content-Type: " + ctype)
        lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


def sqlmap_problems(request, params, out_dir, what, extra=(), dbms="MySQL"):
    """Run sqlmap on the request file for params; [what is wrong] (empty
    when it tested every parameter and found nothing).  Its output goes to
    out_dir + ".log"."""
    args = [SQLMAP, "-r", request, "--batch", "--ignore-stdin", "--dbms", dbms,
            "--output-dir", out_dir, "--flush-session", "--disable-coloring",
            "--drop-set-cookie", "--skip-waf", "--threads", "1",
            # a missing object (404), a wrong password (401) are answers
            "--ignore-code", "401,404"] + LEVEL_ARGS + list(extra) + ["-p", ",".join(params)]
    try:
        p = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=TARGET_TIMEOUT)
    except subprocess.TimeoutExpired:
        return ["sqlmap did not finish in %d s" % TARGET_TIMEOUT]
    out = p.stdout.decode("utf-8", "replace")
    with open(out_dir + ".log", "w", encoding="utf-8") as f:
        f.write("%s\n%s\n%s" % (what, " ".join(args), out))
    problems = []
    found = [line for line in out.splitlines() if any(s in line for s in FINDINGS)]
    if found:
        problems.append("sqlmap reports: " + " | ".join(found[:5]))
    codes = {code: int(times) for code, times in HTTP_CODE.findall(out)}
    bad = {c: t for c, t in codes.items() if c.startswith("5") or c in REFUSED}
    if bad:
        problems.append("HTTP answers during the run: %s" % ", ".join(
            "%s ×%d" % ct for ct in sorted(bad.items())))
    if not found and CLEAN not in out:
        tail = [line for line in out.splitlines() if "[CRITICAL]" in line or "[ERROR]" in line]
        problems.append("sqlmap did not finish cleanly (exit %d): %s"
                        % (p.returncode, " | ".join(tail[-3:]) or out[-300:]))
    return problems


class InjectableHandler(BaseHTTPRequestHandler):
    """The canary: a page that pastes its parameter into SQL (SQLite), as
    no program of ours may; the suite's reading of sqlmap must catch it."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        fields = urllib.parse.parse_qs(self.rfile.read(length).decode())
        db = sqlite3.connect(":memory:")
        db.execute("CREATE TABLE item (id INTEGER, name TEXT)")
        db.executemany("INSERT INTO item VALUES (?, ?)", [(i, "item %d" % i) for i in range(1, 9)])
        try:
            rows = db.execute("SELECT name FROM item WHERE id = " + fields.get("id", [""])[0]
                              ).fetchall()  # the bug on purpose
            status, body = 200, "<ul>%s</ul>" % "".join("<li>%s</li>" % r for r, in rows)
        except sqlite3.Error:
            status, body = 200, "<p>没有找到</p>"
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class SqlmapTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not SQLMAP:
            return
        test_access.AccessTableTest.setUpClass()
        cls.fx = test_access.AccessTableTest("test_every_cell")
        # The panelist signs the declaration, so that the scoring form shows.
        fx = cls.fx
        r = fx.clients["panelist"].post("/review/declare", {
            "id": fx.values["review"], "agree": "1", "conflict": "none",
            "password": bgtest.PASSWORD}, csrf=fx.tokens["panelist"])
        if r.status != 303:
            raise AssertionError("the panelist's declaration: HTTP %d %s"
                                 % (r.status, r.error_summary()))
        cls.base_url = bgtest.CONFIG.base_url.rstrip("/")
        cls.lock = threading.Lock()

    def setUp(self):
        if not SQLMAP:
            bgtest.allowed_skip(self, "tool", "sqlmap is not installed (scripts/install-deps)")

    # --- the targets ----------------------------------------------------------------

    def discovered_forms(self):
        """{(method, path): [Target]} from every page each role may read."""
        found, pages = {}, []
        for row in self.fx.table:
            if row.method != "GET" or "fresh" in row.flags:
                continue
            for role in test_access.ROLES:
                if role == "forced" or not row.cells[role].startswith("200"):
                    continue
                client = self.fx.clients.get(role) or Client()
                r = client.get(self.fx.subst(row.url, client))
                if r.status != 200 or "html" not in (r.headers.get("Content-Type") or ""):
                    continue
                pages.append((role, row.url, r.text))
        for role, url in EXTRA_PAGES:
            client = self.fx.clients[role]
            r = client.get(self.fx.subst(url, client))
            self.assertEqual(r.status, 200, "%s as %s" % (url, role))
            pages.append((role, url, r.text))
        for role, url, text in pages:
            for t in form_targets(text, role, "form on %s" % url):
                found.setdefault((t.method, urllib.parse.urlsplit(t.url).path), []).append(t)
        return found

    def targets(self):
        forms = self.discovered_forms()
        out, seen = [], set()

        def add(t):
            # a GET form once (whoever sees it), a POST per role and url
            key = (t.method, t.url if t.method == "POST" else t.path, t.multipart,
                   t.role if t.method == "POST" else "", tuple(sorted(t.params())))
            if key in seen or not t.params() or t.path in ENDS_SESSION:
                return
            seen.add(key)
            out.append(t)

        # POST routes of the table, with the fields of their forms.
        for row in self.fx.table:
            if row.method != "POST":
                continue
            role = reaching_role(row)
            if role is None:
                continue
            client = self.fx.clients.get(role) or Client()
            body = self.fx.subst(row.body or "", client)
            multipart = body.startswith("multipart:")
            table = urllib.parse.parse_qsl(body[len("multipart:"):] if multipart else body,
                                           keep_blank_values=True)
            table_fields = [(k, v) for k, v in table if not v.startswith("@")]
            table_files = [(k, v[1:]) for k, v in table if v.startswith("@")]
            candidates = [t for t in forms.get(("POST", row.path), []) if t.multipart == multipart]
            # a form the fixture's pages do not show (an empty list has no
            # remove buttons): its fields as the template names them
            candidates = candidates or [t for t in TEMPLATE_FORMS.get(row.path, [])
                                        if t.multipart == multipart]
            form = next((t for t in candidates if t.role == role), candidates[0] if candidates else None)
            fields = list(form.fields) if form else []
            files = list(form.files) if form else []
            # the table's values win: they name throwaway or missing objects
            override = dict(table_fields)
            fields = [(k, override.pop(k)) if k in override else (k, v) for k, v in fields]
            fields += [(k, v) for k, v in table_fields if k in override]
            files += [f for f in table_files if f[0] not in {n for n, _ in files}]
            if row.path == "/login":
                # an account that does not exist: nothing is locked
                fields = [(k, "sqlmap-nobody" if k == "login" else ("x" if k == "password" else v))
                          for k, v in fields] or [("login", "sqlmap-nobody"), ("password", "x")]
            url = self.fx.subst(row.url, client)
            add(Target("POST", url, fields, files, multipart, role, row.where))
        # GET forms (searches, filters) as found.
        for (method, _), ts in sorted(forms.items()):
            if method == "GET":
                for t in ts:
                    t.url = t.url + ("&" if "?" in t.url else "?") + urllib.parse.urlencode(t.fields)
                    t.fields = []
                    add(t)
        # GET routes with a query string.
        for row in self.fx.table:
            if row.method != "GET" or "?" not in row.url or "fresh" in row.flags:
                continue
            role = next((r for r in test_access.ROLES
                         if r != "forced" and row.cells[r].startswith("200")), None)
            if role is None:
                continue
            client = self.fx.clients.get(role) or Client()
            add(Target("GET", self.fx.subst(row.url, client), [], [], False, role, row.where))
        # The headers and cookies, logged in and not.
        for role, path in (("province", "/home"), ("public", "/login")):
            t = Target("GET", path, [], [], False, role, "headers")
            t.headers_only = True
            out.append(t)
        return out

    # --- one run --------------------------------------------------------------------

    def session_for(self, target):
        """A client of its own for target: a fresh login of the role's
        account (sqlmap must not share the fixture's sessions), or for the
        public a client holding the pre-session cookie its form needs."""
        if target.role == "public":
            c = Client()
            token = c.fetch_pre_token("/login")
            target.fields = [(k, token if k in TOKENS else v) for k, v in target.fields]
            return c
        c = bgtest.logged_in(self.fx.accounts[target.role])
        token = c.csrf_from("/login/password")
        target.fields = [(k, token if k == "csrf" else v) for k, v in target.fields]
        if target.method == "POST" and not any(k == "csrf" for k, _ in target.fields):
            if target.multipart:
                target.fields.insert(0, ("csrf", token))
            else:
                target.fields.append(("csrf", token))
        return c

    def baseline(self, target, client):
        """What is wrong with target's own request, or None."""
        if target.path in RATE_LIMITED:
            bgtest.sql("DELETE FROM public_rate WHERE purpose = '%s' AND source = '127.0.0.1'"
                       % RATE_LIMITED[target.path])
        if target.method == "GET":
            r = client.get(target.url)
        elif target.multipart:
            files = [(n, fn, b"", "application/octet-stream") for n, fn in target.files]
            body, ctype = test_access.multipart(files, target.fields)
            r = client.post(target.url, body=body, content_type=ctype)
        else:
            r = client.post(target.url, target.fields)
        if r.status >= 500 or r.status in (403, 429):
            return "HTTP %d %s" % (r.status, r.error_summary() or r.text[:200])
        if r.status == 303 and urllib.parse.urlsplit(r.location or "").path == "/login":
            return "redirected to the login page"
        return None

    def run_one(self, n, target, workdir):
        """None when sqlmap found nothing, else what is wrong."""
        client = self.session_for(target)
        wrong = self.baseline(target, client)
        if wrong:
            return "the request itself does not reach the handler: " + wrong
        req = os.path.join(workdir, "req%03d.txt" % n)
        with open(req, "wb") as f:
            f.write(request_file(target, client, self.base_url))
        if target.path in RATE_LIMITED:
            bgtest.sql("DELETE FROM public_rate WHERE purpose = '%s' AND source = '127.0.0.1'"
                       % RATE_LIMITED[target.path])
        extra = ["--level", "3"] if target.headers_only else ["--skip", ",".join(sorted(TOKENS))]
        problems = sqlmap_problems(req, target.params(), os.path.join(workdir, "out%03d" % n),
                                   repr(target), extra)
        if target.role != "public" and client.get("/login/password").status != 200:
            problems.append("the session did not survive the run")
        return "; ".join(problems) or None

    def test_an_injectable_form_is_caught(self):
        """The check can fail: the canary's injection is reported."""
        server = ThreadingHTTPServer(("127.0.0.1", 0), InjectableHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        workdir = tempfile.mkdtemp(prefix="biaogan-sqlmap-canary-")
        try:
            body = "id=3&note=x"
            req = os.path.join(workdir, "req.txt")
            with open(req, "w") as f:
                f.write("POST /item HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: "
                        "application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s"
                        % (server.server_address[1], len(body), body))
            problems = sqlmap_problems(req, ["id", "note"], os.path.join(workdir, "out"),
                                       "canary", dbms="SQLite")
        finally:
            server.shutdown()
        self.assertTrue(any(p.startswith("sqlmap reports") for p in problems),
                        "sqlmap missed the canary's injection: %s (%s)" % (problems, workdir))
        shutil.rmtree(workdir, ignore_errors=True)

    def test_no_form_is_injectable(self):
        targets = self.targets()
        paths = {t.path for t in targets}
        posts = {row.path for row in self.fx.table if row.method == "POST"} - ENDS_SESSION
        self.assertEqual(sorted(posts - paths), [], "POST routes without a target")
        workdir = tempfile.mkdtemp(prefix="biaogan-sqlmap-")
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            results = list(pool.map(lambda nt: (nt[1], self.run_one(nt[0], nt[1], workdir)),
                                    enumerate(targets)))
        took = time.monotonic() - started
        failures = [(t, why) for t, why in results if why]
        for t, why in failures:
            with self.subTest(target=repr(t)):
                self.fail("%r: %s (sqlmap's output: %s)" % (t, why, workdir))
        print("\nsqlmap: %d targets, %d parameters, %d routes, in %.0f s (%s); logs in %s"
              % (len(targets), sum(len(t.params()) for t in targets), len(paths), took,
                 "long" if LONG else "bounded", workdir))
        if not failures:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
