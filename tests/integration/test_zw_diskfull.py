"""The upload spool full, and the database's storage full: a clear page,
nothing half-stored.

The stack's programs spool uploads in the run directory's spool/
(upload_tmp_dir, scripts/stack); a 256 KiB tmpfs mounted over it for the
test is a full disk to them (mounting needs root, as the test command runs
in CI).  An application's upload with its draft text, and a public
objection with its evidence, each get their form again with 503 and the
reason at the file input, the visitor's text kept; no attachment, no
objection, no change to the draft is stored, and nothing is left in the
spool.  Once there is room again the same upload goes through.

MariaDB out of space answers the statement that needed room with error
1114 ("The table ... is full"; 1021 for the disk itself) and rolls back
nothing by itself; filling a real disk under the suite's database would
stop every other test, so a trigger the test adds as root gives that
answer to the inserts of one table, exactly as the server would.  The
program rolls the whole change back and answers 503 "存储空间不足"."""

import os
import subprocess
import unittest

import bgtest
import test_access
from bgtest import Client, sql, sql_value
from test_apply import make_pdf, multipart, register

SPOOL_FULL_MESSAGE = "服务器暂时无法保存上传的文件"


class SpoolFullTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        bgtest.CONFIG.check("run_dir")
        cls.spool = os.path.join(bgtest.CONFIG.run_dir, "spool")
        conf = bgtest.read_conf()
        if conf.get("upload_tmp_dir") != cls.spool:
            raise AssertionError("the stack's upload_tmp_dir is %r, not %s (scripts/stack)"
                                 % (conf.get("upload_tmp_dir"), cls.spool))

    def fill_spool(self):
        """The spool made full (after the test's fixtures, which upload)."""
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs",
                            self.spool], capture_output=True, text=True)
        if p.returncode != 0:
            raise AssertionError("mount a tmpfs over the spool (as root): %s" % p.stderr)
        self.addCleanup(self.unmount)
        # Room for no file of any size worth the name.
        with open(os.path.join(self.spool, "filler"), "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        self.assertEqual(os.statvfs(self.spool).f_bavail, 0)

    def unmount(self):
        if os.path.ismount(self.spool):
            subprocess.run(["umount", self.spool], check=True)
        self.assertEqual(os.listdir(self.spool), [], "files left in the spool")

    def big_pdf(self, text):
        return make_pdf(text) + b"%" + os.urandom(512 * 1024) + b"\n"

    def test_an_application_upload_with_its_draft(self):
        ent = register()
        app_id = test_access.start_application(ent.client, test_access.open_round())
        before = sql("SELECT title, updated_at FROM application WHERE id = %s" % app_id)
        token = ent.client.csrf_from("/apply")
        self.fill_spool()
        body, ctype = multipart(
            [("file_experience", "经验材料.pdf", self.big_pdf("spool full"), "application/pdf")],
            [("csrf", token), ("draft", "1"), ("title", "磁盘已满时的申报书标题")])
        r = ent.client.post("/apply/edit?id=%s" % app_id, body=body, content_type=ctype)
        self.assertStatus(r, 503)
        self.assertIn(SPOOL_FULL_MESSAGE, r.text)
        self.assertIn('lang="zh-CN"', r.text)
        self.assertEqual(r.page.find("input", id="title").attrs.get("value"),
                         "磁盘已满时的申报书标题")
        self.assertEqual(sql_value("SELECT COUNT(*) FROM attachment WHERE application_id = %s"
                                   % app_id), "0")
        self.assertEqual(sql("SELECT title, updated_at FROM application WHERE id = %s"
                             % app_id), before)
        # Room again: the same upload is stored.
        self.unmount()
        r = test_access.upload(ent.client, int(app_id), "experience", "经验材料.pdf",
                               self.big_pdf("room again"))
        self.assertStatus(r, 303)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM attachment WHERE application_id = %s"
                                   % app_id), "1")

    def test_a_public_objection_with_evidence(self):
        from test_publicity import objection_body, open_publicity
        pid, apps = open_publicity(self)
        public = Client()
        self.fill_spool()
        content = "磁盘已满时提出的异议：该企业的质量指标与实际不符。"
        body, ctype = objection_body(public, pid, apps[0], content=content, _files=[
            ("file", "证明材料.pdf", self.big_pdf("objection"), "application/pdf")])
        r = public.post("/publicity/object", body=body, content_type=ctype)
        self.assertStatus(r, 503)
        self.assertIn(SPOOL_FULL_MESSAGE, r.page.error_for("file"))
        self.assertIn(content, r.page.find("textarea", id="content").text)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM objection WHERE publicity_id = %d"
                                   % pid), "0")


class DatabaseFullTest(bgtest.TestCase):
    TRIGGER = "test_zw_diskfull_full"

    def full(self, table):
        """Inserts into table refused as a full server refuses them."""
        bgtest.sql_root(
            "CREATE TRIGGER %s BEFORE INSERT ON %s FOR EACH ROW SIGNAL SQLSTATE 'HY000'"
            " SET MYSQL_ERRNO = 1114, MESSAGE_TEXT = 'The table ''%s'' is full'"
            % (self.TRIGGER, table, table))
        self.addCleanup(bgtest.sql_root, "DROP TRIGGER IF EXISTS %s" % self.TRIGGER)

    def assert_full_page(self, r):
        self.assertStatus(r, 503)
        self.assertIn("存储空间不足", r.text)
        self.assertIn("未作任何更改", r.text)
        self.assertEqual(r.headers.get("Retry-After"), "300")

    def test_an_upload_and_a_save_when_the_database_is_full(self):
        ent, app_id, token, form = test_access.saved_draft()
        before = sql("SELECT * FROM application WHERE id = %s" % app_id)
        indicators = sql("SELECT * FROM application_indicator WHERE application_id = %s"
                         " ORDER BY 1" % app_id)
        # The file's bytes go in chunks: the first chunk finds no room.
        self.full("attachment_chunk")
        r = test_access.upload(ent.client, int(app_id), "experience", "经验材料.pdf",
                               make_pdf("database full"), csrf=token)
        self.assert_full_page(r)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM attachment WHERE application_id = %s"
                                   % app_id), "0")
        bgtest.sql_root("DROP TRIGGER %s" % self.TRIGGER)
        # A save whose indicators find no room: the title it changed too is undone.
        self.full("application_indicator")
        r = ent.client.post("/apply/edit", dict(form, title="存储已满时修改的标题"), csrf=token)
        self.assert_full_page(r)
        self.assertEqual(sql("SELECT * FROM application WHERE id = %s" % app_id), before)
        self.assertEqual(sql("SELECT * FROM application_indicator WHERE application_id = %s"
                             " ORDER BY 1" % app_id), indicators)
        bgtest.sql_root("DROP TRIGGER %s" % self.TRIGGER)
        # Room again: both go through, the worker as it was.
        r = test_access.upload(ent.client, int(app_id), "experience", "经验材料.pdf",
                               make_pdf("room again"), csrf=token)
        self.assertStatus(r, 303)
        self.assertStatus(ent.client.post("/apply/edit", dict(form, title="有空间后修改的标题"),
                                          csrf=token), 303)
        p = bgtest.admin_tool("audit", "verify", check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
