"""Issue 7, section 2 (the pages as a user sees them) and the upload CSRF
item of section 3:

  1. every error page, the programs' and the web server's own, is Chinese
     and in the site's layout;
  2. the navigation marks exactly the current section;
  3. post/redirect/get: a refused save keeps the object's URL, a created
     account's password is shown once on a page reached by 303, and every
     successful POST of every program ends in a 303;
  4. the application form carries its files: one POST saves the text and
     the file, the result is shown next to the file input, the CSRF token is
     the body's first field and never in a URL (nor in nginx's access log);
  5. lists and forms fit from 360 to 1920 px (headless Chromium);
  6. the application view prints on A4 without the site's header,
     navigation or buttons (headless Chromium, pdfinfo, pdftotext);
  7. every form control has an accessible name; deleting asks first;
  8. smaller: account state 正常, the new round's defaults, one
     Cache-Control on downloads, the administrator's to-do list, the stop
     command scripts/up prints.

The browser checks need chromium (and poppler-utils for the print check):
they are skipped, saying so, where those are not installed."""

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse
from html.parser import HTMLParser

import bgtest
from bgtest import Client, HARBIN, q, raw_request, sql, sql_value
from test_apply import (ApplyTestCase, complete_application, make_pdf, multipart, open_round,
                        register, upload)
from test_rounds import round_fields, used_years

SRC = bgtest.SRC_DIR
ERROR_CODES = (400, 403, 404, 405, 413, 414, 500, 502, 503, 504)
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def h1(r):
    e = r.page.find("h1")
    return e.text if e else None


def current_items(r):
    """The labels of the navigation items marked as the current page."""
    return [a.text for a in r.page.find_all("a") if a.attrs.get("aria-current") == "page"]


def header_html(text):
    """The site header of a page, whitespace normalised."""
    m = re.search(r'<header class="site">.*?</header>', text, re.S)
    return re.sub(r"\s+", " ", m.group(0)) if m else None


def read_file(*parts):
    with open(os.path.join(SRC, *parts), encoding="utf-8") as f:
        return f.read()


def post_routes():
    """Every (route, method POST) of every program's page table (cgi-bin/*.c)."""
    routes = set()
    for name in sorted(os.listdir(os.path.join(SRC, "cgi-bin"))):
        if not name.endswith(".c"):
            continue
        text = read_file("cgi-bin", name)
        m = re.search(r'struct program prog = \{ "\w+", "(/\w+)"', text)
        prefix = m.group(1)
        for path, methods in re.findall(r'^\s*\{ "([^"]*)", (METHOD_[A-Z_ |]+),', text, re.M):
            if "METHOD_POST" in methods:
                routes.add(prefix + ("/" + path if path else ""))
    return routes


# --- a headless browser -----------------------------------------------------

def chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def as_file_page(text):
    """A page as the server sent it, loadable from a file: its addresses
    (the stylesheet) resolve against the stack."""
    return text.replace("<head>", '<head><base href="%s/">' % bgtest.CONFIG.base_url, 1)


MEASURE_JS = r"""
window.addEventListener('load', function () {
  var w = document.getElementById('f').contentWindow, d = w.document, out = {};
  out.css = w.getComputedStyle(d.querySelector('header.site')).display;
  out.sw = d.documentElement.scrollWidth;
  out.cw = d.documentElement.clientWidth;
  out.wrapped = [];
  d.querySelectorAll('th, .nowrap, nav.main a').forEach(function (e) {
    var walk = d.createTreeWalker(e, 4), t;
    while ((t = walk.nextNode())) {
      var r = d.createRange(), tops = {};
      if (!t.textContent.trim()) continue;
      r.selectNodeContents(t);
      Array.prototype.forEach.call(r.getClientRects(), function (x) {
        if (x.width > 0) tops[Math.round(x.top)] = 1;
      });
      if (Object.keys(tops).length > 1) out.wrapped.push(t.textContent.trim());
    }
  });
  out.scrolling = [];
  d.querySelectorAll('.table-scroll').forEach(function (s) {
    if (s.scrollWidth > s.clientWidth + 1)
      out.scrolling.push(s.querySelector('table').id || s.querySelector('table').className);
  });
  var p = document.createElement('pre');
  p.id = 'measure';
  p.textContent = JSON.stringify(out);
  document.body.appendChild(p);
});
"""


def measure(text, width):
    """Lays out a page at width CSS pixels (in an iframe of that width:
    headless windows have a minimum width) and measures it: sw/cw the
    document's scroll and client width, wrapped the headers and nowrap cells
    whose text breaks over lines, scrolling the scroll boxes whose table is
    wider than they are."""
    host = ('<!DOCTYPE html><html><body style="margin:0"><iframe id="f" style="border:0;'
            'width:%dpx;height:3000px" srcdoc="%s"></iframe><script>%s</script></body></html>'
            % (width, html.escape(as_file_page(text), quote=True), MEASURE_JS))
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "host.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(host)
        p = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                            "--hide-scrollbars", "--window-size=1920,1200",
                            "--virtual-time-budget=10000", "--dump-dom", "file://" + path],
                           capture_output=True, text=True, timeout=120)
    m = re.search(r'<pre id="measure">(.*?)</pre>', p.stdout, re.S)
    if not m:
        raise AssertionError("chromium measured nothing: %s" % p.stderr[-500:])
    return json.loads(html.unescape(m.group(1)))


def print_pdf(text, pdf):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "page.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(as_file_page(text))
        subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + path],
                       capture_output=True, timeout=120, check=True)


