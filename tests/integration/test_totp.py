"""The second factor (动态口令, TOTP of RFC 6238; 等保 8.1.4.1 d): enrolment
by QR code or key, the login's second step, single-use codes and recovery
codes, the lockout shared with the password, the administrator's requirement
and reset, and a half-logged-in session that reaches nothing else.

The test stack requires it of nobody by role (totp_required_roles unset: the
suites log in thousands of times); the sample configuration requires it of
province and supervisor, which is the same rule as the account's mark tested
here (mfa_role_listed: tests/unit/steps/accounts/test_mfa.c)."""

import base64
import hashlib
import hmac
import struct
import time
import unittest

import bgtest
from bgtest import Client, q, sql, sql_value


def totp(secret_b32, at=None, step_offset=0):
    """RFC 6238 with SHA-1, 30 s, 6 digits."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((at or time.time()) // 30) + step_offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1000000)


def login_first_step(account):
    """The password step: the client and the 303 it got (the second step's
    form then fetched, as a browser does, for its token)."""
    c = Client()
    r = c.login(account.login, account.password)
    if r.status == 303 and r.location.startswith("/login/totp"):
        c.get(r.location)
    return c, r


def enrol(test, c, account):
    """Enrols the session's account through the pages; returns (secret, codes)."""
    r = c.get("/login/totp")
    test.assertStatus(r, 200)
    if r.page.find("code", id="totp-secret") is None:
        test.assertRedirect(c.post("/login/totp", {"action": "begin"}, csrf=True), "/login/totp")
        r = c.get("/login/totp")
    secret = r.page.find("code", id="totp-secret").text
    token = r.csrf()
    test.assertRegex(secret, r"^[A-Z2-7]{32}$")  # 160 bits
    img = r.page.find("img", src="/login/totp/qr")
    test.assertIsNotNone(img)
    qr = c.get("/login/totp/qr")
    test.assertStatus(qr, 200)
    test.assertTrue(qr.headers.get("Content-Type", "").startswith("image/svg+xml"))
    test.assertEqual(qr.headers.get("Cache-Control"), "no-store")
    # A wrong first code: said at the field, nothing enrolled.
    wrong = "%06d" % ((int(totp(secret)) + 1) % 1000000)
    r = c.post("/login/totp", {"code": wrong}, csrf=token)
    test.assertStatus(r, 422)
    test.assertIn("动态口令不正确", r.page.error_for("code") or "")
    test.assertEqual(sql_value("SELECT confirmed_at IS NULL FROM account_totp WHERE account_id = %d"
                               % account.id), "1")
    r = c.post("/login/totp", {"code": totp(secret)}, csrf=True)
    test.assertRedirect(r, "/login/totp/codes")
    r = c.get("/login/totp/codes")
    test.assertStatus(r, 200)
    codes = [e.text for e in r.page.find_all("code")]
    test.assertEqual(len(codes), 10)
    for code in codes:
        test.assertRegex(code, r"^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$")
    # Shown once.
    r = c.get("/login/totp/codes")
    test.assertEqual(r.page.find_all("code"), [])
    test.assertIn("已经显示过", r.text)
    # Not the key either, once enrolled.
    r = c.get("/login/totp")
    test.assertIsNone(r.page.find("code", id="totp-secret"))
    test.assertIn("已启用", r.text)
    test.assertStatus(c.get("/login/totp/qr"), 404)
    return secret, codes


def fresh_code(secret, used):
    """A code of a step not used yet (one step ahead when now's is spent)."""
    for offset in (0, 1):
        code = totp(secret, step_offset=offset)
        if code not in used:
            return code
    raise AssertionError("no unused step within the window")


