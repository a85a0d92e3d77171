"""Shared helpers for the integration tests: they drive a running stack.

The stack (MariaDB + the FastCGI programs + nginx, see scripts/stack) is
started by the caller; these tests only talk to it.  Configuration comes from
the environment:

  BIAOGAN_BASE_URL  e.g. http://127.0.0.1:18080 (required)
  BIAOGAN_RUN_DIR   the stack's run directory (pid files of the workers)
  BIAOGAN_CONF      the programs' configuration (default RUN_DIR/biaogan.conf):
                    db_socket, db_user, db_password, db_name for the SQL helper
  BIAOGAN_ADMIN     the biaogan-admin binary (creates the test accounts)
  BIAOGAN_STACK     scripts/stack (default: the one next to these tests)

The database is shared between runs and never assumed clean: every account a
test makes has a login unique to this run (RUN_ID), and assertions look only
at rows of those accounts.  SQL is used to look at the database, and to age a
session (the one thing HTTP cannot do); never to set up what the programs
should have done.
"""

import hashlib
import random
import http.client
import http.cookiejar
import os
import secrets
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
SRC_DIR = os.path.dirname(os.path.dirname(HERE))

SESSION_COOKIE = "bg_session"
# The double-submit token of the forms posted before a session exists
# (login, registration): src/core/presession.h.
PRE_COOKIE = "bg_pre"
PRE_FIELD = "pre_token"
# Every account the tests make gets this password unless a test says otherwise;
# it meets the policy (3 of 4 classes, 8+ characters, not common).
PASSWORD = "Itest#2026-ok"
# Cities of Heilongjiang used by the tests (sql/001_init.sql).
HARBIN = ("230100", "哈尔滨市")
DAQING = ("230600", "大庆市")


class Config:
    """What the environment says about the stack under test."""

    def __init__(self):
        self.base_url = os.environ.get("BIAOGAN_BASE_URL", "").rstrip("/")
        self.run_dir = os.environ.get("BIAOGAN_RUN_DIR", "")
        self.conf = os.environ.get("BIAOGAN_CONF") or (
            os.path.join(self.run_dir, "biaogan.conf") if self.run_dir else "")
        self.admin = os.environ.get("BIAOGAN_ADMIN", "")
        self.stack = os.environ.get("BIAOGAN_STACK") or os.path.join(SRC_DIR, "scripts", "stack")
        # The web server in front (scripts/stack's BIAOGAN_WEB_SERVER).
        self.web_server = os.environ.get("BIAOGAN_WEB_SERVER") or "nginx"

    def web_server_file(self, name):
        """The running web server's configuration ("conf") or access log
        ("access_log"), as scripts/stack lays them out in the run directory."""
        files = {
            "nginx": {"conf": "nginx.conf", "access_log": "nginx/access.log"},
            "apache": {"conf": "apache/apache2.conf",
                       "access_log": "apache/biaogan.access.log"},
        }[self.web_server]
        return os.path.join(self.run_dir, files[name])

    def check(self, *needs):
        """Raise with a clear message when a needed variable is missing."""
        missing = []
        for need in ("base_url",) + needs:
            value = getattr(self, need)
            if not value or (need in ("conf", "admin", "stack") and not os.path.exists(value)):
                missing.append(need)
        if missing:
            raise RuntimeError(
                "integration tests need a running stack; missing or not found: %s "
                "(set BIAOGAN_BASE_URL, BIAOGAN_RUN_DIR, BIAOGAN_CONF, BIAOGAN_ADMIN, "
                "BIAOGAN_STACK)" % ", ".join(missing))


CONFIG = Config()

# Unique per run: the database outlives runs.  Logins are [a-z0-9_.-], 3-32.
RUN_ID = time.strftime("%y%m%d%H%M%S", time.gmtime()) + secrets.token_hex(2)
_serial = 0