def need_browser(test, *tools):
    if not chromium():
        bgtest.allowed_skip(test, "tool",
                            "chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    for tool in tools:
        if not shutil.which(tool):
            bgtest.allowed_skip(test, "tool",
                                "%s is not installed (apt-get install poppler-utils)" % tool)


class LabelCheck(HTMLParser):
    """Form controls without an accessible name: no aria-label, no
    <label for=id>, not inside a <label>."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.controls = []
        self.label_for = set()
        self.in_label = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            if a.get("type") in ("hidden", "submit", "button"):
                return
            self.controls.append((a.get("name"), a.get("id"), bool(a.get("aria-label")),
                                  self.in_label > 0))

    def handle_endtag(self, tag):
        if tag == "label" and self.in_label:
            self.in_label -= 1

    def unlabelled(self):
        return [(name, id_) for name, id_, aria, inside in self.controls
                if not aria and not inside and id_ not in self.label_for]


# --- 1. error pages -----------------------------------------------------------

class ErrorPageTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enterprise = register()
        cls.admin = bgtest.admin_client()

    def assertChinesePage(self, r, status, heading, logged_in):
        self.assertStatus(r, status)
        self.assertEqual(h1(r), heading)
        title = r.page.find("title").text
        self.assertIsNone(LATIN_WORD.search(h1(r)), h1(r))
        self.assertIsNone(LATIN_WORD.search(title), title)
        self.assertIn("黑龙江省质量标杆遴选管理系统", title)
        # In the site's layout: its header and stylesheet, a way on.
        self.assertIsNotNone(r.page.find("header", class_="site"))
        self.assertIsNotNone(r.page.find("link", href="/static/style.css"))
        self.assertEqual(r.page.find("html").attrs.get("lang"), "zh-CN")
        if logged_in:
            self.assertIsNotNone(r.page.find("nav", class_="main"))
            self.assertIsNotNone(r.page.find("a", href="/home"))
        else:
            # No navigation a logged-out user could not use.
            self.assertIsNone(r.page.find("nav", class_="main"))
            self.assertEqual(current_items(r), [])

    def test_program_error_pages(self):
        anon = Client()
        token = self.enterprise.client.csrf_from("/apply")
        cases = [
            ("404 logged out", anon.get("/admin/nosuch"), 404, "页面不存在", False),
            # An unknown page is refused before the session is read.
            ("404 logged in", self.admin.get("/admin/nosuch"), 404, "页面不存在", False),
            ("403", self.enterprise.client.get("/admin/users"), 403, "无权访问", True),
            ("405", anon.get("/apply/start"), 405, "不支持此请求方式", False),
            ("400", anon.get("/home?x=%ZZ"), 400, "请求有误", False),
            # Refused before the session is read: the page of a logged-out user.
            ("415", self.enterprise.client.post("/login/password", body=b"x",
                                                content_type="text/plain"),
             415, "不支持的提交格式", False),
            ("413", raw_request("POST", "/login", b"login=" + b"a" * (2 << 20),
                                {"Content-Type": "application/x-www-form-urlencoded"}),
             413, "提交的内容过大", False),
            ("403 csrf", self.enterprise.client.post("/apply/start", {"round": "1"},
                                                     csrf="0" * 64),
             403, "无权访问", True),
        ]
        self.assertTrue(token)
        for what, r, status, heading, logged_in in cases:
            with self.subTest(what):
                self.assertChinesePage(r, status, heading, logged_in)
        # The English reason phrase stays in the status line only.
        self.assertNotIn("Not Found", anon.get("/admin/nosuch").text)
        self.assertNotIn("Forbidden", self.enterprise.client.get("/admin/users").text)

    def test_web_server_error_pages(self):
        # The web server's own 404 (no program has the address) and 413 (a
        # body over nginx's client_max_body_size or Apache's LimitRequestBody,
        # refused from its declared length).
        r = Client().get("/no-such-program/x")
        self.assertChinesePage(r, 404, "页面不存在", False)
        self.assertIn("Written by scripts/gen-error-pages", r.text)
        r = raw_request("POST", "/apply/edit?id=1", b"--x\r\n",
                        {"Content-Type": "multipart/form-data; boundary=x",
                         "Content-Length": str(200 * 1024 * 1024)})
        self.assertChinesePage(r, 413, "提交的内容过大", False)
        self.assertSecurityHeaders(r, bgtest.CONFIG.web_server + " 413")
        # The same header as the programs' pages for a logged-out user.
        self.assertEqual(header_html(r.text), header_html(Client().get("/admin/nosuch").text))
        # 502, 503, 504 (a program down or too slow) cannot be made here
        # without stopping workers other tests use: their pages are served
        # and the running configuration points at them.
        for code in (502, 503, 504):
            with self.subTest(code=code):
                r = Client().get("/static/error-%d.html" % code)
                self.assertStatus(r, 200)
                self.assertIsNone(LATIN_WORD.search(h1(r)), h1(r))
                self.assertIsNone(r.page.find("nav"))
        with open(bgtest.CONFIG.web_server_file("conf"), encoding="utf-8") as f:
            running = f.read()
        line = {"nginx": "error_page %d /static/error-%d.html;",
                "apache": "ErrorDocument %d /static/error-%d.html"}[bgtest.CONFIG.web_server]
        for code in ERROR_CODES:
            self.assertIn(line % (code, code), running)

    def test_error_page_configuration(self):
        static = os.path.join(SRC, "htdocs", "static")
        for conf, pattern in (("nginx.conf.in", r"error_page (\d+) (\S+);"),
                              ("nginx-site.conf", r"error_page (\d+) (\S+);"),
                              ("apache-biaogan.conf", r"ErrorDocument (\d+) (\S+)")):
            found = dict(re.findall(pattern, read_file("conf", conf)))
            with self.subTest(conf=conf):
                self.assertEqual(sorted(int(c) for c in found), list(ERROR_CODES))
                for code, target in found.items():
                    self.assertEqual(target, "/static/error-%s.html" % code)
                    self.assertTrue(os.path.exists(os.path.join(static, "error-%s.html" % code)))

    def test_static_error_pages_are_generated_and_in_the_layout(self):
        with tempfile.TemporaryDirectory() as d:
            subprocess.run([os.path.join(SRC, "scripts", "gen-error-pages"), d], check=True,
                           capture_output=True, timeout=60)
            for code in ERROR_CODES:
                with self.subTest(code=code):
                    with open(os.path.join(d, "error-%d.html" % code), encoding="utf-8") as f:
                        fresh = f.read()
                    committed = read_file("htdocs", "static", "error-%d.html" % code)
                    self.assertEqual(committed, fresh, "run scripts/gen-error-pages")
                    self.assertNotIn("<script", committed)
                    self.assertIn('<html lang="zh-CN">', committed)
                    self.assertIn("错误代码：%d" % code, committed)
        # The layout's header and footer, as the programs render them.
        layout = read_file("htdocs", "templates", "layout.html")
        footer = re.search(r'<footer class="site">.*?</footer>', layout, re.S).group(0)
        self.assertIn(footer, read_file("htdocs", "static", "error-502.html"))


# --- 2. navigation ------------------------------------------------------------

class NavigationTest(ApplyTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()
        cls.round_id, cls.year = open_round()

    def assertCurrent(self, client, path, label):
        r = client.get(path)
        self.assertStatus(r, 200, path)
        self.assertEqual(current_items(r), [label] if label else [], path)

    def test_exactly_the_current_section(self):
        rid = self.round_id
        uid = bgtest.province_account().id
        for path, label in [("/home", "首页"), ("/admin", "首页"),
                            ("/admin/rounds", "年度遴选"), ("/admin/rounds/new", "年度遴选"),
                            ("/admin/round?id=%d" % rid, "年度遴选"),
                            ("/admin/users", "账户管理"), ("/admin/users/new", "账户管理"),
                            ("/admin/user?id=%d" % uid, "账户管理"), ("/admin/uscc", "账户管理"),
                            ("/admin/sessions", "账户管理"),
                            ("/admin/calendar?year=2026", "工作日历"),
                            ("/admin/audit", "审计日志"), ("/apply/city", "企业申报"),
                            ("/login/password", "修改密码")]:
            with self.subTest(path=path):
                self.assertCurrent(self.admin, path, label)
        ent = register()
        app_id = self.start(ent, rid)
        for path, label in [("/home", "首页"), ("/apply", "企业申报"),
                            ("/apply/edit?id=%d" % app_id, "企业申报"),
                            ("/login/password", "修改密码")]:
            with self.subTest(path=path, role="enterprise"):
                self.assertCurrent(ent.client, path, label)
        # On /home the other items are not marked (each item says so itself).
        r = self.admin.get("/home")
        self.assertEqual(len([a for a in r.page.find_all("a") if "aria-current" in a.attrs]), 1)
        # A page of no section marks none; the logout page neither.
        r = self.admin.get("/admin/nosuch")
        self.assertEqual(current_items(r), [])
        self.assertEqual(current_items(self.admin.get("/login/logout")), [])


# --- 3. post/redirect/get -------------------------------------------------------

class HelpTest(bgtest.TestCase):
    """使用说明 per role, and the measures' text every step links to."""

    ROLES = ("province", "city", "enterprise", "expert", "supervisor")

    def clients(self):
        out = {"province": bgtest.admin_client()}
        for role in ("city", "expert", "supervisor"):
            out[role] = bgtest.logged_in(bgtest.create_account(
                role, city=HARBIN[0] if role == "city" else None))
        out["enterprise"] = register().client
        return out

    def test_each_role_reads_its_own_help(self):
        measures = Client().get("/home/measures")  # no session: the public reads it too
        self.assertStatus(measures, 200)
        anchors = {e.attrs["id"] for e in measures.page.elements if "id" in e.attrs}
        for role, c in self.clients().items():
            with self.subTest(role=role):
                r = c.get("/home/help")
                self.assertStatus(r, 200)
                shown = [rl for rl in self.ROLES if r.page.find(id="help-" + rl)]
                self.assertEqual(shown, [role])
                self.assertEqual(current_items(r), ["使用说明"])
                # Every article it cites is on the measures page.
                cited = [a.attrs["href"].split("#", 1)[1] for a in r.page.find_all("a")
                         if a.attrs.get("href", "").startswith("/home/measures#")]
                self.assertTrue(cited, "the help cites no article")
                self.assertEqual([x for x in cited if x not in anchors], [])
                # Each item of the navigation it offers is a page of the role's.
                for a in r.page.find_all("a"):
                    href = a.attrs.get("href", "")
                    if href.startswith("/") and "#" not in href:
                        self.assertStatus(c.get(href), 200, href)

    def test_the_measures_in_full(self):
        r = Client().get("/home/measures")
        arts = [e for e in r.page.elements if e.attrs.get("id", "").startswith("art-")]
        self.assertEqual([e.attrs["id"] for e in arts], ["art-%d" % n for n in range(1, 20)])
        self.assertIn("在省工信厅网站公示5个工作日", r.page.find(id="art-12").text)
        self.assertIn("撤销称号并公告", r.page.find(id="art-16").text)
        self.assertIn("黑工信科规〔2022〕7号", r.text)
        # The footer of every page links here.
        self.assertIn('href="/home/measures"', Client().get("/login").text)


class PostRedirectGetTest(ApplyTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = open_round()
        cls.admin = bgtest.admin_client()

    def form_action(self, r, form_id):
        return r.page.find("form", id=form_id).attrs.get("action")

    def test_a_refused_save_keeps_the_application_url(self):
        ent = register()
        app_id = self.start(ent, self.round_id)
        url = "/apply/edit?id=%d" % app_id
        r = ent.client.get(url)
        self.assertEqual(self.form_action(r, "application-form"), url)
        token = r.csrf()
        bad = complete_application(profit_1="很多", title="保留的标题")
        # As the browser sends it (multipart, token first) and urlencoded.
        fields = [("csrf", token), ("draft", "1")] + list(bad.items()) + [("action", "save")]
        body, ctype = multipart([], fields=fields)
        for what, r in (("multipart", ent.client.post(url, body=body, content_type=ctype)),
                        ("urlencoded", ent.client.post(url, dict(bad, action="save"),
                                                       csrf=token))):
            with self.subTest(what):
                self.assertStatus(r, 422)
                # Shown at the object's own URL: a reload or a bookmark finds it.
                self.assertEqual(self.form_action(r, "application-form"), url)
                self.assertTrue(r.page.error_for("profit_1"))
                self.assertEqual(r.page.find("input", name="title").attrs["value"], "保留的标题")
        self.assertEqual(self.audit("application.save", app_id), 0)
        self.assertStatus(ent.client.get(url), 200)

    def test_a_refused_round_edit_keeps_the_round_url(self):
        used = used_years()
        year = next(y for y in range(2097, 2030, -1) if y not in used)
        self.admin.get("/admin/rounds/new")
        r = self.admin.post("/admin/rounds/new", round_fields(year), csrf=True)
        self.assertStatus(r, 303)
        rid = int(urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)["id"][0])
        try:
            r = self.admin.get("/admin/round/edit?id=%d" % rid)
            self.assertStatus(r, 200)
            form = r.page.find("form", class_="round-form")
            self.assertEqual(form.attrs["action"], "/admin/round/edit?id=%d" % rid)
            r = self.admin.post(form.attrs["action"],
                                round_fields(year, id=str(rid), mode="full", apply_close="bad"),
                                csrf=True)
            self.assertStatus(r, 422)
            self.assertEqual(r.page.find("form", class_="round-form").attrs["action"],
                             "/admin/round/edit?id=%d" % rid)
        finally:
            sql("DELETE FROM selection_round WHERE id = %d" % rid)

    def test_action_addresses_lead_back_to_their_page(self):
        # A reload or bookmark of the address a refused calendar change was
        # shown at: back to the calendar, not 405.
        self.assertRedirect(self.admin.get("/admin/calendar/add"), "/admin/calendar")
        self.assertRedirect(self.admin.get("/admin/calendar/edit?date=2026-10-01"),
                            "/admin/calendar?year=2026")

    def test_a_new_accounts_password_is_shown_once(self):
        login = bgtest.unique_login("once")
        self.admin.get("/admin/users/new")
        r = self.admin.post("/admin/users/new", {"login": login, "display_name": "一次性密码测试",
                                                 "role": "expert", "city_code": ""}, csrf=True)
        account_id = int(sql_value("SELECT id FROM account WHERE login = %s" % q(login)))
        self.assertRedirect(r, "/admin/user/password?id=%d" % account_id)
        page = r.location
        hash_ = bgtest.token_hash_hex(self.admin.session_token())
        sealed = sql_value("SELECT HEX(sealed) FROM session_once WHERE session_hash = UNHEX(%s)"
                           " AND ref_id = %d" % (q(hash_), account_id))
        self.assertTrue(sealed)
        r = self.admin.get(page)
        self.assertStatus(r, 200)
        password = r.page.find("code", id="initial-password").text
        self.assertGreaterEqual(len(password), 12)
        # Not in the URL, not in the database in clear, and gone once shown.
        self.assertNotIn(password, page)
        self.assertNotIn(password.encode().hex().upper(), sealed)
        self.assertIsNone(sql_value("SELECT sealed FROM session_once WHERE session_hash ="
                                    " UNHEX(%s) AND ref_id = %d" % (q(hash_), account_id)))
        # A reload: no password, no second account, no 409.
        r = self.admin.get(page)
        self.assertStatus(r, 200)
        self.assertIsNone(r.page.find("code", id="initial-password"))
        self.assertIn("已经显示过", r.page.find(id="password-gone").text)
        self.assertNotIn(password, r.text)
        # Another session of the same administrator sees nothing either.
        other = bgtest.logged_in(bgtest.province_account())
        r = other.get(page)
        self.assertIsNone(r.page.find("code", id="initial-password"))
        self.assertIn("没有待显示的密码", r.text)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM account WHERE login = %s" % q(login)), "1")
        # The password works (it was the one generated).
        self.assertStatus(Client().login(login, password), 303)
        # A reset: the same, with its own heading.
        self.admin.get("/admin/user?id=%d" % account_id)
        r = self.admin.post("/admin/user/reset", {"id": str(account_id)}, csrf=True)
        self.assertRedirect(r, "/admin/user/password?id=%d&reset=1" % account_id)
        r = self.admin.get(r.location)
        self.assertEqual(h1(r), "密码已重置")
        temporary = r.page.find("code", id="initial-password").text
        self.assertNotEqual(temporary, password)
        self.assertStatus(Client().login(login, temporary), 303)
        # The one-time rows go with the session.
        c = bgtest.logged_in(bgtest.province_account())
        c.get("/admin/user?id=%d" % account_id)
        c.post("/admin/user/reset", {"id": str(account_id)}, csrf=True)
        h = bgtest.token_hash_hex(c.session_token())
        self.assertEqual(sql_value("SELECT COUNT(*) FROM session_once WHERE session_hash ="
                                   " UNHEX(%s)" % q(h)), "1")
        c.get("/login/logout")
        c.post("/login/logout", {}, csrf=True)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM session_once WHERE session_hash ="
                                   " UNHEX(%s)" % q(h)), "0")

    def test_every_successful_post_ends_in_303(self):
        """Each POST page of each program (read from the page tables), done
        successfully once: the answer is a 303 (post/redirect/get)."""
        admin = bgtest.logged_in(bgtest.province_account())
        target = bgtest.create_account("expert")
        forced = bgtest.create_account("city", city=HARBIN[0], force_change=True)
        ent = register()
        app_id = self.start(ent, self.round_id)
        used = used_years()
        code_year = next(y for y in range(2099, 2030, -1) if y not in used)
        from test_uscc_exception import failing_code
        code = failing_code()
        done = {}

        def post(client, path, fields, page=None):
            client.get(page or path)
            r = client.post(path, fields, csrf=True)
            done[urllib.parse.urlsplit(path).path] = r
            return r

        plain = Client()
        r = plain.login(target.login, target.password)
        done["/login"] = r
        fc = Client()
        fc.login(forced.login, forced.password)
        post(fc, "/login/password", {"old_password": forced.password,
                                     "new_password": "Forced#Change2026",
                                     "new_password2": "Forced#Change2026"})
        post(plain, "/login/logout", {})
        uid = target.id
        post(admin, "/admin/users/new", {"login": bgtest.unique_login("ok"),
                                         "display_name": "成功", "role": "expert",
                                         "city_code": ""})
        for action, extra in (("totp/require", {"required": "1"}), ("totp/reset", {})):
            post(admin, "/admin/user/" + action, dict(extra, id=str(uid)),
                 "/admin/user?id=%d" % uid)
        post(bgtest.logged_in(bgtest.create_account("expert", tag="otp")), "/login/totp",
             {"action": "begin"})
        for action in ("reset", "disable", "enable", "unlock", "sessions/end"):
            post(admin, "/admin/user/" + action, {"id": str(uid)}, "/admin/user?id=%d" % uid)
        victim = bgtest.logged_in(bgtest.create_account("expert", tag="end"))
        post(admin, "/admin/sessions/end", {"session": bgtest.sql_value(
            "SELECT id FROM session WHERE token_hash = UNHEX(%s)"
            % bgtest.q(bgtest.token_hash_hex(victim.session_token())))}, "/admin/sessions")
        day = "2099-12-30"
        post(admin, "/admin/calendar/add", {"date": day, "kind": "holiday", "name": "测试"},
             "/admin/calendar?year=2099")
        post(admin, "/admin/calendar/edit", {"old_date": day, "date": day, "kind": "holiday",
                                             "name": "测试二"}, "/admin/calendar?year=2099")
        post(admin, "/admin/calendar/complete", {"year": "2099", "confirm": "1"},
             "/admin/calendar?year=2099")
        post(admin, "/admin/calendar/reopen", {"year": "2099", "confirm": "1"},
             "/admin/calendar?year=2099")
        post(admin, "/admin/calendar/remove", {"date": day}, "/admin/calendar/remove?date=" + day)
        r = post(admin, "/admin/rounds/new", round_fields(code_year))
        rid = int(urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)["id"][0])
        post(admin, "/admin/round/edit?id=%d" % rid,
             dict(round_fields(code_year, default_quota="6"), id=str(rid), mode="full"))
        sql("DELETE FROM selection_round WHERE id = %d" % rid)
        post(admin, "/admin/uscc/add", {"uscc": code, "reason": "已核对营业执照原件"},
             "/admin/uscc")
        post(admin, "/admin/uscc/remove", {"uscc": code}, "/admin/uscc")
        # The enterprise's pages.
        reg = register()  # POST /apply/register: 303 (asserted by the helper)
        done["/apply/register"] = bgtest.Response(303, {}, b"")
        self.assertTrue(reg.client.session_token())
        bare = bgtest.create_account("enterprise")
        bc = bgtest.logged_in(bare)
        from test_apply import reg_fields
        profile = {k: v for k, v in reg_fields().items()
                   if k not in ("login", "password", "password2")}
        post(bc, "/apply/profile", profile)
        post(ent.client, "/apply/start", {"round": str(self.round_id)}, "/apply")
        post(ent.client, "/apply/edit?id=%d" % app_id, dict(complete_application(),
                                                            action="save"))
        r = upload(ent.client, app_id, "experience", "e.pdf", make_pdf("e"))
        self.assertStatus(r, 303)
        r = upload(ent.client, app_id, "commitment", "c.pdf", make_pdf("c"))
        file_id = int(sql_value("SELECT id FROM attachment WHERE application_id = %d AND"
                                " kind = 'commitment'" % app_id))
        post(ent.client, "/apply/delete-file", {"id": str(app_id), "file": str(file_id)},
             "/apply/delete-file?id=%d&file=%d" % (app_id, file_id))
        upload(ent.client, app_id, "commitment", "c.pdf", make_pdf("c2"))
        post(ent.client, "/apply/submit", {"id": str(app_id)}, "/apply")
        # The city's recommendation, in a round of its own, and the province's
        # actions on the city's batch.
        from test_recommend import city_client, make_round, shanghai, submitted_app
        rec_round, _ = make_round(quota=2)
        city = city_client(HARBIN)
        a, b, c = (submitted_app(rec_round, HARBIN)[1] for _ in range(3))
        post(city, "/recommend/return", {"id": str(c), "reason": "请补充指标的统计口径。"},
             "/recommend/app?id=%d" % c)
        post(city, "/recommend/decline", {"id": str(b), "reason": "示范性不足。"},
             "/recommend/app?id=%d" % b)
        post(city, "/recommend/reconsider", {"id": str(b)}, "/recommend/app?id=%d" % b)
        # Decided again: a batch is submitted only with every application decided.
        city.post("/recommend/decline", {"id": str(b), "reason": "示范性不足。"},
                  csrf=city.csrf_from("/recommend/app?id=%d" % b))
        post(city, "/recommend/recommend", {"id": str(a), "opinion": "成效显著，推荐。",
                                            "rank": ""}, "/recommend/app?id=%d" % a)
        post(city, "/recommend/credit", {"id": str(a), "kind": "dishonest_debtor",
                                         "result": "clear", "checked_on": sql_value(
                                             "SELECT CURDATE()"), "note": ""},
             "/recommend/app?id=%d" % a)
        batch = "/recommend/batch?round=%d" % rec_round
        post(city, "/recommend/batch/order", {"round": str(rec_round), "rank_%d" % a: "1"}, batch)
        post(city, "/recommend/batch/submit", {"round": str(rec_round)}, batch)
        city_batch = batch + "&city=" + HARBIN[0]
        post(admin, "/recommend/batch/reopen", {"round": str(rec_round), "city": HARBIN[0],
                                                "reason": "市局申请调整排名"}, city_batch)
        post(admin, "/recommend/batch/extend", {"round": str(rec_round), "city": HARBIN[0],
                                                "reason": "延期测试",
                                                "deadline": shanghai("70 DAY").replace(" ", "T")},
             city_batch)
        # The expert pool (issue 11).
        from test_apply import new_uscc
        from test_experts import csv_line, csv_text, expert_form
        r = post(admin, "/experts/new", expert_form())
        eid = int(urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)["id"][0])
        view = "/experts/view?id=%d" % eid
        post(admin, "/experts/edit?id=%d" % eid, expert_form(years="16"),
             "/experts/edit?id=%d" % eid)
        post(admin, "/experts/relation/add", {"id": str(eid), "rel_uscc": new_uscc(),
                                              "rel_name": "测试企业", "rel_kind": "consultancy",
                                              "rel_note": ""}, view)
        rel = sql_value("SELECT MAX(id) FROM expert_relation WHERE expert_id = %d" % eid)
        post(admin, "/experts/relation/remove", {"id": str(eid), "relation": rel}, view)
        post(admin, "/experts/suspend", {"id": str(eid), "suspend_until": sql_value(
            "SELECT CURDATE() + INTERVAL 30 DAY"), "suspend_reason": "出差"}, view)
        post(admin, "/experts/reactivate", {"id": str(eid), "reactivate_reason": "提前返回"}, view)
        post(admin, "/experts/account", {"id": str(eid), "login": bgtest.unique_login("zj")}, view)
        post(admin, "/experts/remove", {"id": str(eid), "remove_reason": "本人申请退出"}, view)
        body, ctype = multipart([("file", "pool.csv", csv_text([csv_line()]).encode("utf-8"),
                                  "text/csv")], [("csrf", admin.csrf_from("/experts/import"))])
        done["/experts/import"] = admin.post("/experts/import", body=body, content_type=ctype)
        # The draw (issue 11): the batch submitted again, a session of it,
        # every step, the supervisor confirming.
        city.post("/recommend/batch/submit", {"round": str(rec_round)},
                  csrf=city.csrf_from(batch))
        from test_draw import add_expert
        for i in range(4):
            add_expert("跳转测试专家%d" % i, "跳转测试单位%d-%s" % (i, bgtest.unique_login("")))
        supervisor = bgtest.create_account("supervisor")
        sup = {"supervisor_login": supervisor.login, "supervisor_password": supervisor.password}
        review_day = sql_value("SELECT CURDATE() + INTERVAL 5 DAY")
        session_fields = {"round": str(rec_round), "title": "PRG评审会", "review_date": review_day,
                          "place": "测试地点", "panel_size": "3", "rotation_k": "0",
                          "app": str(a)}
        r = post(admin, "/draw/new", session_fields)
        sid = urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)["id"][0]
        page = "/draw/session?id=" + sid
        post(admin, "/draw/edit", dict(session_fields, id=sid, place="测试地点二"),
             "/draw/edit?id=" + sid)
        post(admin, "/draw/commit", {"id": sid, "public_source": ""}, page)
        post(admin, "/draw/panel", dict(sup, id=sid), page)
        member = sql_value("SELECT expert_id FROM draw_pick WHERE session_id = %s LIMIT 1" % sid)
        post(admin, "/draw/replace", dict(sup, id=sid, expert=member, reason_kind="conflict",
                                          reason="需回避"), page)
        post(admin, "/draw/reveal", dict(sup, id=sid), page)
        member = sql_value("SELECT p.expert_id FROM draw_pick p WHERE p.session_id = %s AND NOT"
                           " EXISTS (SELECT 1 FROM draw_event d WHERE d.session_id = p.session_id"
                           " AND d.replaces = p.expert_id) LIMIT 1" % sid)
        post(admin, "/draw/rate", {"id": sid, "expert": member, "rating": "5", "comment": ""},
             page)
        # The review (issue 12): the final panel given accounts, each step once.
        panel = [r[0] for r in sql(
            "SELECT p.expert_id FROM draw_pick p WHERE p.session_id = %s AND NOT EXISTS ("
            " SELECT 1 FROM draw_event d WHERE d.session_id = p.session_id"
            " AND d.replaces = p.expert_id) ORDER BY p.number, p.pick_order" % sid)]
        experts = []
        for e in panel:
            acct = bgtest.create_account("expert", tag="prg")
            sql("UPDATE expert SET account_id = %d WHERE id = %s" % (acct.id, e))
            experts.append(bgtest.logged_in(acct))
            post(experts[-1], "/review/declare", {"id": sid, "agree": "1", "conflict": "none",
                                                  "password": acct.password},
                 "/review/declare?id=" + sid)
        rv = "/review/session?id=" + sid
        post(admin, "/review/configure", {"id": sid, "chair": panel[0],
                                          "deadline_date": "2099-12-31", "deadline_time": "17:00"},
             rv)
        app_page = "/review/app?session=%s&app=%s" % (sid, a)
        post(experts[2], "/review/recuse", {"session": sid, "app": str(a), "reason": "亲属关系"},
             app_page)
        sheet = dict({"p%d" % i: "8" for i in range(1, 11)}, session=sid, app=str(a),
                     submit="1", overall="符合要求")
        for x in experts[:2]:
            post(x, "/review/save", sheet, app_page)
        panel_page = "/review/panel?session=%s&app=%s" % (sid, a)
        post(experts[0], "/review/revise", {"session": sid, "app": str(a), "expert": panel[1],
                                            "note": "请复核"}, panel_page)
        post(experts[1], "/review/save", sheet, app_page)
        post(experts[0], "/review/conclude", {"session": sid, "app": str(a), "recommended": "yes",
                                              "opinion": "同意推荐", "ranking": "1"}, panel_page)
        for x in experts[:2]:
            post(x, "/review/answer", {"session": sid, "app": str(a), "kind": "confirm"},
                 panel_page)
        post(admin, "/review/reopen", {"id": sid, "app": str(a), "reason": "复议"}, rv)
        # Publicity and objections (issue 13), in a round of their own.
        from test_publicity import FutureCalendar, objection_body, reviewed_round
        p_round, p_year, p_apps, _ = reviewed_round(n=2, credit=2)
        cal = FutureCalendar()
        self.addCleanup(cal.remove)
        self.addCleanup(sql, "DELETE FROM public_rate WHERE source = '127.0.0.1'")
        pr = "/publicity/round?id=%d" % p_round
        for path in ("/publicity/propose", "/publicity/unpropose", "/publicity/propose"):
            post(admin, path, {"round": str(p_round), "app": str(p_apps[0])}, pr)
        post(admin, "/publicity/propose", {"round": str(p_round), "app": str(p_apps[1])}, pr)
        post(admin, "/publicity/start", {"round": str(p_round), "start_date": cal.start.isoformat(),
                                         "title": "提交后跳转测试公示", "contact": "0451-00000000"}, pr)
        pid = int(sql_value("SELECT id FROM publicity WHERE round_id = %d" % p_round))
        sql("UPDATE publicity SET start_date = CURDATE(), end_date = CURDATE() + INTERVAL 4 DAY"
            " WHERE id = %d" % pid)
        public = Client()
        body, ctype = objection_body(public, pid, p_apps[0])
        done["/publicity/object"] = public.post("/publicity/object", body=body,
                                                content_type=ctype)
        oid = sql_value("SELECT MAX(id) FROM objection WHERE publicity_id = %d" % pid)
        tn = sql_value("SELECT tracking_no FROM objection WHERE id = %s" % oid)
        done["/publicity/track"] = public.post("/publicity/track", {"tracking": tn,
                                                                    "contact": "13912345678"})
        op = "/publicity/objection?id=" + oid
        post(admin, "/publicity/note", {"id": oid, "notes": "核实中"}, op)
        post(admin, "/publicity/decide", {"id": oid, "outcome": "dismissed", "notes": "",
                                          "reasons": "不成立", "reply": "经核实不成立。"}, op)
        # Approval, publication, the national recommendation (issue 13).
        sql("UPDATE publicity SET start_date = CURDATE() - INTERVAL 5 DAY,"
            " end_date = CURDATE() - INTERVAL 1 DAY WHERE id = %d" % pid)
        today = sql_value("SELECT CURDATE()")
        post(admin, "/publish/approve", {"id": str(pid), "approval_date": today,
                                         "approval_ref": "PRG纪要1号"}, "/publish")
        post(admin, "/publish/publish", {"id": str(pid), "award_date": today}, "/publish")
        bid = sql_value("SELECT MIN(id) FROM benchmark WHERE publicity_id = %d" % pid)
        post(admin, "/publish/national", {"year": str(p_year), "bm": bid, "note": ""},
             "/publish/national?year=%d" % p_year)
        # The titles' dynamic management (issue 14): a revocation in its two
        # steps, a national title, an activity with a participant added and
        # removed.
        mp = "/manage/benchmark?id=%s" % bid
        body, ctype = multipart([("file", "决定.pdf", make_pdf("prg"), "application/pdf")],
                                [("csrf", admin.csrf_from(mp)), ("id", bid), ("kind", "revocation"),
                                 ("ground", "credit"), ("facts", "提交后跳转测试事实"),
                                 ("decision_ref", "跳转测试决定1号"), ("decision_date", today)])
        r = done["/manage/decide"] = admin.post("/manage/decide", body=body, content_type=ctype)
        post(admin, "/manage/confirm", {"id": (r.location or "=0").split("=")[-1]}, r.location)
        post(admin, "/manage/national", {"id": bid, "national_title_year": str(p_year)}, mp)
        r = post(admin, "/manage/activity/add", {"held_on": today, "topic": "提交后跳转测试交流会",
                                                 "place": "哈尔滨", "level": "provincial",
                                                 "organiser": "省工信厅"}, "/manage/activities")
        act = (r.location or "?id=0&").split("id=")[1].split("&")[0]
        other = sql_value("SELECT MAX(id) FROM benchmark WHERE publicity_id = %d" % pid)
        part = {"activity": act, "benchmark": other}
        post(admin, "/manage/participation/add", dict(part, contribution="经验发言"),
             "/manage/activity?id=" + act)
        post(admin, "/manage/participation/remove", part, "/manage/activity?id=" + act)
        post(admin, "/home/notices/read", {"all": "1", "back": "notices"}, "/home/notices")
        for route, r in sorted(done.items()):
            with self.subTest(route=route):
                self.assertEqual(r.status, 303, "%s answered %d %s" % (route, r.status,
                                                                      r.error_summary()))
        # Every POST page of the programs is in this test.
        self.assertEqual(sorted(post_routes() - set(done)), [])


