"""Issue 18, `biaogan-admin doctor` (src/tools/doctor.h): an installation's
check-up.  Run on the test stack it finds no error; each thing an operator
gets wrong (a world-readable file, a typo in a key, a number that is not
one, the sample's password, a dead database, a missing or edited
migration, an account with too few or too many privileges, a sendmail that
does not exist) is one line at its place and exit status 6, and nothing is
changed.  Warnings (the stack's plain-HTTP cookie, its all-powerful
account) leave the exit status 0."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

import bgtest
from bgtest import q, sql_root

TAGS = ("[正常]", "[注意]", "[错误]")
SRC = bgtest.SRC_DIR


def doctor(conf=None):
    """(exit status, [(tag, area, text)], stdout) of biaogan-admin doctor."""
    env = dict(os.environ, BIAOGAN_CONF=conf or bgtest.CONFIG.conf)
    p = subprocess.run([bgtest.CONFIG.admin, "doctor"], env=env, capture_output=True,
                       text=True, timeout=60)
    lines = []
    for line in p.stdout.splitlines()[:-1]:
        m = re.match(r"^(\[..\]) ([^：]+)：(.*)$", line)
        if not m or m.group(1) not in TAGS:
            raise AssertionError("doctor wrote a line of no known form: %r" % line)
        lines.append(m.groups())
    last = p.stdout.splitlines()[-1] if p.stdout else ""
    m = re.match(r"^共 (\d+) 项：正常 (\d+)，注意 (\d+)，错误 (\d+)$", last)
    if not m:
        raise AssertionError("doctor's last line is not the counts: %r\n%s" % (last, p.stderr))
    counts = [int(m.group(i)) for i in (2, 3, 4)]
    if counts != [sum(1 for t, _, _ in lines if t == tag) for tag in TAGS] or \
            int(m.group(1)) != len(lines):
        raise AssertionError("doctor's counts disagree with its lines:\n" + p.stdout)
    return p.returncode, lines, p.stdout


def errors(lines):
    return [(area, text) for tag, area, text in lines if tag == "[错误]"]


class DoctorTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="bg-doctor-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.users = []
        self.addCleanup(self.drop_users)

    def drop_users(self):
        for user in self.users:
            sql_root("DROP USER IF EXISTS %s@'localhost'" % q(user))

    def conf(self, changes=None, mode=0o600, drop=()):
        """A copy of the stack's configuration with keys changed or added."""
        values = bgtest.read_conf()
        for key in drop:
            values.pop(key, None)
        values.update(changes or {})
        path = os.path.join(self.dir, "biaogan-%d.conf" % len(os.listdir(self.dir)))
        with open(path, "w", encoding="utf-8") as f:
            for key, value in values.items():
                f.write("%s = %s\n" % (key, value))
        os.chmod(path, mode)
        return path

    def account(self, privileges):
        """A database account with only these privileges on the stack's database."""
        user = "bgdoc" + bgtest.unique_login()[2:]
        pw = "Doctor-" + user
        db = bgtest.read_conf()["db_name"]
        sql_root("CREATE USER %s@'localhost' IDENTIFIED BY %s; GRANT %s ON `%s`.* TO %s@'localhost'"
                 % (q(user), q(pw), privileges, db, q(user)))
        self.users.append(user)
        return {"db_user": user, "db_password": pw}

    def test_the_stack_has_no_error(self):
        status, lines, out = doctor()
        self.assertEqual(errors(lines), [], out)
        self.assertEqual(status, 0, out)
        areas = {area for _, area, _ in lines}
        for area in ("配置文件", "页面模板", "上传暂存目录", "数据库", "数据库权限", "数据库迁移",
                     "工作日日历", "邮件", "磁盘空间"):
            self.assertIn(area, areas, out)
        migrations = len([n for n in os.listdir(os.path.join(SRC, "sql"))
                          if re.match(r"^\d{3}_.*\.sql$", n)])
        self.assertIn(("[正常]", "数据库迁移", "%d 个迁移均已执行" % migrations), lines, out)
        # The local stack is plain HTTP with one all-powerful account: said, not failed.
        self.assertTrue(any(t == "[注意]" and "cookie_secure" in x for t, _, x in lines), out)
        self.assertTrue(any(t == "[注意]" and a == "数据库权限" for t, a, x in lines), out)

    def test_the_programs_account_of_deploy_md_is_exactly_right(self):
        status, lines, out = doctor(self.conf(self.account("SELECT, INSERT, UPDATE, DELETE")))
        self.assertIn(("[正常]", "数据库权限", "SELECT, INSERT, UPDATE, DELETE，没有多余权限"),
                      lines, out)
        # The programs' own account can tell the migrations' state (SELECT only).
        self.assertTrue(any(t == "[正常]" and a == "数据库迁移" for t, a, _ in lines), out)
        self.assertEqual(status, 0, out)

    def test_too_few_or_too_many_privileges(self):
        status, lines, out = doctor(self.conf(self.account("SELECT")))
        self.assertEqual(status, 6, out)
        self.assertTrue(any(a == "数据库权限" and "缺少 INSERT、UPDATE、DELETE 权限" in x
                            for a, x in errors(lines)), out)
        status, lines, out = doctor(self.conf(self.account(
            "SELECT, INSERT, UPDATE, DELETE, DROP, ALTER")))
        self.assertEqual(status, 0, out)
        self.assertTrue(any(t == "[注意]" and a == "数据库权限" and "ALTER、DROP" in x
                            for t, a, x in lines), out)

    def test_configuration_mistakes_are_named(self):
        conf = self.conf({"upload_max_byte": "1048576", "publicity_working_days": "five",
                          "mail_sendmail": "/nonexistent/sendmail",
                          "templates_dir": os.path.join(self.dir, "no-templates")},
                         mode=0o644)
        before = bgtest.sql_value("SELECT COUNT(*) FROM audit")
        status, lines, out = doctor(conf)
        self.assertEqual(status, 6, out)
        errs = errors(lines)
        self.assertTrue(any(a == "配置文件" and "所有用户都可读" in x for a, x in errs), out)
        self.assertTrue(any(t == "[注意]" and "不认识的配置项 upload_max_byte" in x
                            for t, _, x in lines), out)
        self.assertTrue(any("publicity_working_days = five 不是整数" in x for _, x in errs), out)
        self.assertTrue(any(a == "邮件" and "/nonexistent/sendmail 不可执行" in x
                            for a, x in errs), out)
        self.assertTrue(any(a == "页面模板" for a, _ in errs), out)
        # A check-up changes nothing.
        self.assertEqual(bgtest.sql_value("SELECT COUNT(*) FROM audit"), before)

    def test_the_samples_keys_are_all_known_and_its_password_is_refused(self):
        sample = {}
        with open(os.path.join(SRC, "conf/biaogan.conf.sample"),
                  encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^#? ?([a-z_0-9]+) = (.*)$", line.strip())
                if m:
                    sample.setdefault(m.group(1), m.group(2))
        self.assertGreater(len(sample), 25)
        stack = bgtest.read_conf()
        extra = {k: v for k, v in sample.items() if k not in stack or k == "db_password"}
        status, lines, out = doctor(self.conf(extra))
        self.assertFalse([x for _, _, x in lines if "不认识的配置项" in x], out)
        self.assertIn(("配置文件", "db_password 未设置或仍是示例文件的值"), errors(lines), out)
        self.assertEqual(status, 6, out)

    def test_a_database_that_cannot_be_reached(self):
        status, lines, out = doctor(self.conf({"db_socket": os.path.join(self.dir, "none.sock")}))
        self.assertEqual(status, 6, out)
        self.assertTrue(any(a == "数据库" and x.startswith("无法连接") for a, x in errors(lines)),
                        out)
        # The checks that need the database are left out, not failed one by one.
        self.assertFalse([a for _, a, _ in lines if a in ("数据库权限", "数据库迁移", "工作日日历")],
                         out)
        # ... and those that do not still run.
        self.assertTrue(any(a == "磁盘空间" for _, a, _ in lines), out)

    def test_pending_and_edited_migrations(self):
        sql_dir = os.path.join(self.dir, "sql")
        shutil.copytree(os.path.join(SRC, "sql"), sql_dir)
        with open(os.path.join(sql_dir, "999_future.sql"), "w") as f:
            f.write("SELECT 1;\n")
        status, lines, out = doctor(self.conf({"sql_dir": sql_dir}))
        self.assertEqual(status, 6, out)
        self.assertTrue(any(a == "数据库迁移" and x.startswith("1 个迁移尚未执行（第一个：999_future.sql）")
                            for a, x in errors(lines)), out)
        first = sorted(n for n in os.listdir(sql_dir) if n.startswith("001_"))[0]
        with open(os.path.join(sql_dir, first), "a") as f:
            f.write("-- edited after it was applied\n")
        status, lines, out = doctor(self.conf({"sql_dir": sql_dir}))
        self.assertTrue(any(a == "数据库迁移" and "被改动（第一个：%s）" % first in x
                            for a, x in errors(lines)), out)
        # Nothing was applied: the stack's migrations are as they were.
        self.assertEqual(bgtest.sql_value(
            "SELECT COUNT(*) FROM schema_migration WHERE name = '999_future.sql'"), "0")


if __name__ == "__main__":
    unittest.main()
