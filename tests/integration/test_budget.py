"""What a request costs the database, and the workers' caches that keep it
low (issue 16): no ping before a request, the statements each page runs, the
working-day calendar read once per worker and the public pages kept for
visitors without a session, both following every change at once.

The counts are MariaDB's own (SHOW GLOBAL STATUS: Com_stmt_execute for the
programs' prepared statements, Com_admin_commands for pings), read around one
request after the page has been loaded on both workers; the test's own
client uses the text protocol, which these counters do not see."""

import bgtest
from bgtest import Client, q, sql, sql_root
from test_publicity import objection_body, open_publicity

COUNTERS = ("Com_stmt_execute", "Com_admin_commands", "Com_begin", "Com_commit")


def server_counts():
    rows = sql_root("SHOW GLOBAL STATUS WHERE Variable_name IN (%s)"
                    % ", ".join(q(n) for n in COUNTERS))
    return {name: int(value) for name, value in rows}


def cost(call, warm=4):
    """(response, {counter: how much one call moved it}) once call has run
    warm times (every worker has prepared its statements)."""
    for _ in range(warm):
        call()
    before = server_counts()
    r = call()
    after = server_counts()
    return r, {name: after[name] - before[name] for name in COUNTERS}


class BudgetTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.province = bgtest.admin_client()
        cls.city = bgtest.logged_in(bgtest.create_account("city", city=bgtest.HARBIN[0]))

    def test_no_ping(self):
        before = server_counts()
        for _ in range(8):
            self.assertStatus(Client().get("/login"), 200)
            self.assertStatus(Client().get("/publish/lists"), 200)
            self.assertStatus(self.province.get("/home"), 200)
            self.assertStatus(self.city.get("/apply/city"), 200)
        self.assertEqual(server_counts()["Com_admin_commands"] - before["Com_admin_commands"], 0)

    def test_statements_per_page(self):
        # (what, the request, at most this many statements).  Each is what
        # the page shows, one statement each; the session is one more.
        budget = [
            ("the login form: nothing to read", lambda: Client().get("/login"), 0),
            ("a kept public page: the public counter", lambda: Client().get("/publish/lists"), 1),
            ("the public notice: the same", lambda: Client().get("/publicity/notice"), 1),
            ("province home: session, unread notices, accounts, rounds, applications"
             " (counted), sessions waiting, replacements, publicities, calendar counter",
             lambda: self.province.get("/home"), 9),
            ("city home: session, unread notices, applications (counted), round, batch,"
             " calendar counter (the batch's working days left)",
             lambda: self.city.get("/home"), 6),
            ("city list: session, count, one page", lambda: self.city.get("/apply/city"), 3),
            ("accounts list: session, count, one page",
             lambda: self.province.get("/admin/users"), 3),
            ("calendar: session, calendar counter, the year's rows, the years",
             lambda: self.province.get("/admin/calendar"), 4),
        ]
        for what, call, most in budget:
            with self.subTest(what):
                r, moved = cost(call)
                self.assertStatus(r, 200)
                self.assertLessEqual(moved["Com_stmt_execute"], most, moved)
                self.assertEqual(moved["Com_admin_commands"], 0, moved)
                self.assertEqual(moved["Com_begin"], 0, moved)  # reading takes no transaction


class PublicCacheTest(bgtest.TestCase):
    """A kept public page shows a change at once, gives every visitor a
    question of their own, and is never a logged-in user's page."""

    def test_follows_changes_and_fills_each_visitor(self):
        pid, apps = open_publicity(self)
        url = "/publicity/notice?id=%d" % pid
        title = bgtest.sql_value("SELECT title FROM publicity WHERE id = %d" % pid)
        tokens = set()
        for _ in range(6):
            r, moved = cost(lambda: Client().get(url), warm=0)
            self.assertStatus(r, 200)
            self.assertIn(title, r.text)
            self.assertNotIn("bgfill-", r.text)
            tokens.add(r.page.find("input", name="question_token").attrs["value"])
        self.assertEqual(len(tokens), 6, "each visitor gets a question of their own")
        self.assertEqual(cost(lambda: Client().get(url))[1]["Com_stmt_execute"], 1)
        # An objection with the question of a kept page is taken.
        visitor = Client()
        body, ctype = objection_body(visitor, pid, apps[0])
        self.assertRedirect(visitor.post("/publicity/object", body=body, content_type=ctype),
                            "/publicity/received")

        # A change, even one made straight in the database, shows on every
        # worker at the next request.
        changed = title + "（更正）"
        sql("UPDATE publicity SET title = %s WHERE id = %d" % (q(changed), pid))
        for _ in range(4):
            self.assertIn(changed, Client().get(url).text)
        sql("UPDATE publicity SET title = %s WHERE id = %d" % (q(title), pid))
        for _ in range(4):
            self.assertNotIn(changed, Client().get(url).text)

        # A logged-in visitor gets a page made for them, and it is not kept
        # for anyone else.
        province = bgtest.admin_client()
        for _ in range(4):
            mine = province.get(url)
            self.assertStatus(mine, 200)
            self.assertIsNotNone(mine.page.find("input", name="csrf"))
        for _ in range(4):
            anon = Client().get(url)
            self.assertIsNone(anon.page.find("input", name="csrf"))
            self.assertNotIn(bgtest.province_account().login, anon.text)

    def test_the_query_is_part_of_the_key(self):
        a = Client().get("/publicity/archive?page=1")
        b = Client().get("/publicity/archive?page=2")
        self.assertStatus(a, 200)
        self.assertStatus(b, 200)
        self.assertIn("第1页", a.text)
        self.assertIn("第2页", b.text)
        self.assertIn("第1页", Client().get("/publicity/archive?page=1").text)


class CalendarCacheTest(bgtest.TestCase):
    """The calendar is kept by each worker and read again when it changed."""

    def test_a_change_shows_at_once(self):
        province = bgtest.admin_client()
        year = 2097
        day = "%d-05-06" % year
        sql("DELETE FROM calendar_day WHERE day = %s" % q(day))
        self.addCleanup(sql, "DELETE FROM calendar_year WHERE year = %d AND NOT EXISTS"
                        " (SELECT 1 FROM calendar_day WHERE YEAR(day) = %d)" % (year, year))
        self.addCleanup(sql, "DELETE FROM calendar_day WHERE day = %s" % q(day))

        def holidays():
            r = province.get("/admin/calendar?year=%d" % year)
            self.assertStatus(r, 200)
            return [td.attrs.get("title", "") for td in r.page.find_all("td", class_="cal-holiday")]

        for _ in range(4):
            self.assertFalse([t for t in holidays() if t.startswith(day)])
        sql("INSERT INTO calendar_day (day, kind, name) VALUES (%s, 'holiday', '缓存测试日')" % q(day))
        for _ in range(4):
            self.assertTrue([t for t in holidays() if t.startswith(day)])
        sql("DELETE FROM calendar_day WHERE day = %s" % q(day))
        for _ in range(4):
            self.assertFalse([t for t in holidays() if t.startswith(day)])