# --- 4. the application form with its files -----------------------------------

class ApplicationFormTest(ApplyTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = open_round()
        log = bgtest.CONFIG.web_server_file("access_log")
        cls.access_log = log
        cls.log_start = os.path.getsize(log) if os.path.exists(log) else 0

    def new_app(self):
        ent = register()
        return ent, self.start(ent, self.round_id)

    def files(self, app_id):
        return sql("SELECT kind, original_name FROM attachment WHERE application_id = %d"
                   " ORDER BY id" % app_id)

    def test_the_form_carries_its_files_and_no_secret_in_a_url(self):
        ent, app_id = self.new_app()
        r = ent.client.get("/apply/edit?id=%d" % app_id)
        form = r.page.find("form", id="application-form")
        self.assertEqual(form.attrs.get("enctype"), "multipart/form-data")
        self.assertEqual(form.attrs.get("method"), "post")
        # The token is the form's first field; the file inputs are inside it
        # (after its text fields), and no address on the page holds a token.
        start = r.page.elements.index(form)
        controls = [e for e in r.page.elements[start:]
                    if e.tag in ("input", "select", "textarea", "button")]
        self.assertEqual((controls[0].attrs.get("name"), controls[0].attrs.get("type")),
                         ("csrf", "hidden"))
        names = [e.attrs.get("name") for e in controls]
        for kind in ("experience", "commitment", "supporting"):
            self.assertIn("file_" + kind, names)
        self.assertLess(names.index("exchange_commitment"), names.index("file_experience"))
        self.assertEqual(r.page.find_all("form", enctype="multipart/form-data"), [form])
        for e in r.page.elements:
            for attr in ("href", "action", "formaction", "src"):
                self.assertNotIn("csrf", e.attrs.get(attr) or "", e)
        self.assertIsNotNone(r.page.find(id="attachments"))

    def test_one_post_saves_the_text_and_the_file(self):
        ent, app_id = self.new_app()
        token = ent.client.csrf_from("/apply/edit?id=%d" % app_id)
        fields = ([("csrf", token), ("draft", "1")]
                  + list(complete_application(title="边写边传").items()) + [("action", "upload")])
        body, ctype = multipart([("file_experience", "经验.pdf", make_pdf("ux"), "application/pdf"),
                                 ("file_commitment", "", b"", "application/octet-stream"),
                                 ("file_supporting", "", b"", "application/octet-stream")],
                                fields=fields)
        r = ent.client.post("/apply/edit?id=%d" % app_id, body=body, content_type=ctype)
        self.assertRedirect(r, "/apply/edit?id=%d&saved=1&uploaded=experience#attachments"
                            % app_id)
        self.assertEqual(self.row(app_id, "title")[0][0], "边写边传")
        self.assertEqual(self.files(app_id), [["experience", "经验.pdf"]])
        # The page it leads to says so next to the file input (the browser
        # scrolls to #attachments).
        r = ent.client.get(r.location.split("#")[0])
        self.assertIn("经验.pdf", r.page.find(id="upload-result-experience").text)
        self.assertEqual(r.page.find("input", name="title").attrs["value"], "边写边传")

    def test_a_refused_file_keeps_the_draft_and_says_why_at_the_file(self):
        ent, app_id = self.new_app()
        token = ent.client.csrf_from("/apply/edit?id=%d" % app_id)
        fields = ([("csrf", token), ("draft", "1")]
                  + list(complete_application(title="未上传也保存").items()))
        body, ctype = multipart([("file_experience", "经验.pdf", b"not a pdf at all",
                                  "application/pdf")], fields=fields)
        r = ent.client.post("/apply/edit?id=%d#attachments" % app_id, body=body,
                            content_type=ctype)
        self.assertStatus(r, 415)
        self.assertIn("实际内容是", r.page.find(id="upload-result-experience").text)
        # The text was saved anyway, and the page says so.
        self.assertEqual(self.row(app_id, "title")[0][0], "未上传也保存")
        self.assertIn("草稿已保存", r.text)
        self.assertEqual(self.files(app_id), [])
        # Text with a mistake and a good file: the file is stored, the text
        # shown again with the reason, nothing of it saved.
        fields = ([("csrf", token), ("draft", "1")]
                  + list(complete_application(title="改过的标题", method_years="很多年").items()))
        body, ctype = multipart([("file_experience", "经验.pdf", make_pdf("ok"),
                                  "application/pdf")], fields=fields)
        r = ent.client.post("/apply/edit?id=%d" % app_id, body=body, content_type=ctype)
        self.assertStatus(r, 422)
        self.assertTrue(r.page.error_for("method_years"))
        self.assertEqual(r.page.find("input", name="title").attrs["value"], "改过的标题")
        self.assertIn("经验.pdf", r.page.find(id="upload-result-experience").text)
        self.assertEqual(self.row(app_id, "title")[0][0], "未上传也保存")
        self.assertEqual(self.files(app_id), [["experience", "经验.pdf"]])

    def test_the_token_is_checked_before_the_file_is_read(self):
        ent, app_id = self.new_app()
        token = ent.client.csrf_from("/apply")
        pdf = make_pdf("a")
        file_part = (b'Content-Disposition: form-data; name="file_experience"; filename="a.pdf"'
                     b"\r\nContent-Type: application/pdf\r\n\r\n" + pdf + b"\r\n")
        token_part = (b'Content-Disposition: form-data; name="csrf"\r\n\r\n' + token.encode()
                      + b"\r\n")
        for what, parts in (("missing", [file_part]),
                            ("wrong", [token_part.replace(token.encode(), b"f" * 64), file_part]),
                            ("after the file", [file_part, token_part])):
            with self.subTest(what):
                body = b"".join(b"--XyZ\r\n" + p for p in parts) + b"--XyZ--\r\n"
                r = ent.client.post("/apply/edit?id=%d" % app_id, body=body,
                                    content_type="multipart/form-data; boundary=XyZ")
                self.assertStatus(r, 403)
        self.assertEqual(self.files(app_id), [])
        # The control: the same body with the token first stores the file.
        body = b"".join(b"--XyZ\r\n" + p for p in (token_part, file_part)) + b"--XyZ--\r\n"
        r = ent.client.post("/apply/edit?id=%d" % app_id, body=body,
                            content_type="multipart/form-data; boundary=XyZ")
        self.assertStatus(r, 303)
        self.assertEqual(self.files(app_id), [["experience", "a.pdf"]])

    def test_no_token_in_the_web_servers_log(self):
        ent, app_id = self.new_app()
        self.assertStatus(upload(ent.client, app_id, "supporting", "s.pdf", make_pdf("log")), 303)
        file_id = sql_value("SELECT id FROM attachment WHERE application_id = %d" % app_id)
        ent.client.get("/apply/delete-file?id=%d&file=%s" % (app_id, file_id))
        r = ent.client.post("/apply/delete-file", {"id": str(app_id), "file": file_id}, csrf=True)
        self.assertStatus(r, 303)
        with open(self.access_log, "rb") as f:
            f.seek(self.log_start)
            logged = f.read().decode("utf-8", "replace")
        self.assertIn("/apply/edit?id=%d" % app_id, logged)
        self.assertNotIn("csrf", logged)


# --- 5. and 6. widths and paper -------------------------------------------------

class LayoutTest(ApplyTestCase):
    """The pages as a browser lays them out: from 360 to 1920 px nothing
    scrolls sideways but the tables inside their own boxes, and no header
    breaks into one character per line; the view prints on A4."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = open_round()
        cls.ent = register(name="黑龙江省哈尔滨市某某精密装备制造集团股份有限公司第一分厂测试")
        c = cls.ent.client
        c.get("/apply")
        r = c.post("/apply/start", {"round": str(cls.round_id)}, csrf=True)
        cls.app_id = int(urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)["id"][0])
        token = c.csrf_from("/apply")
        long_text = "以数据驱动的全过程质量管控，覆盖设计、采购、制造、检验和服务各环节。" * 40
        f = complete_application(abstract=long_text[:480], crit_innovation=long_text[:2900],
                                 crit_system=long_text[:1500], crit_effect=long_text[:1500])
        c.post("/apply/edit?id=%d" % cls.app_id, dict(f, action="save"), csrf=token)
        upload(c, cls.app_id, "experience",
               "2026年度黑龙江省质量标杆典型经验材料（某某精密装备制造集团股份有限公司）最终定稿版.pdf",
               make_pdf("layout"), csrf=token)
        upload(c, cls.app_id, "commitment", "承诺书.pdf", make_pdf("c"), csrf=token)
        upload(c, cls.app_id, "supporting", "supporting-document-with-a-very-long-latin-name.pdf",
               make_pdf("s"), csrf=token)
        cls.admin = bgtest.admin_client()

    def pages(self):
        c, a = self.ent.client, self.admin
        return [
            ("edit", c.get("/apply/edit?id=%d" % self.app_id)),
            ("view", c.get("/apply/view?id=%d" % self.app_id)),
            ("apply", c.get("/apply")),
            ("home", a.get("/home")),
            ("calendar", a.get("/admin/calendar?year=2026")),
            ("users", a.get("/admin/users")),
            ("rounds", a.get("/admin/rounds")),
            ("new round", a.get("/admin/rounds/new")),
            ("city list", a.get("/apply/city")),
            ("error", a.get("/admin/nosuch")),
        ]

    def test_from_360_to_1920_px(self):
        need_browser(self)
        pages = self.pages()
        for width in (360, 390, 1280, 1920):
            for what, r in pages:
                with self.subTest(width=width, page=what):
                    m = measure(r.text, width)
                    self.assertEqual(m["css"], "flex", "the stylesheet did not load")
                    self.assertLessEqual(m["sw"], m["cw"], "the page scrolls sideways")
                    self.assertEqual(m["wrapped"], [], "headers broken over lines")
                    if width >= 1280:
                        # Wide enough: the file list fits without scrolling.
                        self.assertNotIn("attachment-list", m["scrolling"])

    def test_the_hash_is_short_with_the_full_value_at_hand(self):
        r = self.ent.client.get("/apply/edit?id=%d" % self.app_id)
        full = sql_value("SELECT sha256 FROM attachment WHERE application_id = %d AND kind ="
                         " 'commitment'" % self.app_id)
        cell = [e for e in r.page.find_all("code") if e.attrs.get("title") == full]
        self.assertEqual(len(cell), 1)
        self.assertLess(len(cell[0].text), 20)
        self.assertTrue(full.startswith(cell[0].text.rstrip("…")))
        self.assertIsNotNone(r.page.find("details", class_="hash"))

    def test_the_view_prints_on_a4(self):
        need_browser(self, "pdfinfo", "pdftotext")
        r = self.ent.client.get("/apply/view?id=%d" % self.app_id)
        self.assertStatus(r, 200)
        with tempfile.TemporaryDirectory() as d:
            pdf = os.path.join(d, "view.pdf")
            print_pdf(r.text, pdf)
            info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True,
                                  check=True).stdout
            text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                                  text=True, check=True).stdout
            boxes = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True,
                                   text=True, check=True).stdout
        self.assertRegex(info, r"Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)")
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        # About 6000 characters of text and the tables: a few pages, not one
        # per section nor an extra one for an overflowing table.
        self.assertLessEqual(pages, 4, info)
        self.assertIn("以数据驱动的全过程质量管控", text)
        self.assertIn(self.ent.fields["name"][:10], text)
        # The record only: no site header, navigation, buttons or hints.
        for word in ("黑龙江省质量标杆遴选管理系统", "修改密码", "退出", "继续填写", "返回企业申报"):
            self.assertNotIn(word, text)
        # The full SHA-256 of each file is on paper.
        for (sha,) in sql("SELECT sha256 FROM attachment WHERE application_id = %d" % self.app_id):
            self.assertIn(sha[:12], text.replace("\n", "").replace(" ", ""))
        # Nothing beyond the page's printable area (A4 595 pt, margins 16 mm = 45 pt).
        right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes))
        self.assertLess(right, 595.3 - 44, "text runs off the page")


# --- 7. labels and confirmations --------------------------------------------------

class AccessibilityTest(ApplyTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()
        cls.round_id, cls.year = open_round()

    def test_every_control_has_a_name(self):
        ent = register()
        app_id = self.start(ent, self.round_id)
        pages = [("/admin/calendar?year=2026", self.admin), ("/admin/users/new", self.admin),
                 ("/admin/rounds/new", self.admin), ("/admin/uscc", self.admin),
                 ("/apply/edit?id=%d" % app_id, ent.client), ("/login/password", ent.client),
                 ("/apply/register", Client()), ("/login", Client())]
        for path, client in pages:
            with self.subTest(path=path):
                r = client.get(path)
                self.assertStatus(r, 200)
                check = LabelCheck(r.text)
                self.assertTrue(check.controls)
                self.assertEqual(check.unlabelled(), [])
        # The calendar's inline forms, each control named after its date.
        r = self.admin.get("/admin/calendar?year=2026")
        row = r.page.find("tr", **{"data-date": "2026-10-01"})
        self.assertIsNotNone(row)
        label = r.page.find("label", **{"for": "name-2026-10-01"})
        self.assertIn("2026年10月1日", label.text)

    def test_deleting_a_calendar_date_asks_first(self):
        c = self.admin
        day = "2099-12-29"
        sql("DELETE FROM calendar_day WHERE day = %s" % q(day))
        c.get("/admin/calendar?year=2099")
        self.assertRedirect(c.post("/admin/calendar/add", {"date": day, "kind": "holiday",
                                                           "name": "确认测试"}, csrf=True),
                            "/admin/calendar?year=2099")
        r = c.get("/admin/calendar?year=2099")
        # No form on the calendar deletes at once: its delete is a link.
        self.assertEqual([f for f in r.page.find_all("form")
                          if f.attrs.get("action") == "/admin/calendar/remove"], [])
        link = r.page.find("a", href="/admin/calendar/remove?date=" + day)
        self.assertIsNotNone(link)
        r = c.get(link.attrs["href"])
        self.assertStatus(r, 200)
        self.assertIn("2099年12月29日", r.page.find(id="remove-date").text)
        self.assertIn("确认测试", r.text)
        self.assertEqual(len(sql("SELECT 1 FROM calendar_day WHERE day = %s" % q(day))), 1)
        form = r.page.find("form", action="/admin/calendar/remove")
        self.assertEqual(form.attrs["method"], "post")
        self.assertRedirect(c.post("/admin/calendar/remove", {"date": day}, csrf=r.csrf()),
                            "/admin/calendar?year=2099")
        self.assertEqual(sql("SELECT 1 FROM calendar_day WHERE day = %s" % q(day)), [])
        self.assertStatus(c.get("/admin/calendar/remove?date=" + day), 404)

    def test_deleting_an_attachment_asks_first(self):
        ent = register()
        app_id = self.start(ent, self.round_id)
        self.assertStatus(upload(ent.client, app_id, "supporting", "留着.pdf", make_pdf("k")), 303)
        file_id = int(sql_value("SELECT id FROM attachment WHERE application_id = %d" % app_id))
        r = ent.client.get("/apply/edit?id=%d" % app_id)
        self.assertEqual([f for f in r.page.find_all("form")
                          if f.attrs.get("action") == "/apply/delete-file"], [])
        href = "/apply/delete-file?id=%d&file=%d" % (app_id, file_id)
        self.assertIsNotNone(r.page.find("a", href=href))
        r = ent.client.get(href)
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find(id="delete-file-name").text, "留着.pdf")
        self.assertEqual(len(sql("SELECT 1 FROM attachment WHERE id = %d" % file_id)), 1)
        self.assertIsNotNone(r.page.find("a", href="/apply/edit?id=%d#attachments" % app_id))
        # Someone else's file: the same 404 as for none.
        self.assertStatus(register().client.get(href), 404)


# --- 8. smaller things -------------------------------------------------------------

class SmallerTest(ApplyTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()
        cls.round_id, cls.year = open_round()

    def test_a_normal_account_says_so(self):
        account = bgtest.create_account("expert")
        r = self.admin.get("/admin/users?q=" + account.login)
        row = [tr for tr in r.page.find_all("tr") if account.login in tr.text][0]
        self.assertIn("正常", row.text)
        sql("UPDATE account SET disabled = 1 WHERE id = %d" % account.id)
        r = self.admin.get("/admin/users?q=" + account.login)
        row = [tr for tr in r.page.find_all("tr") if account.login in tr.text][0]
        self.assertIn("已停用", row.text)
        self.assertNotIn("正常", row.text)

    def test_a_new_round_comes_with_its_defaults(self):
        r = self.admin.get("/admin/rounds/new")
        year = int(r.page.find("input", name="year").attrs["value"])
        self.assertEqual(r.page.find("input", name="title").attrs.get("value"),
                         "%d年度黑龙江省质量标杆遴选" % year)
        self.assertEqual(r.page.find("input", name="default_quota").attrs.get("value"), "5")
        # Only the year changed: the default title follows it.
        used = used_years()
        other = next(y for y in range(2098, 2030, -1) if y not in used)
        fields = round_fields(other, title="%d年度黑龙江省质量标杆遴选" % year)
        r = self.admin.post("/admin/rounds/new", fields, csrf=True)
        self.assertStatus(r, 303)
        rid = int(urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)["id"][0])
        try:
            self.assertEqual(sql_value("SELECT title FROM selection_round WHERE id = %d" % rid),
                             "%d年度黑龙江省质量标杆遴选" % other)
        finally:
            sql("DELETE FROM selection_round WHERE id = %d" % rid)

    def test_a_download_has_one_cache_control(self):
        ent = register()
        app_id = self.start(ent, self.round_id)
        self.assertStatus(upload(ent.client, app_id, "supporting", "a.pdf", make_pdf("cc")), 303)
        file_id = int(sql_value("SELECT id FROM attachment WHERE application_id = %d" % app_id))
        r = ent.client.get("/files/download?id=%d" % file_id)
        self.assertStatus(r, 200)
        self.assertEqual(r.header_all("Cache-Control"), ["no-store"])

    def test_the_administrators_to_do_list(self):
        r = self.admin.get("/home")
        todo = r.page.find("ul", id="province-todo")
        self.assertIsNotNone(todo)
        self.assertIsNotNone(r.page.find("a", href="/admin/round?id=%d" % self.round_id))
        self.assertIsNotNone(r.page.find("a", href="/apply/city"))
        waiting = int(sql_value("SELECT COUNT(*) FROM application WHERE status = 'submitted'"))
        item = r.page.find("li", class_="todo-applications")
        self.assertIn("其中 %d 份等待市（地）工信局推荐" % waiting, item.text)

    def test_scripts_up_prints_the_stop_command_of_this_stack(self):
        up = os.path.join(SRC, "scripts", "up")

        def stop_command(**env):
            e = {k: v for k, v in os.environ.items()
                 if k not in ("BIAOGAN_PORT", "BIAOGAN_RUN_DIR")}
            e.update(env)
            return subprocess.run([up, "--stop-command"], env=e, capture_output=True,
                                  text=True, check=True, timeout=30).stdout.strip()
        stop = os.path.join(SRC, "scripts", "stop")
        self.assertEqual(stop_command(), stop)
        self.assertEqual(stop_command(BIAOGAN_PORT="8080", BIAOGAN_RUN_DIR=".run"), stop)
        self.assertEqual(stop_command(BIAOGAN_PORT="18095", BIAOGAN_RUN_DIR=".run-ui"),
                         "BIAOGAN_PORT=18095 BIAOGAN_RUN_DIR=%s %s"
                         % (os.path.join(SRC, ".run-ui"), stop))
        self.assertEqual(stop_command(BIAOGAN_RUN_DIR="/tmp/a b"),
                         "BIAOGAN_RUN_DIR=/tmp/a\\ b " + stop)


if __name__ == "__main__":
    unittest.main()
