"""Issue 7, section 3: rules and security defects, one class per defect.

 1 a year counts as loaded only when declared complete (page or import);
 2 credit codes: positions 1-2 checked, only enterprises (91) register;
 3 the enterprise type of the business licence (article 8 (一));
 4 bidirectional control characters are refused in text fields;
 5 wrong current passwords on the change form count toward the lockout;
 6 the lockout does not tell which logins exist;
 7 the login form has a pre-session CSRF token and refuses cross-site posts;
 8 log-in names are canonical and compared exactly;
 9 `audit verify` reads one consistent snapshot (no false alarm under load).
(10, file names, is a unit test: tests/unit/core/test_multipart.c.)

Calendar years used here: 2096-2098 (no other suite uses them), and 2027
only to add and remove one date."""

import os
import secrets
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

import bgtest
from bgtest import Client, HARBIN, q, raw_request, sql, sql_value
from test_apply import (ApplyTestCase, add_uploads, complete_application, new_uscc,
                        open_round, reg_fields, register, uscc_check_char)
import test_apply

WRONG = "Wrong#Pass123"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def workdays(*args):
    return bgtest.admin_tool("workdays", *args, check=False)


def remove_year(client, year):
    """Removes every date of year through the admin page (the year's row goes
    with its last date)."""
    for (date,) in sql("SELECT day FROM calendar_day WHERE YEAR(day) = %d" % year):
        client.get("/admin/calendar?year=%d" % year)
        client.post("/admin/calendar/remove", {"date": date}, csrf=True)


# --- 8 ------------------------------------------------------------------------

class CanonicalLoginTest(bgtest.TestCase):
    def test_login_names_are_canonical(self):
        account = bgtest.create_account("expert", tag="can")
        login = account.login
        upper = login.upper()
        full = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in login)
        accented = login.replace("t", "\u0163", 1)  # ţ: t with cedilla
        for variant in (full, accented, "x" + login[1:] if login[0] != "x" else "y" + login[1:]):
            with self.subTest(variant=variant):
                r = Client().login(variant, account.password)
                self.assertStatus(r, 401)
        for variant in (login, upper, " %s " % login, "\t" + upper):
            with self.subTest(variant=variant):
                base = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
                c = Client()
                r = c.login(variant, account.password)
                self.assertRedirect(r, "/home")
                self.assertEqual(sql("SELECT login FROM audit WHERE id > %d AND action ="
                                     " 'login.ok' AND account_id = %d" % (base, account.id)),
                                 [[login]])
        # Failures are audited in canonical form too.
        base = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
        Client().login(" " + upper, WRONG)
        self.assertEqual(sql("SELECT login FROM audit WHERE id > %d AND action = 'login.fail'"
                             " AND account_id = %d" % (base, account.id)), [[login]])

    def test_the_column_compares_exactly(self):
        self.assertEqual(sql_value("SELECT COLLATION_NAME FROM information_schema.COLUMNS"
                                   " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'account'"
                                   " AND COLUMN_NAME = 'login'"), "utf8mb4_bin")

if __name__ == "__main__":
    unittest.main()