# Every random choice of test data comes from RNG, seeded from
# BIAOGAN_TEST_SEED or at random; the seed is printed, so a failure that
# depends on the data can be replayed: BIAOGAN_TEST_SEED=N scripts/test.
SEED = int(os.environ.get("BIAOGAN_TEST_SEED") or random.SystemRandom().randrange(2 ** 32))
RNG = random.Random(SEED)
print("bgtest: random test data with BIAOGAN_TEST_SEED=%d" % SEED, file=sys.stderr, flush=True)

# Skips the runner (scripts/test) lets pass, by the reason a test names:
#   tool    a tool missing on a developer's machine (never in CI, where the
#           test command installs every one: there a "tool" skip fails too);
#   season  a rule that only shows on some dates (the November warning), also
#           unit-tested with fixed dates.
# Any other skip fails the run.
ALLOWED_SKIPS = ("tool", "season")


def allowed_skip(test, reason, message):
    """Skip test for one of ALLOWED_SKIPS; the runner reads the prefix."""
    if reason not in ALLOWED_SKIPS:
        raise ValueError("not an allowed skip reason: %r" % reason)
    test.skipTest("allowed(%s): %s" % (reason, message))


def unique_login(tag=""):
    """A login no other run or test uses: 'it' + run id + serial + tag."""
    global _serial
    _serial += 1
    login = "it%s%03d%s" % (RUN_ID, _serial, tag)
    assert len(login) <= 32, login
    return login


