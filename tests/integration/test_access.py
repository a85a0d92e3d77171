"""The access table (tests/data/access.tsv, format in its header): every
route of every program x every role x method, with the answer each should
get, driven through the running stack one cell at a time (a subTest each, so
every mismatch is reported).  Also: the table covers exactly what the
programs' page tables (cgi-bin/*.c) serve; methods a page does not serve are
405; HEAD is GET without a body; unknown paths are 404; error pages are
Chinese.

The fixtures are made on every run as the programs would make them: accounts
with biaogan-admin, enterprises through the registration page, the
application, its uploads and its submission through the apply pages.  A
selection round open now is one found open (SQL only looks) or made with
biaogan-admin round add."""

import glob
import os
import re
import unittest
import urllib.parse

import bgtest
from bgtest import Client, DAQING, HARBIN, sql
from test_apply import complete_application, make_pdf, multipart, register, upload
from test_experts import expert_form

TABLE = os.path.join(bgtest.SRC_DIR, "tests", "data", "access.tsv")
ROLES = ("public", "ent_A", "ent_B", "city_X", "city_Y", "expert", "panelist", "supervisor",
         "province", "forced")
COLUMNS = ("method", "url", "body", "flags") + ROLES + ("mark",)
METHODS = ("GET", "POST")
# Sent to every page for the methods check; nginx passes them all through.
OTHER_METHODS = ("PUT", "DELETE", "PATCH", "OPTIONS")
PLACEHOLDER = re.compile(r"\{([a-zA-Z_]+)\}")
CELL = re.compile(r"^(?:(login|passwd)|(\d{3})([+-])?(?:>(\S+))?)$")
CJK = re.compile(r"[\u4e00-\u9fff]")
CSRF_REFUSAL = "表单已失效"
# An id no object has (the id fields take 1 .. 2^53).
MISSING_ID = "9007199254740000"


# --- the table ------------------------------------------------------------------

class Row:
    def __init__(self, line_no, fields):
        self.line_no = line_no
        values = dict(zip(COLUMNS, fields))
        self.method = values["method"]
        self.url = values["url"]
        self.body = None if values["body"] == "-" else values["body"]
        self.flags = set() if values["flags"] == "-" else set(values["flags"].split(","))
        self.mark = None if values["mark"] == "-" else values["mark"]
        self.cells = {role: values[role] for role in ROLES}

    @property
    def path(self):
        return urllib.parse.urlsplit(self.url).path

    @property
    def where(self):
        return "access.tsv:%d" % self.line_no


def load_table(path=TABLE):
    """The rows of the table; ValueError naming the line for a malformed one."""
    rows, header = [], None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = re.split(r"\t+", line.strip("\t"))
            if header is None:
                header = tuple(fields)
                if header != COLUMNS:
                    raise ValueError("%s:%d: header %r, expected %r" % (path, n, header, COLUMNS))
                continue
            if len(fields) != len(COLUMNS) or any(" " in v or not v for v in fields):
                raise ValueError("%s:%d: %d fields (tab-separated, no spaces), expected %d"
                                 % (path, n, len(fields), len(COLUMNS)))
            row = Row(n, fields)
            if row.method not in METHODS:
                raise ValueError("%s:%d: method %r" % (path, n, row.method))
            if row.body is not None and row.method != "POST":
                raise ValueError("%s:%d: a body on a %s row" % (path, n, row.method))
            if row.flags - {"fresh"}:
                raise ValueError("%s:%d: unknown flags %s" % (path, n, row.flags - {"fresh"}))
            for role, cell in row.cells.items():
                m = CELL.match(cell)
                if not m:
                    raise ValueError("%s:%d: %s: cell %r" % (path, n, role, cell))
                if m.group(3) and not row.mark:
                    raise ValueError("%s:%d: %s: %r without a mark" % (path, n, role, cell))
            rows.append(row)
    if header is None:
        raise ValueError("%s: no header line" % path)
    return rows


