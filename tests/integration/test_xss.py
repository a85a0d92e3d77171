"""Stored XSS: a script payload in every free-text column that users type
(names, titles, reasons, opinions, objections, facts, notes, file names,
browsers' names ...), then every page of the access table that a role may
read (tests/data/access.tsv, its GET cells answered 200), public pages,
lists, detail pages, A4 records and the Atom/JSON feeds included, checked:
nowhere does the payload come out as markup, every HTML page shows it only
escaped, every XML document still parses, every JSON one too.

The payload is written straight into the database as root (past every
input check), in front of the existing text of all rows of the suite so
far, so the renderer alone is tested, on the data all the other modules
left; the rows are restored afterwards (timestamps included).  Columns
whose rows are immutable by trigger (objections, decisions, draw events)
get the payload too: their update triggers are dropped for the test, as
an intruder with the database's root would, and put back after.  Runs after test_ui and before
test_zy_audit (the name sorts there)."""

import csv
import io
import json
import unittest
import xml.etree.ElementTree as ET

import bgtest
import test_access
from bgtest import sql_root

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Starts as a formula: a spreadsheet would run "=1+1..." (CWE-1236), so the
# exports must write it as text.
PAYLOAD = "=1+1\"'<x-xss onmouseover=alert(1)>"
# The text users type, by table: (column, ...).
COLUMNS = {
    "account": ("display_name",),
    "announcement": ("title", "body"),
    "application": ("title", "abstract", "crit_innovation", "crit_system", "crit_effect",
                    "certifications", "industry_other"),
    "application_indicator": ("name",),
    "application_return": ("reason",),
    "attachment": ("original_name",),
    "benchmark": ("enterprise_name", "title"),
    "calendar_day": ("name",),
    "credit_check": ("note",),
    "draw_event": ("reason",),
    "draw_rating": ("comment",),
    "enterprise": ("name", "address", "legal_rep", "contact_name", "ent_type_other"),
    "exchange_activity": ("topic", "place", "organiser"),
    "exchange_participation": ("contribution",),
    "expert": ("name", "title", "specialties", "org_name", "status_reason", "recommended_by"),
    "expert_relation": ("enterprise_name", "note"),
    "national_recommendation": ("note",),
    "objection": ("objector_name", "organisation", "content", "reasons", "notes", "reply"),
    "publicity": ("title", "contact"),
    "publicity_item": ("enterprise_name", "title"),
    "recommendation": ("opinion",),
    "recommend_batch_event": ("reason",),
    "review_conclusion": ("opinion",),
    "review_confirmation": ("reason",),
    "review_declaration": ("reason",),
    "review_recusal": ("reason",),
    "review_sheet": ("overall", "comment_1", "comment_2", "comment_3", "revision_note"),
    "review_session": ("title", "place"),
    "round_criterion": ("title",),
    "selection_round": ("title",),
    "session": ("user_agent",),
    "title_decision": ("facts", "decision_ref"),
    "title_decision_draft": ("facts", "decision_ref"),
    "uscc_exception": ("reason",),
}


def columns_of(table):
    """{column: (max length, on-update timestamp?)} and the primary key."""
    rows = sql_root("SELECT column_name, IFNULL(character_maximum_length, 0),"
                    " extra LIKE '%%on update%%' FROM information_schema.columns"
                    " WHERE table_schema = DATABASE() AND table_name = '%s'" % table)
    cols = {r[0]: (int(r[1]), r[2] == "1") for r in rows}
    pk = [r[0] for r in sql_root("SELECT column_name FROM information_schema.statistics"
                                 " WHERE table_schema = DATABASE() AND table_name = '%s'"
                                 " AND index_name = 'PRIMARY' ORDER BY seq_in_index" % table)]
    return cols, pk


class StoredXssTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The access table's accounts, objects and sessions.
        test_access.AccessTableTest.setUpClass()
        cls.fx = test_access.AccessTableTest("test_every_cell")
        cls.saved, cls.skipped = [], []
        cls.triggers_before = cls.all_triggers()
        try:
            cls.inject()
        except BaseException:
            cls.restore()
            raise

    @staticmethod
    def all_triggers():
        return sql_root("SELECT trigger_name, event_object_table, action_timing,"
                        " event_manipulation, MD5(action_statement) FROM information_schema.triggers"
                        " WHERE trigger_schema = DATABASE() ORDER BY trigger_name")

    @classmethod
    def inject(cls):
        for table, wanted in COLUMNS.items():
            cols, pk = columns_of(table)
            if not cols or not pk:
                raise AssertionError("%s: no such table, or no primary key" % table)
            text = [c for c in wanted if c in cols]
            if len(text) != len(wanted):
                raise AssertionError("%s: columns %s are gone" % (table, set(wanted) - set(cols)))
            stamps = [c for c, (_, on_update) in cols.items() if on_update]
            keep = pk + text + stamps
            saved = "xss_saved_" + table
            sql_root("DROP TABLE IF EXISTS %s" % saved)
            sql_root("CREATE TABLE %s AS SELECT %s FROM %s" % (saved, ", ".join(keep), table))
            triggers = sql_root(
                "SELECT trigger_name, HEX(action_statement)"
                " FROM information_schema.triggers WHERE trigger_schema = DATABASE()"
                " AND event_object_table = '%s' AND event_manipulation = 'UPDATE'"
                " AND action_timing = 'BEFORE'" % table)
            cls.saved.append((table, saved, pk, text, stamps, triggers))
            for name, _ in triggers:
                sql_root("DROP TRIGGER %s" % name)
            for col in text:
                sql_root("UPDATE %s SET %s = LEFT(CONCAT(%s, %s), %d) WHERE %s IS NOT NULL"
                         % (table, col, bgtest.q(PAYLOAD), col, cols[col][0], col))
            if triggers:
                cls.skipped.append(table)

    @classmethod
    def restore(cls):
        failures = []
        for table, saved, pk, text, stamps, triggers in reversed(cls.saved):
            # Each table on its own: one that fails must not keep the others
            # from being put back.
            try:
                sets = ", ".join("t.%s = s.%s" % (c, c) for c in text + stamps)
                sql_root("UPDATE %s t JOIN %s s USING (%s) SET %s"
                         % (table, saved, ", ".join(pk), sets))
                sql_root("DROP TABLE %s" % saved)
            except AssertionError as e:
                failures.append(str(e))
            have = {r[0] for r in sql_root("SELECT trigger_name FROM information_schema.triggers"
                                           " WHERE trigger_schema = DATABASE()")}
            for name, hexed in triggers:
                if name in have:
                    continue
                statement = bytes.fromhex(hexed).decode("utf-8")  # exactly as it was
                try:
                    # A compound body has semicolons of its own.
                    sql_root("DELIMITER //\nCREATE TRIGGER %s BEFORE UPDATE ON %s FOR EACH ROW %s"
                             "//\nDELIMITER ;" % (name, table, statement))
                except AssertionError as e:
                    failures.append(str(e))
        cls.saved = []
        if failures:
            raise AssertionError("the rows or triggers were not all restored:\n"
                                 + "\n".join(failures))

    @classmethod
    def tearDownClass(cls):
        cls.restore()
        if cls.all_triggers() != cls.triggers_before:
            raise AssertionError("the database's triggers are not as they were before the test")
        if cls.skipped:
            print("\nstored XSS: update triggers dropped and restored on " + ", ".join(cls.skipped))
        super().tearDownClass()

    def check_csv(self, body, what):
        """The number of cells of a CSV export holding the payload; each
        neutralised (a leading apostrophe), the file well-formed."""
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        self.assertEqual(len({len(row) for row in rows}), 1, "%s: rows of unequal width" % what)
        cells = [c for row in rows[1:] for c in row if "x-xss" in c]
        for c in cells:
            self.assertNotIn(c[:1], ("=", "+", "-", "@", "\t", "\r"),
                             "%s: a cell a spreadsheet runs as a formula: %r" % (what, c[:40]))
            if PAYLOAD in c:
                self.assertTrue(c.startswith("'"), "%s: %r" % (what, c[:40]))
        return len(cells)

    def check_xlsx(self, body, what):
        """The number of cells of a workbook holding the payload; each a
        string cell, never a formula."""
        from test_recommend import openpyxl
        book = openpyxl().load_workbook(io.BytesIO(body))
        n = 0
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and "x-xss" in cell.value:
                        n += 1
                        self.assertEqual(cell.data_type, "s", "%s: cell %s is a formula: %r"
                                         % (what, cell.coordinate, cell.value[:40]))
        return n

    def test_every_readable_page_escapes_stored_text(self):
        pages = shown = exports = 0
        for row in self.fx.table:
            if row.method != "GET" or "fresh" in row.flags:
                continue
            for role in test_access.ROLES:
                if not row.cells[role].startswith("200"):
                    continue
                r, url = self.fx.send(row, role)
                what = "GET %s as %s" % (url, role)
                with self.subTest(page=what):
                    self.assertEqual(r.status, 200, what)
                    ctype = r.headers.get("Content-Type", "")
                    if ctype.startswith("application/json"):
                        json.loads(r.body.decode("utf-8"))
                        continue
                    xml = ctype.startswith(("application/atom+xml", "application/xml", "text/xml",
                                            "image/svg+xml"))
                    if ctype.startswith("text/csv"):
                        exports += self.check_csv(r.body, what)
                        xlsx_url = url.replace("format=csv", "format=xlsx")
                        if xlsx_url != url:
                            client, _ = self.fx.session(role, False)
                            x = client.get(xlsx_url)
                            self.assertEqual(x.status, 200, "GET %s as %s" % (xlsx_url, role))
                            exports += self.check_xlsx(x.body, "GET %s as %s" % (xlsx_url, role))
                        continue
                    if ctype.startswith(XLSX):
                        exports += self.check_xlsx(r.body, what)
                        continue
                    if not (ctype.startswith("text/html") or xml):
                        continue  # PDF: no markup
                    text = r.body.decode("utf-8")
                    pages += 1
                    self.assertNotIn("<x-xss", text, "%s: the payload came out as markup" % what)
                    self.assertNotIn("\"'&lt;x-xss", text, "%s: quotes unescaped" % what)
                    self.assertNotIn("\"&#39;&lt;x-xss", text, "%s: a double quote unescaped" % what)
                    if xml:
                        ET.fromstring(r.body)
                    if "&lt;x-xss" in text:
                        shown += 1
        print("\nstored XSS: %d pages checked, the payload shown (escaped) on %d; %d export"
              " cells hold it as text" % (pages, shown, exports))
        self.assertGreater(exports, 0, "no export showed the payload: the export check is blind")
        # Not blind: the payload is there to see on many of them.
        self.assertGreater(pages, 100)
        self.assertGreater(shown, 30, "the payload shows (escaped) on only %d pages" % shown)


if __name__ == "__main__":
    unittest.main()