class TotpTest(bgtest.TestCase):
    def test_enrol_of_ones_own_accord_then_every_login_asks(self):
        acct = bgtest.create_account("expert", tag="otp")
        c = bgtest.logged_in(acct)
        r = c.get("/login/totp")
        self.assertIn("未启用", r.text)
        secret, codes = enrol(self, c, acct)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM account_recovery_code WHERE account_id = %d"
                                   " AND used_at IS NULL" % acct.id), "10")
        # Sealed with the configuration's key (totp_seal_key): the database's
        # copy is not the secret, and is bound to its account.
        raw = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex().upper()
        stored = sql("SELECT LENGTH(secret), HEX(secret) FROM account_totp WHERE account_id = %d"
                     % acct.id)[0]
        self.assertEqual(stored[0], "61")
        self.assertNotIn(raw, stored[1])
        # The next login: the password, then the code.
        c2, r = login_first_step(acct)
        self.assertRedirect(r, "/login/totp")
        # Half logged in: every other page sends it back, even public ones.
        for path in ("/home", "/login/password", "/admin", "/review", "/publicity/notice"):
            with self.subTest(path=path):
                self.assertRedirect(c2.get(path), "/login/totp")
        r = c2.get("/login/totp")
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.page.find("input", name="code"))
        self.assertIsNone(r.page.find("nav", class_="main"))
        # The code of enrolment is spent: a replay is refused.
        used = {totp(secret, step_offset=o) for o in (-1, 0)}
        r = c2.post("/login/totp", {"code": totp(secret)}, csrf=True)
        self.assertStatus(r, 422)
        code = fresh_code(secret, used | {totp(secret)})
        r = c2.post("/login/totp", {"code": code[:3] + " " + code[3:]}, csrf=True)
        self.assertRedirect(r, "/home")
        self.assertStatus(c2.get("/home"), 200)
        self.assertEqual(sql_value("SELECT mfa_state FROM session WHERE account_id = %d ORDER BY id"
                                   " DESC LIMIT 1" % acct.id), "0")
        # A recovery code once, in any case and with blanks.
        c3, r = login_first_step(acct)
        self.assertRedirect(r, "/login/totp")
        typed = " " + codes[0].lower() + " "
        r = c3.post("/login/totp", {"code": typed}, csrf=True)
        self.assertRedirect(r, "/login/totp?recovered=1")
        self.assertIn("恢复码", c3.get(r.location).text)
        self.assertStatus(c3.get("/home"), 200)
        c4, r = login_first_step(acct)
        r = c4.post("/login/totp", {"code": codes[0]}, csrf=True)
        self.assertStatus(r, 422)
        self.assertRedirect(c4.get("/home"), "/login/totp")
        # Audit: enrolment, the successes, the failures.
        actions = [a for (a,) in sql("SELECT action FROM audit WHERE object_type = 'account' AND"
                                     " object_id = %s AND action LIKE 'mfa.%%' ORDER BY id"
                                     % q(str(acct.id)))]
        self.assertEqual(actions[:3], ["mfa.begin", "mfa.fail", "mfa.enrol"])
        self.assertEqual(actions.count("mfa.ok"), 2)

    def test_a_sealed_secret_moved_to_another_account_does_not_open(self):
        a = bgtest.create_account("expert", tag="otp")
        b = bgtest.create_account("expert", tag="otp")
        secret, _ = enrol(self, bgtest.logged_in(a), a)
        enrol(self, bgtest.logged_in(b), b)
        # Someone with write access copies a's row to b: b's codes are now
        # a's?  No: the seal names its account; b's second step fails closed.
        bgtest.sql_root("UPDATE account_totp t JOIN account_totp s ON s.account_id = %d"
                        " SET t.secret = s.secret, t.last_step = 0 WHERE t.account_id = %d"
                        % (a.id, b.id))
        c, r = login_first_step(b)
        self.assertRedirect(r, "/login/totp")
        r = c.post("/login/totp", {"code": fresh_code(secret, set())}, csrf=True)
        self.assertRedirect(r, "/login/totp")  # nothing to check against
        self.assertRedirect(c.get("/home"), "/login/totp")

    def test_next_is_kept_through_the_second_step(self):
        acct = bgtest.create_account("expert", tag="otp")
        secret, _ = enrol(self, bgtest.logged_in(acct), acct)
        c = Client()
        r = c.login(acct.login, acct.password, next_path="/login/password")
        # /login paths are never a next (the login form's rule); /review is.
        self.assertRedirect(r, "/login/totp")
        c = Client()
        r = c.login(acct.login, acct.password, next_path="/review")
        self.assertRedirect(r, "/login/totp?next=%2Freview")
        r = c.get(r.location)
        self.assertEqual(r.page.find("input", name="next").attrs.get("value"), "/review")
        code = fresh_code(secret, {totp(secret)})
        r = c.post("/login/totp", {"code": code, "next": "/review"}, csrf=True)
        self.assertRedirect(r, "/review")

    def test_five_wrong_codes_lock_like_passwords(self):
        acct = bgtest.create_account("expert", tag="otp")
        secret, _ = enrol(self, bgtest.logged_in(acct), acct)
        c, r = login_first_step(acct)
        self.assertRedirect(r, "/login/totp")
        for i in range(4):
            r = c.post("/login/totp", {"code": "000000" if i % 2 else "abc"}, csrf=True)
            self.assertStatus(r, 422)
        r = c.post("/login/totp", {"code": "999999"}, csrf=True)
        self.assertStatus(r, 423)
        self.assertIn("账户已锁定15分钟", r.text)
        self.assertEqual(sql_value("SELECT locked_until > NOW() FROM account WHERE id = %d"
                                   % acct.id), "1")
        # Locked: even the right code is refused, and so is the password.
        r = c.post("/login/totp", {"code": fresh_code(secret, set())}, csrf=True)
        self.assertStatus(r, 423)
        self.assertStatus(Client().login(acct.login, acct.password), 401)
        self.assertIn("account.lock", [a for (a,) in sql(
            "SELECT action FROM audit WHERE object_id = %s" % q(str(acct.id)))])

    def test_the_administrator_requires_and_resets_it(self):
        acct = bgtest.create_account("city", city="230100", tag="otp")
        admin = bgtest.logged_in(bgtest.province_account())
        r = admin.get("/admin/user?id=%d" % acct.id)
        self.assertIn("未绑定", r.text)
        r = admin.post("/admin/user/totp/require", {"id": acct.id, "required": "1"}, csrf=True)
        self.assertRedirect(r, "/admin/user?id=%d&done=1" % acct.id)
        self.assertIn("管理员要求", admin.get(r.location).text)
        # Its next login must enrol before anything else.
        c, r = login_first_step(acct)
        self.assertRedirect(r, "/login/totp")
        self.assertRedirect(c.get("/recommend"), "/login/totp")
        r = c.get("/login/totp")
        self.assertIn("须使用动态口令", r.text)
        self.assertIsNotNone(r.page.find("code", id="totp-secret"))
        secret, _ = enrol(self, c, acct)
        self.assertStatus(c.get("/recommend"), 200)
        # Lost phone: the administrator resets it; the sessions end, and the
        # next login enrols again (still required).
        r = admin.post("/admin/user/totp/reset", {"id": acct.id}, csrf=admin.csrf_from())
        self.assertRedirect(r, "/admin/user?id=%d&done=1" % acct.id)
        self.assertLoginRedirect(c.get("/recommend"), "/recommend")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM account_recovery_code WHERE account_id = %d"
                                   % acct.id), "0")
        c, r = login_first_step(acct)
        self.assertRedirect(r, "/login/totp")
        r = c.get("/login/totp")
        new_secret = r.page.find("code", id="totp-secret").text
        self.assertNotEqual(new_secret, secret)
        # No longer required: the pending enrolment stays, the login asks nothing.
        admin.post("/admin/user/totp/require", {"id": acct.id, "required": "0"},
                   csrf=admin.csrf_from())
        admin.post("/admin/user/totp/reset", {"id": acct.id}, csrf=admin.csrf_from())
        c, r = login_first_step(acct)
        self.assertRedirect(r, "/home")
        # One's own second factor is reset by another administrator.
        me = bgtest.province_account().id
        self.assertStatus(admin.post("/admin/user/totp/reset", {"id": me},
                                     csrf=admin.csrf_from()), 409)
        actions = [a for (a,) in sql("SELECT action FROM audit WHERE object_id = %s AND action"
                                     " IN ('mfa.require', 'mfa.release', 'mfa.reset') ORDER BY id"
                                     % q(str(acct.id)))]
        self.assertEqual(actions, ["mfa.require", "mfa.reset", "mfa.release", "mfa.reset"])


if __name__ == "__main__":
    unittest.main()