# --- the programs' page tables ---------------------------------------------------

FLAG_NAMES = ("PAGE_PUBLIC", "PAGE_DURING_FORCED", "PAGE_NO_CSRF", "PAGE_MULTIPART", "PAGE_DURING_MFA",
              "PAGE_CACHED")


class Page:
    def __init__(self, source, prefix, path, methods, roles, flags):
        self.source = source
        self.prefix = prefix
        self.path = path
        self.route = prefix + ("/" + path if path else "")
        self.methods = methods  # {"GET", "POST"}
        self.roles = roles
        self.flags = flags

    def __repr__(self):
        return "<Page %s %s %s>" % (self.route, sorted(self.methods), sorted(self.flags))


def program_sources():
    """The C files that declare a program (a `struct program NAME = {...}`):
    cgi-bin/*.c, and anywhere under src/ should a layout change move them."""
    files = sorted(glob.glob(os.path.join(bgtest.SRC_DIR, "cgi-bin", "*.c")))
    files += sorted(glob.glob(os.path.join(bgtest.SRC_DIR, "src", "**", "*.c"), recursive=True))
    out = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if re.search(r"\bstruct\s+program\s+\w+\s*=", text):
            out.append((path, text))
    return out


def strip_c_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


ENTRY = re.compile(r"\{\s*\"([^\"]*)\"\s*,\s*([^,{}]+?)\s*,\s*([^,{}]+?)\s*,\s*([^,{}]+?)\s*,"
                   r"\s*(\w+)\s*\}")


def expand_row_macros(block):
    """A page table's rows written as a macro of core/app.h (APP_HEALTH_PAGE,
    the row every program has) replaced by the macro's text."""
    with open(os.path.join(bgtest.SRC_DIR, "src/core/app.h"), encoding="utf-8") as f:
        header = strip_c_comments(f.read().replace("\\\n", " "))
    for name, body in re.findall(r"^#define\s+(APP_\w+_PAGE)\s+(\{.*\})\s*$", header, re.M):
        block = re.sub(r"\b%s\b" % name, body, block)
    if re.search(r"\bAPP_\w+_PAGE\b", block):
        raise AssertionError("a page table uses a row macro not defined in src/core/app.h")
    return block


def parse_pages(path, text):
    """The pages of one program's source: [Page]; AssertionError when the
    table or the prefix cannot be read (a format this parser does not know
    must not pass silently)."""
    rel = os.path.relpath(path, bgtest.SRC_DIR)
    code = strip_c_comments(text)
    m = re.search(r"\bstruct\s+program\s+\w+\s*=\s*\{\s*\"([^\"]*)\"\s*,\s*\"(/[^\"]*)\"\s*,"
                  r"\s*(\w+)", code)
    if not m:
        raise AssertionError("%s: cannot read the struct program line (name, prefix, pages)" % rel)
    prefix, table_name = m.group(2), m.group(3)
    m = re.search(r"\bstruct\s+page\s+" + re.escape(table_name) + r"\s*\[\s*\]\s*=\s*\{(.*?)\}\s*;",
                  code, flags=re.S)
    if not m:
        raise AssertionError("%s: cannot find `struct page %s[] = {...};`" % (rel, table_name))
    block = expand_row_macros(m.group(1))
    pages = []
    for e in ENTRY.finditer(block):
        p, methods_s, roles_s, flags_s = e.group(1), e.group(2), e.group(3), e.group(4)
        methods = {t.strip()[len("METHOD_"):] for t in methods_s.split("|")
                   if t.strip().startswith("METHOD_")}
        flags = {t.strip() for t in flags_s.split("|")} - {"0"}
        unknown = flags - set(FLAG_NAMES)
        if not methods or methods - set(METHODS) or unknown:
            raise AssertionError("%s: page %r: cannot read methods %r / flags %r"
                                 % (rel, p, methods_s, flags_s))
        pages.append(Page(rel, prefix, p, methods, roles_s, flags))
    # Every entry must have been read: count the path strings of the block.
    if len(pages) != len(re.findall(r"\{\s*\"", block)) or not pages:
        raise AssertionError("%s: read %d of the %d entries of %s[]"
                             % (rel, len(pages), len(re.findall(r"\{\s*\"", block)), table_name))
    return prefix, pages


