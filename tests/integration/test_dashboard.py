"""Issue 17, the province's dashboard (/home/dashboard, steps/home/
home_dashboard.h): for a round, a funnel per city and for the province
(申报, 推荐, 评审, 拟认定, 质量标杆) and five years of the applications and
benchmarks per scope category, as SVG drawn on the server with the same
numbers in tables.  The counts here come from applications made through
the pages in a round of the test's own."""

import re
import unittest

import bgtest
from bgtest import sql_value
from test_recommend import HEGANG, QITAIHE, RecommendCase, city_client, make_round, submitted_app


class DashboardTest(RecommendCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = make_round(quota=3)
        cls.province = bgtest.admin_client()

    def part(self, text, pattern):
        m = re.search(pattern, text, re.S)
        self.assertIsNotNone(m, pattern)
        return m.group(1)

    def cells(self, text, city):
        row = self.part(text, r'<tr data-city="%s">(.*?)</tr>' % city)
        return [int(v) for v in re.findall(r'<td data-stage="\w+">(\d+)</td>', row)]

    def test_funnels_and_years_count_each_application_once(self):
        hegang, qitaihe = city_client(HEGANG), city_client(QITAIHE)
        submitted_app(self.round_id, HEGANG)
        submitted_app(self.round_id, HEGANG, submit=False)  # a draft counts nowhere
        _, returned = submitted_app(self.round_id, HEGANG)
        self.assertRedirect(self.return_(hegang, returned), "/recommend/app")
        _, chosen = submitted_app(self.round_id, QITAIHE)
        self.assertRedirect(self.recommend(qitaihe, chosen), "/recommend/app")

        r = self.province.get("/home/dashboard?round=%d" % self.round_id)
        self.assertStatus(r, 200)
        page, text = r.page, r.text
        self.assertEqual(self.cells(text, HEGANG[0]), [2, 0, 0, 0, 0])
        self.assertEqual(self.cells(text, QITAIHE[0]), [1, 1, 0, 0, 0])
        self.assertEqual(self.cells(text, "total"), [3, 1, 0, 0, 0])
        # Every active city has its row and its funnel, all labelled.
        cities = int(sql_value("SELECT COUNT(*) FROM city WHERE active = 1"))
        self.assertEqual(len([tr for tr in page.find_all("tr") if "data-city" in tr.attrs]),
                         cities + 1)
        svgs = page.find_all("svg")
        self.assertEqual(len(svgs), 1 + cities + 2)
        for svg in svgs:
            self.assertEqual(svg.attrs.get("role"), "img")
            self.assertTrue(svg.attrs.get("aria-label"))
        card = self.part(text, r'<figure class="funnel-card" data-city="%s">(.*?)</figure>'
                         % QITAIHE[0])
        self.assertIn("申报1件，推荐1件", card)
        # The first stage is drawn full width, a later one in proportion.
        self.assertEqual([int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', card)],
                         [300, 300, 0, 0, 0])
        # Five years up to the round's; its row totals the applications.
        years = [int(tr.attrs["data-year"]) for tr in page.find_all("tr") if "data-year" in tr.attrs]
        self.assertEqual(years, list(range(self.year - 4, self.year + 1)))
        row = self.part(text, r'<tr data-year="%d">(.*?)</tr>' % self.year)
        self.assertIn('<td data-total="applied">3</td>', row)
        self.assertIn('<td data-total="benchmarks">0</td>', row)
        # The round is chosen in the form, which keeps it.
        option = page.find("option", value=str(self.round_id))
        self.assertIn("selected", option.attrs)

    def test_round_choice(self):
        self.assertStatus(self.province.get("/home/dashboard"), 200)
        self.assertStatus(self.province.get("/home/dashboard?round=9007199254740000"), 404)
        # A malformed round reads as none given: the current round.
        self.assertStatus(self.province.get("/home/dashboard?round=abc"), 200)
        self.assertIsNone(re.search(r"\bNaN\b|undefined", self.province.get("/home/dashboard").text))


if __name__ == "__main__":
    unittest.main()
