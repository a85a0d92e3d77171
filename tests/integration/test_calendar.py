"""The working-day calendar's admin pages (issue 3): the month grids show the
official arrangement, and the administrator adds, edits and removes dates,
each one change with its audit record; bad input changes nothing.

Writes only dates of 2099 (a year no other suite uses) and removes them."""

import unittest

import bgtest
from bgtest import q, sql, sql_value

YEAR = 2099


def day_rows(date):
    return sql("SELECT kind, name FROM calendar_day WHERE day = %s" % q(date))


def audit_count(action, date, after_id):
    return int(sql_value("SELECT COUNT(*) FROM audit WHERE action = %s AND object_id = %s"
                         " AND id > %d" % (q(action), q(date), after_id)))


class CalendarPageTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()

    def setUp(self):
        self.cleanup()

    def tearDown(self):
        self.cleanup()

    def cleanup(self):
        c = self.admin
        for (date,) in sql("SELECT day FROM calendar_day WHERE YEAR(day) = %d" % YEAR):
            c.get("/admin/calendar?year=%d" % YEAR)
            c.post("/admin/calendar/remove", {"date": date}, csrf=True)

    def test_year_2026_shows_the_official_arrangement(self):
        r = self.admin.get("/admin/calendar?year=2026")
        self.assertStatus(r, 200)
        page = r.page
        self.assertEqual(len(page.find_all("table", class_="month")), 12)
        holidays = page.find_all("td", class_="cal-holiday")
        workdays = page.find_all("td", class_="cal-workday")
        # 2026: 33 days off, 6 weekend working days (State Council notice of 2025-11-04).
        self.assertEqual(len(holidays), 33)
        self.assertEqual(len(workdays), 6)
        titles = [td.attrs.get("title", "") for td in holidays]
        self.assertTrue(any(t.startswith("2026-10-01 国庆节") for t in titles), titles[:5])
        self.assertTrue(any(t.startswith("2026-02-14") for t in
                            (td.attrs.get("title", "") for td in workdays)))
        self.assertIsNone(r.error_summary())

    def test_year_without_arrangement_says_so(self):
        r = self.admin.get("/admin/calendar?year=%d" % YEAR)
        self.assertStatus(r, 200)
        self.assertIn("尚未录入", r.error_summary() or "")

    def test_add_edit_remove(self):
        c = self.admin
        base = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
        c.get("/admin/calendar?year=%d" % YEAR)
        r = c.post("/admin/calendar/add",
                   {"date": "%d-01-01" % YEAR, "kind": "holiday", "name": "元旦"}, csrf=True)
        self.assertRedirect(r, "/admin/calendar?year=%d" % YEAR)
        self.assertEqual(day_rows("%d-01-01" % YEAR), [["holiday", "元旦"]])
        # The year has dates now, but is not complete: not loaded.
        self.assertEqual(sql("SELECT complete FROM calendar_year WHERE year = %d" % YEAR), [["0"]])
        self.assertEqual(audit_count("calendar.add", "%d-01-01" % YEAR, base), 1)
        page = c.get("/admin/calendar?year=%d" % YEAR).page
        self.assertEqual(len(page.find_all("td", class_="cal-holiday")), 1)

        # 2099-01-03 is a Saturday: a working weekend day is allowed there.
        r = c.post("/admin/calendar/edit",
                   {"old_date": "%d-01-01" % YEAR, "date": "%d-01-03" % YEAR,
                    "kind": "workday", "name": "元旦调休"}, csrf=True)
        self.assertRedirect(r, "/admin/calendar?year=%d" % YEAR)
        self.assertEqual(day_rows("%d-01-01" % YEAR), [])
        self.assertEqual(day_rows("%d-01-03" % YEAR), [["workday", "元旦调休"]])
        self.assertEqual(audit_count("calendar.edit", "%d-01-01" % YEAR, base), 1)

        c.get("/admin/calendar?year=%d" % YEAR)
        r = c.post("/admin/calendar/remove", {"date": "%d-01-03" % YEAR}, csrf=True)
        self.assertRedirect(r, "/admin/calendar?year=%d" % YEAR)
        self.assertEqual(day_rows("%d-01-03" % YEAR), [])
        # The year's last row gone: the year no longer counts as loaded.
        self.assertEqual(sql_value("SELECT COUNT(*) FROM calendar_year WHERE year = %d" % YEAR), "0")
        self.assertEqual(audit_count("calendar.remove", "%d-01-03" % YEAR, base), 1)

    def test_bad_input_changes_nothing(self):
        c = self.admin
        date = "%d-01-05" % YEAR  # a Monday
        cases = [
            ({"date": date, "kind": "workday", "name": "调休"}, 422, "星期一"),
            ({"date": "%d-02-30" % YEAR, "kind": "holiday", "name": "x"}, 422, "日期"),
            ({"date": date, "kind": "vacation", "name": "x"}, 422, "类型"),
            ({"date": date, "kind": "holiday", "name": ""}, 422, "节日名称"),
            ({"date": date, "kind": "holiday", "name": "节" * 65}, 422, "64"),
            ({"date": date, "kind": "holiday", "name": "a,b"}, 422, None),
        ]
        before = sql_value("SELECT COUNT(*) FROM audit")
        for fields, status, words in cases:
            with self.subTest(fields=fields):
                c.get("/admin/calendar?year=%d" % YEAR)
                r = c.post("/admin/calendar/add", fields, csrf=True)
                self.assertStatus(r, status)
                self.assertNotIn("<script>alert", r.text)
                if words:
                    self.assertIn(words, r.text)
                self.assertEqual(day_rows(date), [])
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit"), before)

    def test_names_are_escaped(self):
        c = self.admin
        c.get("/admin/calendar?year=%d" % YEAR)
        name = "<script>alert(1)</script>"
        r = c.post("/admin/calendar/add", {"date": "%d-03-02" % YEAR, "kind": "holiday",
                                           "name": name}, csrf=True)
        self.assertRedirect(r, "/admin/calendar?year=%d" % YEAR)
        text = c.get("/admin/calendar?year=%d" % YEAR).text
        self.assertNotIn(name, text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", text)

    def test_duplicate_date_is_409_and_input_kept(self):
        c = self.admin
        c.get("/admin/calendar?year=%d" % YEAR)
        fields = {"date": "%d-05-01" % YEAR, "kind": "holiday", "name": "劳动节"}
        self.assertRedirect(c.post("/admin/calendar/add", fields, csrf=True),
                            "/admin/calendar?year=%d" % YEAR)
        c.get("/admin/calendar?year=%d" % YEAR)
        r = c.post("/admin/calendar/add", dict(fields, name="重复"), csrf=True)
        self.assertStatus(r, 409)
        self.assertIn('value="重复"', r.text)
        self.assertEqual(day_rows("%d-05-01" % YEAR), [["holiday", "劳动节"]])

    def test_csrf_and_roles(self):
        c = self.admin
        r = c.post("/admin/calendar/add",
                   {"date": "%d-06-01" % YEAR, "kind": "holiday", "name": "x"})
        self.assertStatus(r, 403)
        self.assertEqual(day_rows("%d-06-01" % YEAR), [])
        city = bgtest.logged_in(bgtest.create_account("city", city="230100"))
        self.assertStatus(city.get("/admin/calendar"), 403)

    def test_province_home_warns_when_next_year_is_missing(self):
        # From 1 November the next year's arrangement is due.
        today = sql_value("SELECT DATE_FORMAT(NOW(), '%Y-%m-%d')")
        year, month = int(today[:4]), int(today[5:7])
        # Only a complete year is loaded (sql/009).
        loaded = {int(y) for (y,) in sql("SELECT year FROM calendar_year WHERE complete = 1")}
        r = self.admin.get("/home")
        self.assertStatus(r, 200)
        warning = r.error_summary() or ""
        if year not in loaded:
            self.assertIn("%d 年" % year, warning)
        elif month >= 11 and year + 1 not in loaded:
            self.assertIn("%d 年" % (year + 1), warning)
        else:
            self.assertEqual(warning, "")


if __name__ == "__main__":
    unittest.main()