def read_conf(path=None):
    """The key = value pairs of a biaogan.conf."""
    values = {}
    with open(path or CONFIG.conf, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


# --- HTML -----------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parts = []

    @property
    def text(self):
        return "".join(self.parts).strip()

    def __repr__(self):
        return "<%s %r %r>" % (self.tag, self.attrs, self.text[:60])


class Page(HTMLParser):
    """A flat list of the elements of a page, each with its attributes and
    the text inside it (descendants included)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self._open = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        e = Element(tag, attrs)
        self.elements.append(e)
        if tag not in VOID:
            self._open.append(e)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for e in self._open:
            e.parts.append(data)

    def find_all(self, tag=None, **attrs):
        out = []
        for e in self.elements:
            if tag and e.tag != tag:
                continue
            ok = True
            for k, v in attrs.items():
                k = k.rstrip("_")  # class_ -> class
                have = e.attrs.get(k)
                if k == "class":
                    if have is None or v not in have.split():
                        ok = False
                elif have != v:
                    ok = False
            if ok:
                out.append(e)
        return out

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def error_for(self, name):
        """The text of the <p class="field-error"> right after the form
        control called name (before the next control), or None."""
        controls = ("input", "select", "textarea")
        start = None
        for i, e in enumerate(self.elements):
            if e.tag in controls and e.attrs.get("name") == name:
                start = i
                break
        if start is None:
            return None
        for e in self.elements[start + 1:]:
            if e.tag in controls:
                return None
            if e.tag == "p" and "field-error" in e.attrs.get("class", "").split():
                return e.text
        return None


# --- HTTP -----------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # http.client.HTTPMessage: case-insensitive
        self.body = body        # bytes
        self._page = None

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    @property
    def page(self):
        if self._page is None:
            self._page = Page(self.text)
        return self._page

    @property
    def location(self):
        return self.headers.get("Location")

    def header_all(self, name):
        return self.headers.get_all(name) or []

    def role(self):
        """data-role of <main id="main">, or None."""
        main = self.page.find("main", id="main")
        return main.attrs.get("data-role") if main else None

    def csrf(self):
        e = self.page.find("input", name="csrf")
        return e.attrs.get("value") if e else None

    def field_errors(self):
        return [e.text for e in self.page.find_all("p", class_="field-error")]

    def error_summary(self):
        e = self.page.find("p", class_="error-summary")
        return e.text if e else None

    def __repr__(self):
        return "<Response %d %s>" % (self.status, self.location or "")


class Client:
    """A browser-like client with its own cookie jar that never follows
    redirects (the tests look at each 303 themselves)."""

    def __init__(self, base_url=None):
        self.base_url = (base_url or CONFIG.base_url).rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.last = None

    def request(self, method, path, body=None, headers=None, timeout=30):
        req = urllib.request.Request(self.base_url + path, data=body, method=method,
                                     headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as r:
                resp = Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            try:
                resp = Response(e.code, e.headers, e.read())
            finally:
                e.close()
        self.last = resp
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, fields=None, body=None, csrf=None, content_type=None, **kw):
        """POST fields (a dict or a list of pairs) urlencoded, or a raw body.
        csrf=True adds the token of the last page seen; a string adds that."""
        if body is None:
            pairs = list(fields.items()) if isinstance(fields, dict) else list(fields or [])
            if csrf is True:
                token = self.last.csrf() if self.last else None
                if not token:
                    raise AssertionError("no csrf field on the last page")
                pairs.append(("csrf", token))
            elif csrf:
                pairs.append(("csrf", csrf))
            body = urllib.parse.urlencode(pairs).encode("ascii")
        headers = {"Content-Type": content_type or "application/x-www-form-urlencoded"}
        headers.update(kw.pop("headers", {}) or {})
        return self.request("POST", path, body=body, headers=headers, **kw)

    def csrf_from(self, path="/login/password"):
        """The session's CSRF token, read from a page that carries the form."""
        r = self.get(path)
        token = r.csrf()
        if r.status != 200 or not token:
            raise AssertionError("no csrf token on %s (HTTP %d)" % (path, r.status))
        return token

    # The session cookie, to hand it to another client or check it is gone.
    def session_token(self):
        for c in self.jar:
            if c.name == SESSION_COOKIE:
                return c.value
        return None

    def set_session_token(self, token):
        host = urllib.parse.urlsplit(self.base_url).hostname
        self.jar.set_cookie(http.cookiejar.Cookie(
            0, SESSION_COOKIE, token, None, False, host, False, False, "/", True,
            False, None, False, None, None, {"HttpOnly": None}))

    # The login form's pre-session CSRF token (double-submit cookie
    # PRE_COOKIE, hidden field PRE_FIELD), from the last login().
    pre_token = None

    def fetch_pre_token(self, path="/login"):
        """GET path (a public form) and return its pre-session token, or the
        one this client's cookie already holds (a logged-in user is sent on
        without a form)."""
        r = self.get(path)
        e = r.page.find("input", name=PRE_FIELD) if r.status == 200 else None
        if e is not None:
            return e.attrs.get("value")
        for c in self.jar:
            if c.name == PRE_COOKIE:
                return c.value
        return None

    def login(self, login, password=PASSWORD, next_path=None):
        """Log in as a browser does: the form first (for its token), then the POST."""
        self.pre_token = self.fetch_pre_token()
        fields = [("login", login), ("password", password)]
        if next_path is not None:
            fields.append(("next", next_path))
        if self.pre_token:
            fields.append((PRE_FIELD, self.pre_token))
        return self.post("/login", fields)


def raw_request(method, path, body=b"", headers=None, timeout=30, chunked=False):
    """One request on a fresh connection, nothing added or interpreted:
    for bodies and headers urllib would rewrite.  chunked: body is an
    iterable of bytes sent with Transfer-Encoding: chunked (no length)."""
    u = urllib.parse.urlsplit(CONFIG.base_url)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=timeout)
    try:
        headers = dict(headers or {})
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
        conn.request(method, path, body=body, headers=headers, encode_chunked=chunked)
        r = conn.getresponse()
        return Response(r.status, r.headers, r.read())
    finally:
        conn.close()


# --- the operator tool and the database -------------------------------------

def admin_tool(*args, stdin=None, check=True):
    """Run biaogan-admin with the stack's configuration; CompletedProcess."""
    env = dict(os.environ, BIAOGAN_CONF=CONFIG.conf)
    p = subprocess.run([CONFIG.admin] + list(args), input=stdin, env=env,
                       capture_output=True, text=True, timeout=60)
    if check and p.returncode != 0:
        raise AssertionError("biaogan-admin %s exited %d: %s%s"
                             % (" ".join(args), p.returncode, p.stdout, p.stderr))
    return p


