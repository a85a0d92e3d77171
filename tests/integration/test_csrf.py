"""CSRF: a POST that changes state without the session's token, or with a
wrong one, is refused with 403 and changes nothing."""

import unittest

import bgtest
from bgtest import q, sql, sql_value


def bad_tokens(client, other_token):
    """(label, value or None for no field) pairs, each a wrong token."""
    good = client.csrf_from()
    return [
        ("missing", None),
        ("empty", ""),
        ("zeros", "0" * 64),
        ("one digit off", good[:-1] + ("0" if good[-1] != "0" else "1")),
        ("prefix", good[:32]),
        ("longer", good + "0"),
        ("upper case", good.upper() if good.upper() != good else good + "x"),
        ("another session's", other_token),
    ]


class CsrfTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()
        cls.other = bgtest.logged_in(bgtest.province_account())
        cls.other_token = cls.other.csrf_from()
        cls.victim = bgtest.create_account("expert")

    def post_with(self, client, path, fields, token):
        fields = list(fields.items())
        if token is not None:
            fields.append(("csrf", token))
        return client.post(path, fields)

    def audit_count(self, account_id):
        return sql_value("SELECT COUNT(*) FROM audit WHERE object_type = 'account' "
                         "AND object_id = %s" % q(str(account_id)))

    def test_create_account_needs_token(self):
        for label, token in bad_tokens(self.admin, self.other_token):
            with self.subTest(token=label):
                login = bgtest.unique_login("csrf")
                r = self.post_with(self.admin, "/admin/users/new",
                                   {"login": login, "display_name": "跨站请求测试",
                                    "role": "expert", "city_code": ""}, token)
                self.assertStatus(r, 403)
                self.assertSecurityHeaders(r, "csrf 403")
                self.assertIn("表单已失效", r.text)
                self.assertNoAccount(login)
                self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action = "
                                           "'account.create' AND summary LIKE %s"
                                           % q("%" + login + "%")), "0")

    def test_account_actions_need_token(self):
        columns = "disabled, must_change_password, password_hash, failed_logins, locked_until"
        before = sql("SELECT %s FROM account WHERE id = %d" % (columns, self.victim.id))
        audit_before = self.audit_count(self.victim.id)
        for path in ("/admin/user/disable", "/admin/user/reset", "/admin/user/unlock"):
            for label, token in bad_tokens(self.admin, self.other_token):
                with self.subTest(path=path, token=label):
                    r = self.post_with(self.admin, path, {"id": str(self.victim.id)}, token)
                    self.assertStatus(r, 403)
        self.assertEqual(sql("SELECT %s FROM account WHERE id = %d" % (columns, self.victim.id)),
                         before)
        self.assertEqual(self.audit_count(self.victim.id), audit_before)

    def test_the_right_token_works(self):
        # The control for the tests above: the same request with the token passes.
        target = bgtest.create_account("expert")
        r = self.admin.post("/admin/user/disable", {"id": str(target.id)},
                            csrf=self.admin.csrf_from())
        self.assertRedirect(r, "/admin/user?id=%d" % target.id)
        self.assertEqual(sql_value("SELECT disabled FROM account WHERE id = %d" % target.id), "1")
        r = self.admin.post("/admin/user/enable", {"id": str(target.id)},
                            csrf=self.admin.csrf_from())
        self.assertRedirect(r, "/admin/user?id=%d" % target.id)
        self.assertEqual(sql_value("SELECT disabled FROM account WHERE id = %d" % target.id), "0")

    def test_token_in_query_string_is_not_enough(self):
        token = self.admin.csrf_from()
        r = self.admin.post("/admin/user/disable?csrf=" + token, {"id": str(self.victim.id)})
        self.assertStatus(r, 403)
        self.assertEqual(sql_value("SELECT disabled FROM account WHERE id = %d" % self.victim.id),
                         "0")

    def test_password_change_needs_token(self):
        account = bgtest.create_account("enterprise")
        client = bgtest.logged_in(account)
        before = sql_value("SELECT password_hash FROM account WHERE id = %d" % account.id)
        for label, token in bad_tokens(client, self.other_token):
            with self.subTest(token=label):
                r = self.post_with(client, "/login/password",
                                   {"old_password": account.password,
                                    "new_password": "Another#Pass9",
                                    "new_password2": "Another#Pass9"}, token)
                self.assertStatus(r, 403)
        self.assertEqual(sql_value("SELECT password_hash FROM account WHERE id = %d" % account.id),
                         before)

    def test_logout_needs_token(self):
        account = bgtest.create_account("expert")
        client = bgtest.logged_in(account)
        for label, token in bad_tokens(client, self.other_token):
            with self.subTest(token=label):
                r = self.post_with(client, "/login/logout", {}, token)
                self.assertStatus(r, 403)
        # Still logged in.
        self.assertStatus(client.get("/home"), 200)

    def test_every_form_carries_the_token(self):
        token = self.admin.csrf_from()
        for path in ("/home", "/admin/users/new", "/admin/user?id=%d" % self.victim.id,
                     "/login/password", "/login/logout"):
            with self.subTest(path=path):
                r = self.admin.get(path)
                self.assertStatus(r, 200)
                # Every POST form has one hidden csrf field with this session's token.
                fields = r.page.find_all("input", name="csrf")
                self.assertTrue(fields)
                self.assertEqual({f.attrs.get("value") for f in fields}, {token})
                posts = [f for f in r.page.find_all("form")
                         if f.attrs.get("method", "").lower() == "post"]
                self.assertEqual(len(posts), len(fields))


if __name__ == "__main__":
    unittest.main()
