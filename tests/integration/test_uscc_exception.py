"""Credit codes whose check character fails (uscc.md: real, issued codes
like that exist): registration refuses them until a province administrator
records the code as an exception; then exactly that code registers, marked
uscc_check_override.  Only a code whose single fault is the check character
can be excepted."""

import unittest

import bgtest
from bgtest import Client, HARBIN, q, sql, sql_value
from test_apply import USCC_CHARS, reg_fields, reg_token, uscc_check_char


def failing_code():
    """A code with a wrong check character that no other run uses."""
    body = "91" + HARBIN[0] + "".join(bgtest.RNG.choice(USCC_CHARS) for _ in range(9))
    good = uscc_check_char(body)
    return body + next(ch for ch in "0123456789" if ch != good)


class UsccExceptionTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()

    def add(self, code, reason="已核对营业执照原件"):
        self.admin.get("/admin/uscc")
        return self.admin.post("/admin/uscc/add", {"uscc": code, "reason": reason}, csrf=True)

    def try_register(self, code):
        c = Client()
        fields = reg_fields(uscc=code)
        fields[bgtest.PRE_FIELD] = reg_token(c)
        return c.post("/apply/register", fields), fields

    def test_exception_lets_exactly_that_code_register(self):
        code = failing_code()
        r, fields = self.try_register(code)
        self.assertStatus(r, 422)
        self.assertIn("校验码", r.page.error_for("uscc") or "")
        self.assertIsNone(sql_value("SELECT id FROM account WHERE login = %s" % q(fields["login"])))

        base = int(sql_value("SELECT IFNULL(MAX(id), 0) FROM audit"))
        self.assertRedirect(self.add(code.lower()), "/admin/uscc")  # stored upper case
        self.assertEqual(sql_value("SELECT COUNT(*) FROM uscc_exception WHERE uscc = %s" % q(code)), "1")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE id > %d AND action ="
                                   " 'uscc.exception_add' AND object_id = %s" % (base, q(code))), "1")
        self.assertIn(code, self.admin.get("/admin/uscc").text)

        r, fields = self.try_register(code)
        self.assertRedirect(r, "/apply?welcome=1")
        self.assertEqual(sql("SELECT uscc, uscc_check_override FROM enterprise WHERE uscc = %s"
                             % q(code)), [[code, "1"]])
        # One account per code still holds.
        r, _ = self.try_register(code)
        self.assertStatus(r, 409)
        # A normal registration is not marked.
        r, fields = self.try_register(reg_fields()["uscc"])
        self.assertRedirect(r, "/apply?welcome=1")
        self.assertEqual(sql_value("SELECT uscc_check_override FROM enterprise WHERE uscc = %s"
                                   % q(fields["uscc"])), "0")

    def test_only_a_check_character_fault_can_be_excepted(self):
        good = reg_fields()["uscc"]
        cases = [
            (good, "校验正确"),
            (good[:16], "18位"),
            (good[:8] + "I" + good[9:], "第9位"),
            ("", "请填写"),
        ]
        for code, words in cases:
            with self.subTest(code=code):
                r = self.add(code)
                self.assertStatus(r, 422)
                self.assertIn(words, r.page.error_for("uscc") or "")
        r = self.add(failing_code(), reason="")
        self.assertStatus(r, 422)
        code = failing_code()
        self.assertRedirect(self.add(code), "/admin/uscc")
        self.assertStatus(self.add(code), 409)

    def test_remove(self):
        code = failing_code()
        self.assertRedirect(self.add(code), "/admin/uscc")
        self.admin.get("/admin/uscc")
        r = self.admin.post("/admin/uscc/remove", {"uscc": code}, csrf=True)
        self.assertRedirect(r, "/admin/uscc")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM uscc_exception WHERE uscc = %s" % q(code)), "0")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'uscc.exception_remove'"
                                   " AND object_id = %s" % q(code)), "1")
        self.admin.get("/admin/uscc")
        self.assertStatus(self.admin.post("/admin/uscc/remove", {"uscc": code}, csrf=True), 404)
        # The refused second removal records no removal.
        self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'uscc.exception_remove'"
                                   " AND object_id = %s" % q(code)), "1")
        r, _ = self.try_register(code)
        self.assertStatus(r, 422)

    def test_province_only_and_csrf(self):
        code = failing_code()
        self.assertStatus(self.admin.post("/admin/uscc/add", {"uscc": code, "reason": "x"}), 403)
        city = bgtest.logged_in(bgtest.create_account("city", city=HARBIN[0]))
        self.assertStatus(city.get("/admin/uscc"), 403)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM uscc_exception WHERE uscc = %s" % q(code)), "0")


if __name__ == "__main__":
    unittest.main()