class Account:
    def __init__(self, login, role, password, city=None, name=None):
        self.login = login
        self.role = role
        self.password = password
        self.city = city
        self.name = name
        self._id = None

    @property
    def id(self):
        if self._id is None:
            self._id = int(sql_value("SELECT id FROM account WHERE login = %s" % q(self.login)))
        return self._id

    def __repr__(self):
        return "<Account %s %s>" % (self.login, self.role)


def create_account(role, city=None, force_change=False, password=PASSWORD, name=None, tag=""):
    """A new account through biaogan-admin user add --password-stdin."""
    login = unique_login(tag or role[:3])
    name = name or "集成测试%s%s" % (role, login[-6:])
    args = ["user", "add", "--login", login, "--name", name, "--role", role,
            "--password-stdin"]
    if city:
        args += ["--city", city]
    if not force_change:
        args.append("--no-force-change")
    admin_tool(*args, stdin=password + "\n")
    return Account(login, role, password, city, name)


_province = None


def province_account():
    """One province administrator for the whole run (creating costs a hash)."""
    global _province
    if _province is None:
        _province = create_account("province", tag="prov")
    return _province


_admin_client = None


def admin_client():
    """A session of province_account() shared by the tests that only use it
    (a login costs a password hash).  Tests that end or test sessions make
    their own with logged_in()."""
    global _admin_client
    if _admin_client is None or _admin_client.get("/home").status != 200:
        _admin_client = logged_in(province_account())
    return _admin_client


def logged_in(account, password=None):
    """A client with a fresh session of account (asserts the login worked)."""
    c = Client()
    r = c.login(account.login, password or account.password)
    if r.status != 303 or not c.session_token():
        raise AssertionError("login of %s failed: HTTP %d %s" % (account.login, r.status,
                                                                 r.error_summary()))
    return c


