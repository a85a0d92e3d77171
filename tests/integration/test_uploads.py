"""Issue 4, uploads and downloads: the typical-experience document, the
signed commitment letter and up to 10 supporting files, sent as
multipart/form-data with the application form (/apply/edit?id=N, the CSRF
token the body's first field; issue 7), checked by their real type
(libmagic), stored in the database with their SHA-256 and name, and
downloaded from /files/download only by those who may see the application.
Every refusal changes nothing; every change and every download leaves an
audit record."""

import hashlib
import struct
import urllib.parse
import zlib

import bgtest
from bgtest import DAQING, HARBIN, q, sql, sql_value
from test_apply import (ApplyTestCase, add_uploads, complete_application, make_pdf,
                        multipart, open_round, register, upload)


def make_png():
    """A valid 1x1 PNG."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


SCRIPT = b"#!/bin/sh\nrm -rf / --no-preserve-root\n"


class UploadTest(ApplyTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_id, cls.year = open_round()
        cls.max_bytes = int(bgtest.read_conf().get("upload_max_bytes", 20 * 1024 * 1024))
        cls.harbin_account = bgtest.create_account("city", city=HARBIN[0])
        cls.harbin = bgtest.logged_in(cls.harbin_account)
        cls.daqing = bgtest.logged_in(bgtest.create_account("city", city=DAQING[0]))
        cls.province = bgtest.logged_in(bgtest.province_account())

    def new_app(self):
        ent = register()
        return ent, self.start(ent, self.round_id)

    def files(self, app_id, kind=None):
        cond = " AND kind = %s" % q(kind) if kind else ""
        return sql("SELECT id, kind, original_name, mime, size_bytes, sha256 FROM attachment"
                   " WHERE application_id = %d%s ORDER BY id" % (app_id, cond))

    def audit_file(self, action, file_id):
        return int(sql_value("SELECT COUNT(*) FROM audit WHERE action = %s AND object_id = %s"
                             % (q(action), q(str(file_id)))))

    def submitted(self):
        """An application of a Harbin enterprise, complete and submitted."""
        ent, app_id = self.new_app()
        self.assertRedirect(self.save(ent, app_id, complete_application()), "/apply/edit")
        add_uploads(ent, app_id)
        r = ent.client.post("/apply/submit", {"id": str(app_id)},
                            csrf=ent.client.csrf_from("/apply"))
        self.assertRedirect(r, "/apply/view?id=%d&submitted=1" % app_id)
        return ent, app_id

    def assertDownload(self, client, file_id, data, mime="application/pdf"):
        r = client.get("/files/download?id=%d" % file_id)
        self.assertStatus(r, 200)
        self.assertEqual(r.body, data)
        self.assertEqual(hashlib.sha256(r.body).hexdigest(), hashlib.sha256(data).hexdigest())
        self.assertEqual(r.headers.get("Content-Type"), mime)
        self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")
        self.assertTrue(r.headers.get("Content-Disposition", "").startswith("attachment;"),
                        r.headers.get("Content-Disposition"))
        return r

    # --- the good path ---

    def test_upload_list_replace_and_download(self):
        ent, app_id = self.new_app()
        pdf = make_pdf("第一版")
        r = upload(ent.client, app_id, "experience", "典型经验材料.pdf", pdf)
        self.assertRedirect(r, "/apply/edit?id=%d&uploaded=experience#attachments" % app_id)
        rows = self.files(app_id)
        self.assertEqual(len(rows), 1)
        file_id = int(rows[0][0])
        self.assertEqual(rows[0][1:], ["experience", "典型经验材料.pdf", "application/pdf",
                                       str(len(pdf)), hashlib.sha256(pdf).hexdigest()])
        self.assertEqual(self.audit_file("attachment.upload", file_id), 1)
        # The edit page lists it with a download link and a delete link (to
        # a confirmation page), and says it was uploaded next to its input.
        r = ent.client.get("/apply/edit?id=%d&uploaded=experience" % app_id)
        row = r.page.find("tr", **{"data-attachment": str(file_id)})
        self.assertIn("典型经验材料.pdf", row.text)
        self.assertIsNotNone(r.page.find("a", href="/files/download?id=%d" % file_id))
        self.assertIsNotNone(r.page.find(
            "a", href="/apply/delete-file?id=%d&file=%d" % (app_id, file_id)))
        self.assertIn("典型经验材料.pdf", r.page.find(id="upload-result-experience").text)
        self.assertEqual(self.checklist(r)["experience"], "ok")
        # The owner downloads it: same bytes, safe name, audited.
        r = self.assertDownload(ent.client, file_id, pdf)
        self.assertIn("filename*=UTF-8''" + urllib.parse.quote("典型经验材料.pdf"),
                      r.headers["Content-Disposition"])
        self.assertEqual(self.audit_file("attachment.download", file_id), 1)
        # A new upload of a one-file kind replaces the old one.
        pdf2 = make_pdf("第二版")
        self.assertStatus(upload(ent.client, app_id, "experience", "新版.pdf", pdf2), 303)
        rows = self.files(app_id)
        self.assertEqual([(r[1], r[2], r[5]) for r in rows],
                         [("experience", "新版.pdf", hashlib.sha256(pdf2).hexdigest())])
        self.assertEqual(sql_value("SELECT COUNT(*) FROM attachment_chunk WHERE attachment_id = %d"
                                   % file_id), "0")
        self.assertStatus(ent.client.get("/files/download?id=%d" % file_id), 404)
        # The commitment letter may be an image; a path in the name is dropped.
        png = make_png()
        self.assertStatus(upload(ent.client, app_id, "commitment", "C:\\扫描\\承诺书.png", png,
                                 "image/png"), 303)
        rows = self.files(app_id, "commitment")
        self.assertEqual(rows[0][2:4], ["承诺书.png", "image/png"])
        self.assertDownload(ent.client, int(rows[0][0]), png, "image/png")

    def test_a_large_file_is_stored_in_pieces_and_comes_back_whole(self):
        ent, app_id = self.new_app()
        pdf = make_pdf("大文件", pad=3 * 1024 * 1024 + 12345)
        self.assertStatus(upload(ent.client, app_id, "supporting", "big.pdf", pdf), 303)
        file_id = int(self.files(app_id)[0][0])
        self.assertEqual(sql_value("SELECT COUNT(*) FROM attachment_chunk WHERE attachment_id = %d"
                                   % file_id), "4")
        self.assertDownload(ent.client, file_id, pdf)

    def test_delete(self):
        ent, app_id = self.new_app()
        self.assertStatus(upload(ent.client, app_id, "supporting", "a.pdf", make_pdf("a")), 303)
        file_id = int(self.files(app_id)[0][0])
        # First a page that names the file and asks; it deletes nothing.
        r = ent.client.get("/apply/delete-file?id=%d&file=%d" % (app_id, file_id))
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find(id="delete-file-name").text, "a.pdf")
        form = r.page.find("form", action="/apply/delete-file")
        self.assertEqual(form.attrs.get("method"), "post")
        self.assertEqual(len(self.files(app_id)), 1)
        r = ent.client.post("/apply/delete-file", {"id": str(app_id), "file": str(file_id)},
                            csrf=r.csrf())
        self.assertRedirect(r, "/apply/edit?id=%d&deleted=1#attachments" % app_id)
        self.assertEqual(self.files(app_id), [])
        self.assertEqual(sql_value("SELECT COUNT(*) FROM attachment_chunk WHERE attachment_id = %d"
                                   % file_id), "0")
        self.assertEqual(self.audit_file("attachment.delete", file_id), 1)

    # --- bad input ---

    def test_wrong_type_with_a_pdf_name_is_refused(self):
        ent, app_id = self.new_app()
        cases = [
            ("experience", "经验.pdf", make_png(), "application/pdf", "PNG 图片"),
            ("experience", "经验.pdf", SCRIPT, "application/pdf", "脚本"),
            ("supporting", "x.pdf", b"<script>alert(1)</script>", "application/pdf", "只接受"),
            ("commitment", "letter.png", SCRIPT, "image/png", "脚本"),
            ("supporting", "a.pdf", b"PK\x03\x04" + b"\x00" * 100, "application/pdf", "只接受"),
        ]
        for kind, name, data, ctype, reason in cases:
            with self.subTest(kind=kind, name=name, data=data[:8]):
                r = upload(ent.client, app_id, kind, name, data, ctype)
                self.assertStatus(r, 415)
                # The reason is next to the kind's file input.
                self.assertIn("实际内容是", r.page.find(id="upload-result-" + kind).text)
                self.assertIn(reason, r.page.find(id="upload-result-" + kind).text)
                self.assertIn("修改文件名或扩展名不能改变文件类型", r.text)
        self.assertEqual(self.files(app_id), [])
        self.assertEqual(self.audit("application.save", app_id), 0)

    def test_broken_bodies_are_refused(self):
        ent, app_id = self.new_app()
        token = ent.client.csrf_from("/apply")
        good, ctype = multipart([("file_experience", "a.pdf", make_pdf("t"), "application/pdf")],
                                fields=[("csrf", token)])
        cases = [
            ("truncated", good[:len(good) // 2], ctype, 400),
            ("no closing boundary", good[:-30], ctype, 400),
            ("no boundary parameter", good, "multipart/form-data", 400),
            ("not the declared boundary", good, "multipart/form-data; boundary=other", 400),
            ("empty body", b"", ctype, 400),
            ("not a form", b"file=x", "text/plain", 415),
        ]
        for what, body, content_type, status in cases:
            with self.subTest(what=what):
                r = upload(ent.client, app_id, "experience", None, None, csrf=token, body=body,
                           content_type=content_type)
                self.assertStatus(r, status)
        # Two files for one input, and a form sent without choosing a file.
        body, content_type = multipart(
            [("file_supporting", "a.pdf", make_pdf("1"), "application/pdf"),
             ("file_supporting", "b.pdf", make_pdf("2"), "application/pdf")],
            fields=[("csrf", token)])
        r = upload(ent.client, app_id, "supporting", None, None, body=body,
                   content_type=content_type)
        self.assertStatus(r, 400)
        self.assertIn("一次只能上传一个文件", r.page.find(id="upload-result-supporting").text)
        body, content_type = multipart([("file_supporting", "", b"", "application/octet-stream")],
                                       fields=[("csrf", token)])
        r = upload(ent.client, app_id, "supporting", None, None, body=body,
                   content_type=content_type)
        self.assertStatus(r, 422)
        self.assertIn("请选择要上传的文件", r.page.find(id="upload-error").text)
        r = upload(ent.client, app_id, "supporting", "empty.pdf", b"", csrf=token)
        self.assertStatus(r, 422)
        self.assertIn("空文件", r.page.find(id="upload-result-supporting").text)
        # A file input of no kind is not read: nothing was chosen.
        self.assertStatus(upload(ent.client, app_id, "photo", "a.pdf", make_pdf("k"),
                                 csrf=token), 422)
        self.assertEqual(self.files(app_id), [])

    def test_a_file_over_the_limit_is_refused(self):
        ent, app_id = self.new_app()
        # One byte over: the parser stops at the limit.
        big = make_pdf("over", pad=self.max_bytes)[:self.max_bytes + 1]
        r = upload(ent.client, app_id, "supporting", "big.pdf", big)
        self.assertStatus(r, 413)
        self.assertIn("文件超过大小限制", r.text)
        # A body declared larger than any upload: refused before it is read.
        big = make_pdf("way over", pad=self.max_bytes + 256 * 1024)
        r = upload(ent.client, app_id, "supporting", "bigger.pdf", big)
        self.assertStatus(r, 413)
        self.assertEqual(self.files(app_id), [])

    def test_at_most_ten_supporting_files(self):
        ent, app_id = self.new_app()
        token = ent.client.csrf_from("/apply")
        for i in range(10):
            r = upload(ent.client, app_id, "supporting", "s%d.pdf" % i, make_pdf(str(i)),
                       csrf=token)
            self.assertStatus(r, 303, "file %d" % i)
        r = upload(ent.client, app_id, "supporting", "s10.pdf", make_pdf("10"), csrf=token)
        self.assertStatus(r, 409)
        self.assertIn("最多上传 10 个文件", r.text)
        self.assertEqual(len(self.files(app_id, "supporting")), 10)
        r = ent.client.get("/apply/edit?id=%d" % app_id)
        self.assertIsNone(r.page.find("input", id="file-supporting"))

    def test_csrf_token_is_required(self):
        ent, app_id = self.new_app()
        for token in (None, "0" * 64, ""):
            with self.subTest(token=token):
                r = upload(ent.client, app_id, "experience", "a.pdf", make_pdf("c"), csrf=token)
                self.assertStatus(r, 403)
        token = ent.client.csrf_from("/apply")
        # The token in the URL is not read: it belongs in the body.
        body, ctype = multipart([("file_experience", "a.pdf", make_pdf("c"), "application/pdf")])
        r = ent.client.post("/apply/edit?id=%d&csrf=%s" % (app_id, token), body=body,
                            content_type=ctype)
        self.assertStatus(r, 403)
        # Nor anywhere but first: a file before the token is never read.
        body, ctype = multipart([("file_experience", "a.pdf", make_pdf("c"), "application/pdf")],
                                fields=[("title", "x"), ("csrf", token)])
        r = ent.client.post("/apply/edit?id=%d" % app_id, body=body, content_type=ctype)
        self.assertStatus(r, 403)
        self.assertEqual(self.files(app_id), [])
        self.assertEqual(self.audit("application.save", app_id), 0)

    # --- who may ---

    def test_others_cannot_upload_or_delete(self):
        ent, app_id = self.new_app()
        self.assertStatus(upload(ent.client, app_id, "supporting", "mine.pdf", make_pdf("m")), 303)
        file_id = int(self.files(app_id)[0][0])
        other = register()
        self.assertStatus(upload(other.client, app_id, "supporting", "x.pdf", make_pdf("x")), 404)
        self.assertStatus(upload(other.client, 0, "supporting", "x.pdf", make_pdf("x")), 404)
        r = other.client.post("/apply/delete-file", {"id": str(app_id), "file": str(file_id)},
                              csrf=other.client.csrf_from("/apply"))
        self.assertStatus(r, 404)
        # Its own application with someone else's file id.
        own = self.start(other, self.round_id)
        r = other.client.post("/apply/delete-file", {"id": str(own), "file": str(file_id)},
                              csrf=other.client.csrf_from("/apply"))
        self.assertStatus(r, 404)
        # A city user is not an enterprise: the page is not theirs.
        self.assertStatus(upload(self.harbin, app_id, "supporting", "x.pdf", make_pdf("h"),
                                 csrf=self.harbin.csrf_from("/login/password")), 403)
        self.assertEqual(len(self.files(app_id)), 1)
        # Drafts stay private: not even the own city sees the file yet.
        for client in (other.client, self.harbin, self.daqing):
            self.assertStatus(client.get("/files/download?id=%d" % file_id), 404)

    def test_after_submit_nothing_changes(self):
        ent, app_id = self.submitted()
        before = self.files(app_id)
        r = upload(ent.client, app_id, "supporting", "late.pdf", make_pdf("late"))
        self.assertStatus(r, 409)
        self.assertIn("申报书已提交", r.text)
        r = ent.client.post("/apply/delete-file", {"id": str(app_id), "file": before[0][0]},
                            csrf=ent.client.csrf_from("/apply"))
        self.assertStatus(r, 409)
        self.assertEqual(self.files(app_id), before)
        # The view page lists the files with download links.
        r = ent.client.get("/apply/view?id=%d" % app_id)
        for row in before:
            self.assertIsNotNone(r.page.find("a", href="/files/download?id=%s" % row[0]))
        self.assertIsNone(r.page.find("input", type="file"))

    def test_downloads_after_submit(self):
        ent, app_id = self.submitted()
        pdf_id, sha = [(int(r[0]), r[5]) for r in self.files(app_id, "experience")][0]
        # The own city's bureau: the same bytes; its view lists the file.
        r = self.harbin.get("/apply/view?id=%d" % app_id)
        self.assertIsNotNone(r.page.find("a", href="/files/download?id=%d" % pdf_id))
        r = self.harbin.get("/files/download?id=%d" % pdf_id)
        self.assertStatus(r, 200)
        self.assertEqual(hashlib.sha256(r.body).hexdigest(), sha)
        self.assertEqual(r.body, make_pdf("experience"))
        reads = int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'attachment.download'"
                              " AND object_id = %s AND login = %s"
                              % (q(str(pdf_id)), q(self.harbin_account.login))))
        self.assertEqual(reads, 1)
        self.assertStatus(self.province.get("/files/download?id=%d" % pdf_id), 200)
        # Another city's bureau and another enterprise: 404, as for no file at all.
        before = self.audit_file("attachment.download", pdf_id)
        self.assertStatus(self.daqing.get("/files/download?id=%d" % pdf_id), 404)
        self.assertStatus(register().client.get("/files/download?id=%d" % pdf_id), 404)
        for bad in ("0", "-1", "abc", "99999999999", "1e3", ""):
            self.assertStatus(self.province.get("/files/download?id=" + bad), 404)
        self.assertEqual(self.audit_file("attachment.download", pdf_id), before)
        # Not logged in: the login page.
        self.assertLoginRedirect(bgtest.Client().get("/files/download?id=%d" % pdf_id))


if __name__ == "__main__":
    import unittest
    unittest.main()