def all_pages():
    """{route: Page} over every program; {prefix: source}."""
    routes, prefixes = {}, {}
    for path, text in program_sources():
        prefix, pages = parse_pages(path, text)
        rel = os.path.relpath(path, bgtest.SRC_DIR)
        if prefix in prefixes:
            raise AssertionError("prefix %s in both %s and %s" % (prefix, prefixes[prefix], rel))
        prefixes[prefix] = rel
        for p in pages:
            if p.route in routes:
                raise AssertionError("%s: route %s twice" % (p.source, p.route))
            routes[p.route] = p
    if not prefixes:
        raise AssertionError("no program sources found (cgi-bin/*.c declaring struct program)")
    return routes, prefixes


# --- fixtures -----------------------------------------------------------------------

def open_round():
    """A round open for applications for at least a day more: one that exists
    (any test's: applications are per enterprise, so sharing is harmless) and
    is whole as the programs make rounds (its 10 evaluation points: some tests
    insert bare rounds with SQL), else a new one in a free year through
    biaogan-admin round add.  Not one where a city has submitted its batch:
    the batch cells expect open batches."""
    row = sql("SELECT r.id FROM selection_round r WHERE r.apply_open < NOW() - INTERVAL 1 MINUTE"
              " AND r.apply_close > NOW() + INTERVAL 1 DAY AND (SELECT COUNT(*) FROM"
              " round_criterion c WHERE c.round_id = r.id) = 10 AND NOT EXISTS (SELECT 1 FROM"
              " recommend_batch b WHERE b.round_id = r.id AND b.status = 'submitted')"
              " ORDER BY r.id DESC LIMIT 1")
    if row:
        return int(row[0][0])
    used = {int(r[0]) for r in sql("SELECT year FROM selection_round")}
    free = [y for y in range(2030, 2101) if y not in used]
    bgtest.RNG.shuffle(free)
    times = sql("SELECT DATE_FORMAT(NOW() - INTERVAL 1 DAY, '%Y-%m-%d %H:%i'),"
                " DATE_FORMAT(NOW() + INTERVAL 30 DAY, '%Y-%m-%d %H:%i'),"
                " DATE_FORMAT(NOW() + INTERVAL 60 DAY, '%Y-%m-%d %H:%i')")[0]
    for year in free[:20]:
        p = bgtest.admin_tool("round", "add", "--year", str(year), "--open", times[0],
                              "--close", times[1], "--deadline", times[2], check=False)
        if p.returncode == 4:
            continue  # taken meanwhile
        if p.returncode != 0:
            raise AssertionError("biaogan-admin round add: exit %d %s%s"
                                 % (p.returncode, p.stdout, p.stderr))
        m = re.search(r"编号 (\d+)", p.stdout)
        if not m:
            raise AssertionError("biaogan-admin round add said %r" % p.stdout)
        return int(m.group(1))
    raise unittest.SkipTest("no free year 2030-2100 for a round: use a fresh run directory")