def q(value):
    """An SQL literal: NULL, a number, or a quoted string (for assertions only)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    s = str(value).replace("\\", "\\\\").replace("'", "\\'").replace("\0", "\\0")
    return "'" + s + "'"


def sql(query):
    """Run query in the stack's database; rows as lists of strings (None for NULL).
    Values in the query go through q()."""
    conf = read_conf()
    env = dict(os.environ, MYSQL_PWD=conf.get("db_password", ""))
    args = ["mariadb", "--no-defaults", "--batch", "--skip-column-names", "--raw",
            "--default-character-set=utf8mb4",
            "--socket=" + conf["db_socket"], "--user=" + conf["db_user"],
            "--database=" + conf["db_name"],
            # The programs see Asia/Shanghai wall time (sql/001_init.sql).
            "--init-command=SET time_zone = '+08:00'",
            "-e", query]
    p = subprocess.run(args, env=env, capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        raise AssertionError("SQL failed (%d): %s\n%s" % (p.returncode, query, p.stderr))
    rows = []
    for line in p.stdout.splitlines():
        rows.append([None if v == "NULL" else v for v in line.split("\t")])
    return rows


def sql_root(query):
    """Run query as the database's root (the stack's own MariaDB, reached by
    its socket): for tests that play someone with full write access, who can
    drop triggers.  Rows as sql() gives them."""
    conf = read_conf()
    args = ["mariadb", "--no-defaults", "--batch", "--skip-column-names", "--raw",
            "--default-character-set=utf8mb4", "--socket=" + conf["db_socket"],
            "--user=root", "--database=" + conf["db_name"],
            "--init-command=SET time_zone = '+08:00'", "-e", query]
    p = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        raise AssertionError("SQL as root failed (%d): %s\n%s" % (p.returncode, query, p.stderr))
    return [[None if v == "NULL" else v for v in line.split("\t")]
            for line in p.stdout.splitlines()]


def zh_date(iso):
    """"2026-12-08[ 17:00]" as the pages write it: "2026年12月8日[ 17:00]"
    (core/html.h, the |date filter)."""
    y, m, d = iso[:10].split("-")
    return "%s年%d月%d日%s" % (y, int(m), int(d), iso[10:16])


def sql_value(query):
    rows = sql(query)
    return rows[0][0] if rows else None


def token_hash_hex(token):
    return hashlib.sha256(token.encode("ascii")).hexdigest()


# --- the workers ------------------------------------------------------------

def supervisor_pids():
    """{program: pid of its supervisor} from RUN_DIR/fcgi/<program>.pid
    (scripts/stack: multiwatch, whose children are the workers)."""
    out = {}
    d = os.path.join(CONFIG.run_dir, "fcgi")
    for name in sorted(os.listdir(d)):
        if name.endswith(".pid"):
            with open(os.path.join(d, name)) as f:
                pids = [int(x) for x in f.read().split() if x.isdigit()]
            out[name[:-4]] = pids[0] if pids else None
    return out


def _parent_of(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else int(fields[1])


def _argv0(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().split(b"\0")[0].decode("utf-8", "replace")
    except OSError:
        return ""


def worker_pids():
    """{program: [pid, ...]}: the live workers of each program, the children
    of its supervisor, sorted.  (A pid file of a stack without supervisors
    lists the workers themselves.)"""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            ppid = _parent_of(int(entry))
            if ppid is not None:
                parents.setdefault(ppid, []).append(int(entry))
    out = {}
    d = os.path.join(CONFIG.run_dir, "fcgi")
    for program, sup in supervisor_pids().items():
        if sup and _argv0(sup).endswith("/cgi-bin/" + program):
            with open(os.path.join(d, program + ".pid")) as f:
                out[program] = sorted(int(x) for x in f.read().split() if x.isdigit())
        else:
            out[program] = sorted(parents.get(sup, [])) if sup else []
    return out


def pid_alive(pid):
    """A live process that is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": None,  # any value
}


class TestCase(unittest.TestCase):
    """Assertions shared by the modules."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        CONFIG.check("conf", "admin", "run_dir")

    def assertStatus(self, r, status, msg=None):
        if r.status != status:
            detail = r.error_summary() or ""
            if not detail:
                e = r.page.find("p", class_="message")
                detail = e.text if e else r.text[:300]
            self.fail("%sexpected HTTP %d, got %d %s %s"
                      % (msg + ": " if msg else "", status, r.status, r.location or "", detail))

    def assertRedirect(self, r, prefix, status=303):
        self.assertStatus(r, status)
        self.assertTrue((r.location or "").startswith(prefix),
                        "Location %r does not start with %r" % (r.location, prefix))

    def assertLoginRedirect(self, r, path=None, expired=False):
        """303 to /login, with ?next=path for a GET."""
        self.assertStatus(r, 303)
        u = urllib.parse.urlsplit(r.location or "")
        self.assertEqual(u.path, "/login", r.location)
        query = urllib.parse.parse_qs(u.query)
        if path is not None:
            self.assertEqual(query.get("next"), [path], r.location)
        if expired:
            # True: idle too long (expired=1); a string: that reason
            self.assertEqual(query.get("expired"), ["1" if expired is True else expired],
                             r.location)
        else:
            self.assertNotIn("expired", query, r.location)

    def assertSecurityHeaders(self, r, what=""):
        for name, want in SECURITY_HEADERS.items():
            have = r.headers.get(name)
            self.assertTrue(have, "%s: no %s header (HTTP %d)" % (what, name, r.status))
            if want:
                self.assertIn(want, have, "%s: %s" % (what, name))

    def assertNoAccount(self, login):
        self.assertEqual(sql_value("SELECT COUNT(*) FROM account WHERE login = %s" % q(login)),
                         "0", "account %s exists" % login)