def review_session(round_id, app_id, accounts, members=None):
    """A review session whose panel of 3 is drawn, with app_id in it and the
    panelist's expert on its panel: written as the draw step writes it (its
    own pages are test_draw.py's; a draw through them would pick from the
    whole shared pool).  members: the accounts of all three experts instead
    (the first one's is the panelist's).  Its id, as text."""
    from test_draw import add_expert
    tag = bgtest.unique_login("")[-6:]
    members = members or [accounts["panelist"]]
    experts = [add_expert("访问测试专家%d" % i, "访问测试单位%d-%s" % (i, tag),
                          account=members[i].id if i < len(members) else None)
               for i in range(3)]
    sql("INSERT INTO review_session (round_id, title, review_date, place, panel_size, state)"
        " VALUES (%d, '访问测试评审会%s', CURDATE() + INTERVAL 7 DAY, '测试地点', 3, 'drawn')"
        % (round_id, tag))
    sid = int(sql("SELECT MAX(id) FROM review_session WHERE title = '访问测试评审会%s'" % tag)[0][0])
    sql("INSERT INTO review_session_application (session_id, application_id) VALUES (%d, %d)"
        % (sid, app_id))
    sql("INSERT INTO draw_commitment (session_id, seed, commitment, candidate_digest,"
        " candidate_count, committed_by, committed_at) VALUES (%d, UNHEX(REPEAT('00', 32)),"
        " REPEAT('0', 64), REPEAT('0', 64), 3, %d, NOW())" % (sid, accounts["province"].id))
    sql("INSERT INTO draw_event (session_id, number, kind, count, operator_id, supervisor_id,"
        " drawn_at) VALUES (%d, 1, 'panel', 3, %d, %d, NOW())"
        % (sid, accounts["province"].id, accounts["supervisor"].id))
    for i, e in enumerate(experts):
        sql("INSERT INTO draw_pick (session_id, number, pick_order, expert_id) VALUES"
            " (%d, 1, %d, %d)" % (sid, i + 1, e))
    return str(sid)


def query_id(location, name="id"):
    return urllib.parse.parse_qs(urllib.parse.urlsplit(location or "").query)[name][0]


def attachment_id(page, kind):
    tr = page.find("tr", **{"data-kind": kind})
    if tr is None:
        raise AssertionError("no %s attachment on the page" % kind)
    return tr.attrs["data-attachment"]


def saved_draft():
    """A new enterprise's draft in the open round, saved once with a complete
    form: (enterprise, app id, the session's csrf token, the form)."""
    ent = register()
    app_id = start_application(ent.client, open_round())
    token = ent.client.csrf_from("/apply")
    form = dict(complete_application(), id=app_id, action="save")
    r = ent.client.post("/apply/edit", form, csrf=token)
    if r.status != 303:
        raise AssertionError("saving a draft: HTTP %d %s" % (r.status, r.field_errors()))
    return ent, app_id, token, form


def start_application(client, round_id):
    r = client.post("/apply/start", {"round": str(round_id)}, csrf=client.csrf_from("/apply"))
    if r.status != 303:
        raise AssertionError("POST /apply/start: HTTP %d" % r.status)
    return query_id(r.location)


class AccessTableTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table = load_table()
        cls.routes, cls.prefixes = all_pages()
        cls.accounts = {
            "city_X": bgtest.create_account("city", city=HARBIN[0], tag="cx"),
            "city_Y": bgtest.create_account("city", city=DAQING[0], tag="cy"),
            "expert": bgtest.create_account("expert", tag="exp"),
            "panelist": bgtest.create_account("expert", tag="pan"),
            "supervisor": bgtest.create_account("supervisor", tag="sup"),
            "province": bgtest.create_account("province", tag="prov"),
            "forced": bgtest.create_account("province", force_change=True, tag="forced"),
        }
        victim = bgtest.create_account("expert", tag="victim")
        round_id = open_round()

        # A: registered in Harbin, complete application, uploads, submitted.
        a = register(city_code=HARBIN[0])
        app_a = start_application(a.client, round_id)
        token = a.client.csrf_from("/apply")
        r = a.client.post("/apply/edit", dict(complete_application(), id=app_a, action="save"),
                          csrf=token)
        if r.status != 303:
            raise AssertionError("saving A's application: HTTP %d %s"
                                 % (r.status, r.field_errors()))
        for kind in ("experience", "commitment"):
            r = upload(a.client, int(app_a), kind, kind + ".pdf", make_pdf("access " + kind),
                       csrf=token)
            if r.status != 303:
                raise AssertionError("A's %s upload: HTTP %d" % (kind, r.status))
        r = a.client.post("/apply/submit", {"id": app_a}, csrf=token)
        if r.status != 303 or "submitted=1" not in (r.location or ""):
            raise AssertionError("submitting A's application: HTTP %d %s" % (r.status, r.location))
        file_a = attachment_id(a.client.get("/apply/view?id=" + app_a).page, "experience")

        # B: registered in Harbin too, a draft with one file.
        b = register(city_code=HARBIN[0])
        app_b = start_application(b.client, round_id)
        r = upload(b.client, int(app_b), "experience", "b.pdf", make_pdf("access B"))
        if r.status != 303:
            raise AssertionError("B's upload: HTTP %d" % r.status)
        file_b = attachment_id(b.client.get("/apply/edit?id=" + app_b).page, "experience")

        cls.accounts["ent_A"] = bgtest.Account(a.login, "enterprise", bgtest.PASSWORD)
        cls.accounts["ent_B"] = bgtest.Account(b.login, "enterprise", bgtest.PASSWORD)
        cls.clients = {"public": None, "ent_A": a.client, "ent_B": b.client}
        for role in ("city_X", "city_Y", "expert", "panelist", "supervisor", "province", "forced"):
            cls.clients[role] = bgtest.logged_in(cls.accounts[role])
        cls.tokens = {role: c.csrf_from("/login/password")
                      for role, c in cls.clients.items() if c is not None}
        cls.values = {"round": str(round_id), "app_A": app_a, "app_B": app_b, "file_A": file_a,
                      "file_B": file_b, "victim": str(victim.id), "missing": MISSING_ID,
                      "uscc_A": a.uscc, "uscc_B": b.uscc}
        # An expert of the pool, made through the experts program's form.
        r = cls.clients["province"].post("/experts/new", expert_form(), csrf=cls.tokens["province"])
        if r.status != 303:
            raise AssertionError("POST /experts/new: HTTP %d %s" % (r.status, r.field_errors()))
        cls.values["expert"] = query_id(r.location)
        cls.values["review"] = review_session(round_id, int(app_a), cls.accounts)
        cls.values["review_app"] = app_a
        cls.spares = {}
        cls.cells_checked = 0

    # --- one cell ---------------------------------------------------------------

    def session(self, role, fresh, spare=False):
        """(client, csrf token) acting as role; a new session when fresh.
        spare (with fresh): a second session of the role kept for requests
        that should not end it, made anew only when one did."""
        if role == "public":
            return Client(), None
        if not fresh:
            return self.clients[role], self.tokens[role]
        if spare and role in self.spares:
            c, token = self.spares[role]
            if c.get("/login/password").status == 200:
                return c, token
        c = bgtest.logged_in(self.accounts[role])
        token = c.csrf_from("/login/password")
        if spare:
            self.spares[role] = (c, token)
        return c, token

    def subst(self, text, client):
        def one(m):
            name = m.group(1)
            if name == "pre_token":
                return client.fetch_pre_token("/login") or ""
            if name not in self.values:
                raise AssertionError("unknown placeholder {%s}" % name)
            return self.values[name]
        return PLACEHOLDER.sub(one, text)

    def send(self, row, role, csrf="session"):
        """Make the request of row as role; (response, the url sent).  csrf:
        "session" adds the session's token where the page reads it, "none"
        sends none, "foreign" another session's token in its place,
        "misplaced" the session's token where no page reads it (the query
        instead of the body)."""
        client, token = self.session(role, "fresh" in row.flags, spare=csrf != "session")
        url = self.subst(row.url, client)
        if row.method == "GET":
            return client.get(url), url
        # The token goes in the body (a multipart body's first part, as
        # core/mpform.c reads it); "misplaced" puts it in the query instead.
        in_query = csrf == "misplaced"
        if csrf == "none" or not token:
            token = None
        elif csrf == "foreign":
            token = self.tokens["expert" if role != "expert" else "province"]
        body = self.subst(row.body or "", client)
        sent = url
        if token and in_query:
            sent += ("&" if "?" in url else "?") + "csrf=" + urllib.parse.quote(token)
        if body.startswith("multipart:"):
            fields, files = [], []
            for name, value in urllib.parse.parse_qsl(body[len("multipart:"):],
                                                      keep_blank_values=True):
                if value.startswith("@"):
                    files.append((name, value[1:], b"", "application/octet-stream"))
                else:
                    fields.append((name, value))
            if token and not in_query:
                fields.insert(0, ("csrf", token))
            data, ctype = multipart(files, fields)
            return client.post(sent, body=data, content_type=ctype), url
        pairs = urllib.parse.parse_qsl(body, keep_blank_values=True)
        if token and not in_query:
            pairs.append(("csrf", token))
        return client.post(sent, pairs), url

    def mismatch(self, r, expect, row, url):
        """None when r is the answer cell expect describes, else what it was."""
        got = "%d%s" % (r.status, " " + r.location if r.location else "")
        if expect == "csrf403":
            if r.status == 403 and CSRF_REFUSAL in r.text:
                return None
            return got + (" (a 403, but not the CSRF refusal)" if r.status == 403 else "")
        m = CELL.match(expect)
        special, status, mark, location = m.groups()
        if special == "login":
            u = urllib.parse.urlsplit(r.location or "")
            nxt = urllib.parse.parse_qs(u.query).get("next")
            want_next = [url] if row.method == "GET" else None
            if r.status == 303 and u.path == "/login" and nxt == want_next:
                return None
            return got
        if special == "passwd":
            return None if (r.status, r.location) == (303, "/login/password") else got
        if r.status != int(status):
            return got
        if location:
            want = self.subst(location, None)
            have = r.location or ""
            ok = have.startswith(want[:-1]) if want.endswith("*") else have == want
            if not ok:
                return got
        if mark:
            text = self.subst(row.mark, None)
            if (text in r.text) != (mark == "+"):
                return "%s, the page %s %r" % (got, "lacks" if mark == "+" else "contains", text)
        return None

    CSRF_LABELS = {"session": "", "none": " without CSRF token",
                   "foreign": " with another session's CSRF token",
                   "misplaced": " with the CSRF token in the wrong place"}

    def check_cell(self, row, role, expect, csrf="session"):
        r, url = self.send(row, role, csrf)
        type(self).cells_checked += 1
        what = "%s %s%s as %s" % (row.method, url, self.CSRF_LABELS[csrf], role)
        wrong = self.mismatch(r, expect, row, url)
        if wrong:
            shown = "403 (CSRF refusal)" if expect == "csrf403" else self.subst(expect, None)
            self.fail("%s: expected %s, got %s (%s)" % (what, shown, wrong, row.where))

    # --- the table, cell by cell ------------------------------------------------------

    def test_every_cell(self):
        for row in self.table:
            for role in ROLES:
                with self.subTest(cell="%s %s as %s" % (row.method, row.url, role)):
                    self.check_cell(row, role, row.cells[role])

    def test_post_without_csrf_token(self):
        """Every POST cell again without the token, with another session's
        token, and with the token where the page does not read it: refused by
        the CSRF check unless the front line answers first (see the table's
        header)."""
        for row in self.table:
            page = self.routes.get(row.path)
            if row.method != "POST" or page is None or "PAGE_NO_CSRF" in page.flags:
                continue
            for role in ROLES:
                cell = row.cells[role]
                # A multipart body is read by the handler (core/mpform.c), after
                # it has found the application: one not the session's is 404
                # before the body, so before its token, is read.
                streamed = "PAGE_MULTIPART" in page.flags and (row.body or "").startswith(
                    "multipart:")
                expect = cell if cell in ("login", "passwd") or cell.startswith("403") \
                    or (streamed and cell == "404") else "csrf403"
                modes = ("none", "foreign", "misplaced") if role != "public" else ("none",)
                for mode in modes:
                    with self.subTest(cell="%s %s as %s%s" % (row.method, row.url, role,
                                                              self.CSRF_LABELS[mode])):
                        self.check_cell(row, role, expect, csrf=mode)

    # --- the table against the page tables ---------------------------------------------

    def test_table_lists_every_route_the_programs_serve(self):
        served = {(route, m) for route, p in self.routes.items() for m in p.methods}
        listed = {(row.path, row.method) for row in self.table}
        for route, method in sorted(served - listed):
            with self.subTest(route=route, method=method):
                self.fail("%s %s is served by %s but has no row in tests/data/access.tsv"
                          % (method, route, self.routes[route].source))
        lines = {}
        for row in self.table:
            lines.setdefault((row.path, row.method), row.where)
        for route, method in sorted(listed - served):
            with self.subTest(route=route, method=method):
                if route in self.routes:
                    why = "%s serves only %s" % (self.routes[route].source,
                                                 ", ".join(sorted(self.routes[route].methods)))
                else:
                    why = "no program serves that route (prefixes: %s)" % ", ".join(
                        sorted(self.prefixes))
                self.fail("%s lists %s %s: %s" % (lines[(route, method)], method, route, why))

    def test_parser_reads_the_page_tables(self):
        # A sanity check of the parser on what it must have found.
        self.assertIn("/login", self.prefixes)
        self.assertEqual(self.routes["/login"].flags, {"PAGE_PUBLIC", "PAGE_NO_CSRF"})
        self.assertEqual(self.routes["/apply/edit"].methods, {"GET", "POST"})
        self.assertEqual(self.routes["/apply/edit"].flags, {"PAGE_MULTIPART"})
        self.assertEqual(self.routes["/recommend/batch/reopen"].methods, {"POST"})
        self.assertEqual(self.routes["/home"].methods, {"GET"})

    # --- methods, HEAD, unknown paths --------------------------------------------------------

    def test_unserved_methods_are_405(self):
        """Every page, every method it does not serve: 405 before any session
        or role matters (so as public; once per program also with a session),
        with an Allow header naming exactly the methods the page serves (HEAD
        aside), as RFC 9110 asks of a 405."""
        province = self.clients["province"]
        seen_prefix = set()
        for route, page in sorted(self.routes.items()):
            clients = [("public", Client())]
            if page.prefix not in seen_prefix:
                seen_prefix.add(page.prefix)
                clients.append(("province", province))
            allow = None
            for method in [m for m in METHODS if m not in page.methods] + list(OTHER_METHODS):
                for role, client in clients:
                    with self.subTest(cell="%s %s as %s" % (method, route, role)):
                        if method == "POST":
                            r = client.post(route, {"csrf": self.tokens["province"]}
                                            if role == "province" else {})
                        elif method == "GET":
                            r = client.get(route)
                        else:
                            r = client.request(method, route, body=b"")
                        type(self).cells_checked += 1
                        self.assertEqual(r.status, 405, "%s %s as %s: expected 405, got %d %s"
                                         % (method, route, role, r.status, r.location or ""))
                        allow = allow or r.headers.get("Allow")
            with self.subTest(cell="Allow header of %s" % route):
                have = {m.strip() for m in (allow or "").split(",") if m.strip()}
                if have - {"HEAD"} != page.methods:
                    self.fail("405 from %s: Allow: %s, but the page serves only %s (%s)"
                              % (route, allow, ", ".join(sorted(page.methods)), page.source))

    def test_head_is_get_without_body(self):
        """HEAD on every GET row answers as the GET cell says, with no body
        (as public and as the province)."""
        for row in self.table:
            if row.method != "GET":
                continue
            for role in ("public", "province"):
                expect = row.cells[role]
                if expect.endswith(("+", "-")):
                    expect = expect[:-1]
                with self.subTest(cell="HEAD %s as %s" % (row.url, role)):
                    client, _ = self.session(role, False)
                    url = self.subst(row.url, client)
                    r = client.request("HEAD", url)
                    type(self).cells_checked += 1
                    head_row = Row(row.line_no, [row.method, row.url, "-", "-"]
                                   + [row.cells[x] for x in ROLES] + ["-"])
                    if expect == "login":
                        # The status and the login page; what ?next= says
                        # after a HEAD is left to the GET cells.
                        loc = urllib.parse.urlsplit(r.location or "")
                        wrong = None if (r.status, loc.path) == (303, "/login") else \
                            "%d %s" % (r.status, r.location or "")
                    else:
                        wrong = self.mismatch(r, expect, head_row, url)
                    self.assertIsNone(wrong, "HEAD %s as %s: expected %s, got %s (%s)"
                                      % (url, role, expect, wrong, row.where))
                    self.assertEqual(r.body, b"", "HEAD %s as %s sent a body" % (url, role))

    def test_unknown_paths_are_404(self):
        """Under each program's prefix, a path it does not serve is the
        program's 404 page, whoever asks (before any session)."""
        for prefix in sorted(self.prefixes):
            paths = [prefix + "/no-such-page", prefix + "/no/such/page", prefix + "/.env"]
            # Near misses of real pages ("/loginx" would be nginx's: not a prefix).
            deeper = [r for r in self.routes if self.routes[r].prefix == prefix and r != prefix]
            if deeper:
                paths += [deeper[0] + "x", deeper[-1] + "/x"]
            for path in paths:
                for role in ("public", "ent_A", "province"):
                    with self.subTest(cell="GET %s as %s" % (path, role)):
                        client, _ = self.session(role, False)
                        r = client.get(path)
                        type(self).cells_checked += 1
                        self.assertEqual(r.status, 404, "GET %s as %s: expected 404, got %d %s"
                                         % (path, role, r.status, r.location or ""))
                        # The program's page (its layout), not nginx's.
                        self.assertIsNotNone(r.role(), "GET %s as %s: not the program's 404 page"
                                             % (path, role))

    def test_error_pages_are_chinese(self):
        """The UI is Simplified Chinese: an error page's title and heading too,
        and nginx's own answers for paths no program serves."""
        province, ent_b = self.clients["province"], self.clients["ent_B"]
        cases = [
            ("GET /admin/no-such-page (404)", lambda: province.get("/admin/no-such-page")),
            ("GET /admin/users as ent_B (403)", lambda: ent_b.get("/admin/users")),
            ("GET /apply/view?id={missing} as ent_B (404)",
             lambda: ent_b.get("/apply/view?id=" + MISSING_ID)),
            ("PUT /home (405)", lambda: province.request("PUT", "/home", body=b"")),
            ("POST /login/password without CSRF token (403)",
             lambda: province.post("/login/password", {})),
            ("GET /no-such-program (nginx 404)", lambda: Client().get("/no-such-program")),
        ]
        for what, call in cases:
            with self.subTest(page=what):
                r = call()
                self.assertGreaterEqual(r.status, 400, what)
                wrong = []
                for tag in ("title", "h1"):
                    e = r.page.find(tag)
                    text = e.text if e is not None else ""
                    if not CJK.search(text) or re.search(r"[A-Za-z]{3}", text):
                        wrong.append("<%s> %r" % (tag, text))
                if wrong:
                    self.fail("%s: not Chinese: %s" % (what, ", ".join(wrong)))

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "cells_checked", 0):
            print("\naccess table: %d requests checked" % cls.cells_checked)
        super().tearDownClass()


if __name__ == "__main__":
    unittest.main()
