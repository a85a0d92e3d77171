"""Issue 11, the expert pool (annex part one): the province administrators'
pages of the experts program.  The list masks mobile and e-mail, the
detail shows them in full; the form refuses each field with a Chinese
reason at the field and keeps the input (the annex's conditions among
them: a senior title, 3 years, the two declarations); relations, status
changes and the expert's account are each one audit record; the CSV
import (UTF-8 with or without BOM, GB18030) adds and updates by mobile,
and a file with any bad line changes nothing and lists every bad line;
every other role is refused.

Everything is done through the pages and biaogan-admin, as a user or an
operator would; SQL only looks.  Mobile numbers and names are unique to the
run (the database outlives runs)."""

import codecs
import os
import re
import tempfile
import time
import unittest
import urllib.parse

import bgtest
from bgtest import Client, q, sql, sql_value
from test_apply import multipart

HEADER = ["姓名", "工作单位", "单位统一社会信用代码", "单位类型", "职称", "职称级别",
          "质量管理教学或实践年限", "专业领域", "来源", "推荐单位", "手机号码", "电子邮箱",
          "声明：遵纪守法、无不良信用记录", "声明：身体健康、能独立完成评审"]
# A valid credit code (GB 32100 check character), made up: the demo enterprise's.
ENTERPRISE_USCC = "91230100MA1B2C3D49"
ORG_USCC = "12230000MB0A1234XN"

_used_mobiles = None


def new_mobile():
    """A mobile number no expert has and no other test of this run took
    (17x: the demo pool has 139x; the browser walk takes 15x)."""
    global _used_mobiles
    if _used_mobiles is None:
        _used_mobiles = {r[0] for r in sql("SELECT mobile FROM expert WHERE mobile LIKE '17%'")}
    while True:
        m = "17" + "".join(str(bgtest.RNG.randrange(10)) for _ in range(9))
        if m not in _used_mobiles:
            _used_mobiles.add(m)
            return m


def tag():
    """A text unique to this run, for names and organisations."""
    return bgtest.unique_login("")[2:]


def expert_form(**over):
    """The fields of a good expert as the form posts them."""
    f = {"name": "测试专家" + tag()[-6:], "org_name": "哈尔滨工业大学", "org_uscc": "",
         "org_type": "university", "title": "教授", "title_level": "senior", "years": "15",
         "specialties": "质量管理体系；六西格玛", "source": "solicited", "recommended_by": "",
         "mobile": new_mobile(), "email": "expert@example.com", "declared_integrity": "1",
         "declared_health": "1"}
    f.update(over)
    return {k: v for k, v in f.items() if v is not None}


def csv_line(**over):
    """One line of an import file, as a list in HEADER order."""
    v = {"姓名": "导入专家" + tag()[-6:], "工作单位": "东北林业大学", "单位统一社会信用代码": "",
         "单位类型": "高等院校", "职称": "教授", "职称级别": "正高级", "质量管理教学或实践年限": "12",
         "专业领域": "林产品质量", "来源": "公开征集", "推荐单位": "", "手机号码": new_mobile(),
         "电子邮箱": "import@example.com", "声明：遵纪守法、无不良信用记录": "是",
         "声明：身体健康、能独立完成评审": "是"}
    v.update(over)
    return [v[h] for h in HEADER]


def csv_text(lines, header=HEADER, eol="\r\n"):
    """A CSV file's text as Excel writes it: quoted where needed."""
    def cell(s):
        s = str(s)
        if any(ch in s for ch in ',"\r\n') or s != s.strip():
            return '"' + s.replace('"', '""') + '"'
        return s
    return "".join(",".join(cell(c) for c in row) + eol for row in [header] + list(lines))


class ExpertsCase(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = bgtest.admin_client()

    def audits(self, action, object_id=None):
        where = "action = %s" % q(action)
        if object_id is not None:
            where += " AND object_id = %s" % q(str(object_id))
        return int(sql_value("SELECT COUNT(*) FROM audit WHERE " + where))

    def last_audit(self, action, object_id):
        return sql("SELECT summary, login, role FROM audit WHERE action = %s AND object_id = %s"
                   " ORDER BY id DESC LIMIT 1" % (q(action), q(str(object_id))))[0]

    def token(self, path="/experts/new"):
        return self.admin.csrf_from(path)

    def create(self, **over):
        f = expert_form(**over)
        r = self.admin.post("/experts/new", f, csrf=self.token())
        self.assertRedirect(r, "/experts/view?id=")
        self.assertIn("done=created", r.location)
        return int(urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)["id"][0]), f

    def expert(self, expert_id, cols="status, suspended_until, status_reason"):
        return sql("SELECT %s FROM expert WHERE id = %d" % (cols, expert_id))[0]

    def upload(self, data, filename="专家.csv", client=None, csrf=True, timeout=30):
        c = client or self.admin
        token = c.csrf_from("/experts/import") if csrf is True else csrf
        fields = [("csrf", token)] if token else []
        body, ctype = multipart([("file", filename, data, "text/csv")], fields)
        return c.post("/experts/import", body=body, content_type=ctype, timeout=timeout)

    def count_experts(self):
        return int(sql_value("SELECT COUNT(*) FROM expert"))


# --- the form ---------------------------------------------------------------------

class FormTest(ExpertsCase):
    def test_new_expert_and_its_page(self):
        before = self.audits("expert.create")
        expert_id, f = self.create(org_uscc=ORG_USCC.lower(), org_name="黑龙江省标准化研究院",
                                   org_type="other")
        row = sql("SELECT name, org_uscc, org_key, org_type, title_level, years, mobile, status,"
                  " declared_integrity, declared_health, created_by FROM expert WHERE id = %d"
                  % expert_id)[0]
        self.assertEqual(row[:8], [f["name"], ORG_USCC, "C:" + ORG_USCC, "other", "senior", "15",
                                   f["mobile"], "active"])
        self.assertEqual(row[8:10], ["1", "1"])
        self.assertEqual(row[10], str(bgtest.province_account().id))
        self.assertEqual(self.audits("expert.create"), before + 1)
        summary, login, role = self.last_audit("expert.create", expert_id)
        self.assertIn(f["name"], summary)
        self.assertNotIn(f["mobile"], summary)  # contacts never go into the log
        self.assertEqual((login, role), (bgtest.province_account().login, "province"))
        r = self.admin.get("/experts/view?id=%d&done=created" % expert_id)
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find("dd", id="expert-mobile").text, f["mobile"])
        self.assertEqual(r.page.find("dd", id="expert-email").text, f["email"])
        self.assertIn("专家已入库", r.text)
        self.assertEqual(r.page.find("section", id="expert").attrs["data-status"], "active")

    def test_organisation_key_by_normalised_name(self):
        expert_id, _ = self.create(org_name="哈尔滨　工业 大学", org_uscc="")
        self.assertEqual(self.expert(expert_id, "org_key")[0], "N:哈尔滨工业大学")

    def test_each_refusal_at_its_field_with_the_input_kept(self):
        cases = [
            ("name", "", "请填写姓名"),
            ("name", "张\u202e三", "文字方向控制字符"),
            ("name", "张" * 65, "不能超过64个字符"),
            ("org_name", "", "请填写工作单位"),
            ("org_uscc", "91230100MA1B2C3D40", "第18位校验码错误"),
            ("org_uscc", "9123", "应为18位"),
            ("org_type", "school", "单位类型须为"),
            ("title", "", "请填写职称"),
            ("title_level", "intermediate", "须具有副高级及以上专业技术职称"),
            ("title_level", "", "请填写职称级别"),
            ("years", "2", "须有质量管理教学或质量管理实践3年以上经验"),
            ("years", "x", "须为整数"),
            ("specialties", "", "请填写专业领域"),
            ("source", "", "请填写来源"),
            ("mobile", "1381234567", "须为11位手机号码"),
            ("mobile", "12345678901", "须为11位手机号码"),
            ("email", "not-an-email", "格式不正确"),
            ("declared_integrity", None, "须遵纪守法、无不良信用记录"),
            ("declared_health", None, "身体健康，能独立完成评价工作"),
        ]
        token = self.token()
        for field, value, want in cases:
            with self.subTest(field=field, value=value):
                f = expert_form(**{field: value})
                if value is None:
                    f.pop(field, None)
                r = self.admin.post("/experts/new", f, csrf=token)
                self.assertStatus(r, 422)
                err = r.page.error_for(field)
                self.assertIsNotNone(err, "no message at %s: %s" % (field, r.field_errors()))
                self.assertIn(want, err)
                self.assertEqual(len(r.field_errors()), 1, r.field_errors())
                self.assertIn("未保存", r.error_summary())
                # The input is kept (a refused value too, except the checkbox).
                if field not in ("declared_integrity", "declared_health", "org_type", "title_level",
                                 "source", "specialties"):
                    self.assertEqual(r.page.find("input", name=field).attrs.get("value", ""),
                                     value.strip() if value else "")
                self.assertEqual(r.page.find("input", name="mobile").attrs["value"], f["mobile"])
                self.assertEqual(sql_value("SELECT COUNT(*) FROM expert WHERE mobile = %s"
                                           % q(f["mobile"])), "0")

    def test_recommended_needs_the_recommender(self):
        token = self.token()
        r = self.admin.post("/experts/new", expert_form(source="recommended"), csrf=token)
        self.assertStatus(r, 422)
        self.assertIn("须填写推荐单位", r.page.error_for("recommended_by"))
        r = self.admin.post("/experts/new", expert_form(recommended_by="黑龙江省质量协会"),
                            csrf=token)
        self.assertStatus(r, 422)
        self.assertIn("不填写推荐单位", r.page.error_for("recommended_by"))
        expert_id, _ = self.create(source="recommended", recommended_by="黑龙江省质量协会")
        self.assertEqual(self.expert(expert_id, "source, recommended_by"),
                         ["recommended", "黑龙江省质量协会"])

    def test_a_mobile_number_is_one_expert(self):
        _, f = self.create()
        r = self.admin.post("/experts/new", expert_form(mobile=f["mobile"]), csrf=self.token())
        self.assertStatus(r, 409)
        self.assertIn("同一手机号码只能对应一位专家", r.page.error_for("mobile"))
        self.assertEqual(sql_value("SELECT COUNT(*) FROM expert WHERE mobile = %s" % q(f["mobile"])),
                         "1")

    def test_edit(self):
        expert_id, f = self.create()
        r = self.admin.get("/experts/edit?id=%d" % expert_id)
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find("input", name="name").attrs["value"], f["name"])
        self.assertIn("checked", r.page.find("input", name="declared_health").attrs)
        token = r.csrf()
        before = self.audits("expert.update", expert_id)
        # Unchanged: nothing written.
        r = self.admin.post("/experts/edit?id=%d" % expert_id, f, csrf=token)
        self.assertRedirect(r, "/experts/view?id=%d&done=unchanged" % expert_id)
        self.assertEqual(self.audits("expert.update", expert_id), before)
        # A refusal keeps the expert as it was.
        r = self.admin.post("/experts/edit?id=%d" % expert_id, dict(f, years="1"), csrf=token)
        self.assertStatus(r, 422)
        self.assertIn("3年以上", r.page.error_for("years"))
        self.assertEqual(r.page.find("form", id="expert-form").attrs["action"],
                         "/experts/edit?id=%d" % expert_id)
        mobile = new_mobile()
        r = self.admin.post("/experts/edit?id=%d" % expert_id,
                            dict(f, years="16", mobile=mobile, org_name="东北林业大学"), csrf=token)
        self.assertRedirect(r, "/experts/view?id=%d&done=updated" % expert_id)
        self.assertEqual(self.expert(expert_id, "years, mobile, org_key"),
                         ["16", mobile, "N:东北林业大学"])
        self.assertEqual(self.audits("expert.update", expert_id), before + 1)
        summary = self.last_audit("expert.update", expert_id)[0]
        self.assertIn("工作单位、质量管理教学或实践年限、手机号码", summary)
        self.assertNotIn(mobile, summary)
        # Another expert's number.
        _, other = self.create()
        r = self.admin.post("/experts/edit?id=%d" % expert_id, dict(f, mobile=other["mobile"]),
                            csrf=token)
        self.assertStatus(r, 409)
        self.assertIn("同一手机号码", r.page.error_for("mobile"))
        self.assertStatus(self.admin.get("/experts/edit?id=9007199254740000"), 404)
        self.assertStatus(self.admin.get("/experts/view?id=abc"), 404)


# --- the list -------------------------------------------------------------------------

class ListTest(ExpertsCase):
    def rows(self, r):
        return [e for e in r.page.find_all("tr") if "data-id" in e.attrs]

    def test_masked_in_the_list_full_on_the_page(self):
        org = "掩码测试单位" + tag()
        expert_id, f = self.create(org_name=org, email="zhang.san@example.com")
        r = self.admin.get("/experts?q=" + urllib.parse.quote(org))
        self.assertStatus(r, 200)
        rows = self.rows(r)
        self.assertEqual([e.attrs["data-id"] for e in rows], [str(expert_id)])
        masked = f["mobile"][:3] + "****" + f["mobile"][-4:]
        cells = {e.attrs.get("data-label"): e.text for e in r.page.find_all("td")
                 if "data-label" in e.attrs}
        self.assertEqual(cells["手机号码"], masked)
        self.assertEqual(cells["电子邮箱"], "z***@example.com")
        self.assertNotIn(f["mobile"], r.text)
        self.assertNotIn("zhang.san@", r.text)
        r = self.admin.get("/experts/view?id=%d" % expert_id)
        self.assertIn(f["mobile"], r.text)
        self.assertIn("zhang.san@example.com", r.text)

    def test_filters_and_pages(self):
        org = "筛选测试单位" + tag()
        weld = "焊接质量" + tag()
        lines = [csv_line(工作单位=org, 职称级别="副高级" if i % 3 == 0 else "正高级",
                          单位类型="重点企业" if i % 2 else "协会学会",
                          专业领域=weld if i == 7 else "质量管理")
                 for i in range(23)]
        r = self.upload(csv_text(lines).encode("utf-8"))
        self.assertRedirect(r, "/experts/import/result?id=")
        base = "/experts?q=" + urllib.parse.quote(org)
        r = self.admin.get(base)
        self.assertIn("共 23 位专家，第 1/2 页", r.page.find("p", id="list-total").text)
        self.assertEqual(len(self.rows(r)), 20)
        nxt = r.page.find("a", rel="next")
        self.assertIsNotNone(nxt)
        r = self.admin.get(nxt.attrs["href"])
        self.assertEqual(len(self.rows(r)), 3)
        self.assertIsNone(r.page.find("a", rel="next"))
        self.assertEqual(len(self.rows(self.admin.get(base + "&title_level=deputy_senior"))), 8)
        self.assertIn("共 11 位", self.admin.get(base + "&org_type=enterprise").text)
        r = self.admin.get("/experts?q=" + urllib.parse.quote(org[-8:] + "焊接") )
        self.assertIn("共 0 位", r.text)
        # Text in the specialties, and LIKE's wildcards taken literally.
        r = self.admin.get("/experts?q=" + urllib.parse.quote(weld) + "&org_type=enterprise")
        self.assertEqual(len(self.rows(r)), 1)
        self.assertIn(org, self.rows(r)[0].text)
        self.assertIn("共 0 位", self.admin.get("/experts?q=%25%25" + urllib.parse.quote(org)).text)
        # A status filter; a refused filter is explained and ignored (422).
        ids = [int(x[0]) for x in sql("SELECT id FROM expert WHERE org_name = %s ORDER BY id"
                                      % q(org))]
        token = self.token()
        r = self.admin.post("/experts/suspend", {"id": str(ids[0]), "suspend_until": "2099-01-01",
                                                 "suspend_reason": "测试"}, csrf=token)
        self.assertStatus(r, 422)  # more than ten years ahead
        until = sql_value("SELECT DATE_FORMAT(CURDATE() + INTERVAL 30 DAY, '%Y-%m-%d')")
        r = self.admin.post("/experts/suspend", {"id": str(ids[0]), "suspend_until": until,
                                                 "suspend_reason": "测试暂停"}, csrf=token)
        self.assertRedirect(r, "/experts/view?id=%d&done=suspended" % ids[0])
        r = self.admin.get(base + "&status=suspended")
        self.assertEqual([e.attrs["data-id"] for e in self.rows(r)], [str(ids[0])])
        self.assertIn("暂停至 " + until, r.text)
        self.assertIn("共 22 位", self.admin.get(base + "&status=active").text)
        r = self.admin.get(base + "&status=gone")
        self.assertStatus(r, 422)
        self.assertIn("状态的选项无效", r.text)
        self.assertIn("共 23 位", r.text)


# --- relations, status, account ---------------------------------------------------------

class RelationsTest(ExpertsCase):
    def test_add_and_remove(self):
        expert_id, _ = self.create()
        token = self.token()
        add = {"id": str(expert_id), "rel_uscc": ENTERPRISE_USCC.lower(),
               "rel_name": "哈尔滨示范企业有限公司", "rel_kind": "consultancy", "rel_note": "2025年起顾问"}
        r = self.admin.post("/experts/relation/add", add, csrf=token)
        self.assertRedirect(r, "/experts/view?id=%d&done=relation_added" % expert_id)
        rows = sql("SELECT id, uscc, enterprise_name, kind, note FROM expert_relation"
                   " WHERE expert_id = %d" % expert_id)
        self.assertEqual([r_[1:] for r_ in rows],
                         [[ENTERPRISE_USCC, "哈尔滨示范企业有限公司", "consultancy", "2025年起顾问"]])
        self.assertEqual(self.audits("expert.relation.add", expert_id), 1)
        self.assertIn(ENTERPRISE_USCC, self.last_audit("expert.relation.add", expert_id)[0])
        page = self.admin.get("/experts/view?id=%d" % expert_id)
        self.assertIsNotNone(page.page.find("tr", **{"data-uscc": ENTERPRISE_USCC}))
        # The same again: 409 at the field, nothing added.
        r = self.admin.post("/experts/relation/add", add, csrf=token)
        self.assertStatus(r, 409)
        self.assertIn("无需重复登记", r.page.error_for("rel_uscc"))
        # Refusals at their fields, the input kept.
        r = self.admin.post("/experts/relation/add", dict(add, rel_uscc="91230100MA1B2C3D40",
                                                          rel_kind="friend"), csrf=token)
        self.assertStatus(r, 422)
        self.assertIn("校验码错误", r.page.error_for("rel_uscc"))
        self.assertIn("关系须为", r.page.error_for("rel_kind"))
        self.assertEqual(r.page.find("input", name="rel_uscc").attrs["value"], "91230100MA1B2C3D40")
        self.assertEqual(self.audits("expert.relation.add", expert_id), 1)
        # Another kind with the same enterprise is another relation.
        r = self.admin.post("/experts/relation/add", dict(add, rel_kind="relative"), csrf=token)
        self.assertStatus(r, 303)
        rel = rows[0][0]
        r = self.admin.post("/experts/relation/remove", {"id": str(expert_id), "relation": rel},
                            csrf=token)
        self.assertRedirect(r, "/experts/view?id=%d&done=relation_removed" % expert_id)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM expert_relation WHERE expert_id = %d"
                                   % expert_id), "1")
        self.assertEqual(self.audits("expert.relation.remove", expert_id), 1)
        r = self.admin.post("/experts/relation/remove", {"id": str(expert_id), "relation": rel},
                            csrf=token)
        self.assertStatus(r, 404)
        # Another expert's relation is not this one's.
        other, _ = self.create()
        rel2 = sql_value("SELECT id FROM expert_relation WHERE expert_id = %d" % expert_id)
        r = self.admin.post("/experts/relation/remove", {"id": str(other), "relation": rel2},
                            csrf=token)
        self.assertStatus(r, 404)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM expert_relation WHERE id = %s" % rel2), "1")


class StatusTest(ExpertsCase):
    def post(self, path, **fields):
        return self.admin.post(path, fields, csrf=self.token())

    def test_suspend_remove_reactivate(self):
        expert_id, _ = self.create()
        sid = str(expert_id)
        today = sql_value("SELECT DATE_FORMAT(CURDATE(), '%Y-%m-%d')")
        until = sql_value("SELECT DATE_FORMAT(CURDATE() + INTERVAL 60 DAY, '%Y-%m-%d')")
        # Refusals: today is not after today; a reason is required; nothing changes.
        r = self.post("/experts/suspend", id=sid, suspend_until=today, suspend_reason="出国")
        self.assertStatus(r, 422)
        self.assertIn("须晚于今天", r.page.error_for("suspend_until"))
        self.assertEqual(r.page.find("textarea", name="suspend_reason").text, "出国")
        r = self.post("/experts/suspend", id=sid, suspend_until=until, suspend_reason="  ")
        self.assertStatus(r, 422)
        self.assertIn("请填写暂停理由", r.page.error_for("suspend_reason"))
        r = self.post("/experts/remove", id=sid, remove_reason="")
        self.assertStatus(r, 422)
        self.assertIn("请填写移出理由", r.page.error_for("remove_reason"))
        self.assertEqual(self.expert(expert_id), ["active", None, None])
        self.assertEqual(self.audits("expert.suspend", expert_id), 0)
        # Reactivating an active expert is not offered and refused.
        self.assertIsNone(self.admin.get("/experts/view?id=" + sid).page.find("form", id="form-reactivate"))
        r = self.post("/experts/reactivate", id=sid, reactivate_reason="x")
        self.assertStatus(r, 409)
        self.assertIn("状态已经改变", r.page.find("p", id="action-error").text)
        # Suspend, suspend to another date, remove, reactivate: each audited with its reason.
        r = self.post("/experts/suspend", id=sid, suspend_until=until, suspend_reason="评审期间因公出国")
        self.assertRedirect(r, "/experts/view?id=%s&done=suspended" % sid)
        self.assertEqual(self.expert(expert_id), ["suspended", until, "评审期间因公出国"])
        summary = self.last_audit("expert.suspend", expert_id)[0]
        self.assertIn(until, summary)
        self.assertIn("评审期间因公出国", summary)
        page = self.admin.get("/experts/view?id=" + sid)
        self.assertEqual(page.page.find("dd", id="expert-status").attrs["data-status"], "suspended")
        self.assertIn("暂停至 " + until, page.text)
        r = self.post("/experts/remove", id=sid, remove_reason="本人申请退出专家库")
        self.assertRedirect(r, "/experts/view?id=%s&done=removed" % sid)
        self.assertEqual(self.expert(expert_id), ["removed", None, "本人申请退出专家库"])
        r = self.post("/experts/suspend", id=sid, suspend_until=until, suspend_reason="x")
        self.assertStatus(r, 409)
        self.assertEqual(self.expert(expert_id)[0], "removed")
        r = self.post("/experts/reactivate", id=sid, reactivate_reason="误操作，恢复")
        self.assertRedirect(r, "/experts/view?id=%s&done=reactivated" % sid)
        self.assertEqual(self.expert(expert_id), ["active", None, "误操作，恢复"])
        for action in ("expert.suspend", "expert.remove", "expert.reactivate"):
            self.assertEqual(self.audits(action, expert_id), 1, action)
        # The history on the page, from the audit log, newest first.
        page = self.admin.get("/experts/view?id=" + sid)
        labels = [e.text for e in page.page.find_all("td", **{"data-label": "操作"})]
        self.assertEqual(labels[:4], ["恢复专家在库", "移出专家库", "暂停专家", "新增专家"])
        self.assertStatus(self.post("/experts/remove", id="9007199254740000", remove_reason="x"), 404)

    def test_the_cli_changes_status_by_mobile(self):
        expert_id, f = self.create()
        until = sql_value("SELECT DATE_FORMAT(CURDATE() + INTERVAL 10 DAY, '%Y-%m-%d')")
        p = bgtest.admin_tool("experts", "suspend", f["mobile"], "--until", until, "--reason", "运维暂停")
        self.assertIn("已暂停", p.stdout)
        self.assertEqual(self.expert(expert_id), ["suspended", until, "运维暂停"])
        self.assertEqual(self.last_audit("expert.suspend", expert_id)[2], "operator")
        p = bgtest.admin_tool("experts", "remove", f["mobile"], "--reason", "运维移出")
        p = bgtest.admin_tool("experts", "remove", f["mobile"], "--reason", "again", check=False)
        self.assertEqual(p.returncode, 5, p.stderr)
        p = bgtest.admin_tool("experts", "reactivate", new_mobile(), "--reason", "x", check=False)
        self.assertEqual(p.returncode, 4, p.stderr)
        p = bgtest.admin_tool("experts", "suspend", f["mobile"], "--reason", "x", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)


class AccountTest(ExpertsCase):
    def test_open_an_account_shown_once(self):
        expert_id, f = self.create()
        page = self.admin.get("/experts/view?id=%d" % expert_id)
        proposed = page.page.find("input", name="login").attrs["value"]
        self.assertEqual(proposed, "zj%04d" % expert_id)
        token = page.csrf()
        # Refusals: not a login; a login taken.
        r = self.admin.post("/experts/account", {"id": str(expert_id), "login": "张三"}, csrf=token)
        self.assertStatus(r, 422)
        self.assertIn("小写字母", r.page.error_for("login"))
        taken = bgtest.create_account("city", city=bgtest.HARBIN[0])
        r = self.admin.post("/experts/account", {"id": str(expert_id), "login": taken.login},
                            csrf=token)
        self.assertStatus(r, 409)
        self.assertIn("已被使用", r.page.error_for("login"))
        self.assertIsNone(self.expert(expert_id, "account_id")[0])
        # The login as typed (capitals, blanks) is canonical.
        login = "zj" + tag()[-12:]
        r = self.admin.post("/experts/account", {"id": str(expert_id), "login": " " + login.upper()},
                            csrf=token)
        self.assertRedirect(r, "/experts/account/password?id=%d" % expert_id)
        self.assertNotIn("password=", r.location)
        account_id = self.expert(expert_id, "account_id")[0]
        self.assertEqual(sql("SELECT login, role, display_name, must_change_password FROM account"
                             " WHERE id = %s" % account_id)[0], [login, "expert", f["name"], "1"])
        self.assertEqual(self.audits("expert.account", expert_id), 1)
        self.assertIn(login, self.last_audit("expert.account", expert_id)[0])
        r = self.admin.get(r.location)
        self.assertStatus(r, 200)
        self.assertEqual(r.page.find("strong", id="created-login").text, login)
        password = r.page.find("code", id="initial-password").text
        self.assertGreaterEqual(len(password), 8)
        # Once: a reload does not show it again.
        r = self.admin.get("/experts/account/password?id=%d" % expert_id)
        self.assertIsNone(r.page.find("code", id="initial-password"))
        self.assertIsNotNone(r.page.find("p", id="password-gone"))
        # The expert logs in with it and must change it.
        c = Client()
        r = c.login(login, password)
        self.assertStatus(r, 303)
        self.assertEqual(c.get("/home").location, "/login/password")
        # The page links the account; a second account is refused.
        page = self.admin.get("/experts/view?id=%d" % expert_id)
        self.assertIn(login, page.page.find("p", id="account-link").text)
        self.assertIsNone(page.page.find("form", id="form-account"))
        r = self.admin.post("/experts/account", {"id": str(expert_id), "login": "zj" + tag()[-10:]},
                            csrf=token)
        self.assertStatus(r, 409)
        self.assertEqual(self.audits("expert.account", expert_id), 1)


# --- the import -----------------------------------------------------------------------

class ImportTest(ExpertsCase):
    def import_ok(self, data, filename="专家.csv", timeout=30):
        before = self.audits("expert.import")
        r = self.upload(data, filename, timeout=timeout)
        self.assertRedirect(r, "/experts/import/result?id=")
        self.assertEqual(self.audits("expert.import"), before + 1)
        import_id = int(urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)["id"][0])
        return import_id, self.admin.get(r.location)

    def test_good_files_in_each_encoding(self):
        for encoding, label, charset in (("utf-8", "UTF-8", "utf-8"),
                                         ("utf-8-sig", "UTF-8（带 BOM）", "utf-8-bom"),
                                         ("gb18030", "GB18030", "gb18030")):
            with self.subTest(encoding=encoding):
                lines = [csv_line(), csv_line(工作单位="哈尔滨电气集团有限公司", 单位类型="重点企业",
                                              来源="单位推荐", 推荐单位="哈尔滨电气集团有限公司")]
                import_id, r = self.import_ok(csv_text(lines).encode(encoding), "专家-%s.csv" % encoding)
                self.assertStatus(r, 200)
                summary = r.page.find("p", id="import-summary").text
                self.assertIn(label, summary)
                self.assertIn("新增 2 位专家，更新 0 位，0 位没有变化", summary)
                for line in lines:
                    self.assertIn(line[0], r.page.find("section", id="added").text)
                    self.assertEqual(sql("SELECT name, org_name, status FROM expert WHERE mobile = %s"
                                         % q(line[10]))[0], [line[0], line[1], "active"])
                self.assertEqual(sql("SELECT charset, added, updated, lines_read, account_id"
                                     " FROM expert_import WHERE id = %d" % import_id)[0],
                                 [charset, "2", "0", "2", str(bgtest.province_account().id)])
                self.assertEqual(sql_value("SELECT object_type FROM audit WHERE action = 'expert.import'"
                                           " AND object_id = %s" % q(str(import_id))), "expert_import")

    def test_quotes_newlines_crlf_blank_and_trailing_lines(self):
        org = "哈尔滨工业大学（威海）,质量研究所"
        a = csv_line(工作单位=org, 专业领域="卓越绩效\n六西格玛", 姓名='李"小"红')
        b = csv_line()
        text = csv_text([a]) + ",,,,,,,,,,,,,\r\n" + csv_text([b])[len(csv_text([])):] + "\r\n\r\n"
        _, r = self.import_ok(text.encode("utf-8"))
        self.assertIn("新增 2 位", r.page.find("p", id="import-summary").text)
        # (The SQL helper reads a row a line: the line break is shown as |.)
        self.assertEqual(sql("SELECT name, org_name, REPLACE(specialties, CHAR(10), '|')"
                             " FROM expert WHERE mobile = %s" % q(a[10]))[0],
                         ['李"小"红', org, "卓越绩效|六西格玛"])

    def test_update_by_mobile(self):
        expert_id, f = self.create(name="更新测试" + tag()[-6:])
        until = sql_value("SELECT DATE_FORMAT(CURDATE() + INTERVAL 20 DAY, '%Y-%m-%d')")
        self.admin.post("/experts/suspend", {"id": str(expert_id), "suspend_until": until,
                                             "suspend_reason": "暂停中"}, csrf=self.token())
        same = csv_line(姓名=f["name"], 工作单位=f["org_name"], 职称=f["title"],
                        质量管理教学或实践年限=f["years"], 专业领域=f["specialties"],
                        手机号码=f["mobile"], 电子邮箱=f["email"])
        new = csv_line()
        changed = list(same)
        changed[HEADER.index("工作单位")] = "东北林业大学"
        changed[HEADER.index("质量管理教学或实践年限")] = "20"
        _, r = self.import_ok(csv_text([same, new]).encode("utf-8"))
        self.assertIn("新增 1 位专家，更新 0 位，1 位没有变化", r.page.find("p", id="import-summary").text)
        _, r = self.import_ok(csv_text([changed]).encode("utf-8"))
        self.assertIn("新增 0 位专家，更新 1 位，0 位没有变化", r.page.find("p", id="import-summary").text)
        updated = r.page.find("section", id="updated").text
        self.assertIn(f["name"], updated)
        self.assertIn("工作单位、质量管理教学或实践年限", updated)
        # The data follows the file; the status is the pool's, not the file's.
        self.assertEqual(self.expert(expert_id, "org_name, years, org_key, status, suspended_until"),
                         ["东北林业大学", "20", "N:东北林业大学", "suspended", until])
        self.assertEqual(sql_value("SELECT COUNT(*) FROM expert WHERE mobile = %s" % q(f["mobile"])),
                         "1")

    def test_relations_column_adds_only(self):
        line = csv_line()
        rel = ENTERPRISE_USCC + "/咨询/哈尔滨示范企业有限公司；" + ENTERPRISE_USCC.lower() + "/亲属"
        text = csv_text([line + [rel]], header=HEADER + ["回避企业"])
        self.import_ok(text.encode("utf-8"))
        expert_id = int(sql_value("SELECT id FROM expert WHERE mobile = %s" % q(line[10])))
        kinds = sorted(x[0] for x in sql("SELECT kind FROM expert_relation WHERE expert_id = %d"
                                         % expert_id))
        self.assertEqual(kinds, ["consultancy", "relative"])
        # Again with one of them and a new one: one added, none removed.
        rel = ENTERPRISE_USCC + "/咨询；91230103MA7XK2Q5L4/持股/哈尔滨龙江质量技术服务有限公司"
        _, r = self.import_ok(csv_text([line + [rel]], header=HEADER + ["回避企业"]).encode("utf-8"))
        self.assertIn("新增回避关系1项", r.page.find("section", id="updated").text)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM expert_relation WHERE expert_id = %d"
                                   % expert_id), "3")

    def test_a_bad_file_changes_nothing_and_lists_every_bad_line(self):
        good = csv_line()
        dup = csv_line()
        lines = [
            good,                                                       # line 2
            csv_line(职称级别="中级及以下", 质量管理教学或实践年限="2"),   # 3: F and G
            dup,                                                        # 4
            csv_line(**{"声明：身体健康、能独立完成评审": "否"}),          # 5: N
            csv_line(手机号码="1.39045E+10", 单位统一社会信用代码="123"),  # 6: C and K
            csv_line(手机号码=dup[10]),                                  # 7: K duplicate of 4
            csv_line(来源="单位推荐"),                                    # 8: J
        ]
        for encoding in ("utf-8-sig", "gb18030"):
            with self.subTest(encoding=encoding):
                experts = self.count_experts()
                imports = int(sql_value("SELECT COUNT(*) FROM expert_import"))
                audits = self.audits("expert.import")
                r = self.upload(csv_text(lines).encode(encoding))
                self.assertStatus(r, 422)
                self.assertIn("文件未导入，专家库没有任何改动", r.page.find("p", id="import-error").text)
                self.assertIn("共 7 行数据，其中 5 行有问题（共 7 处）",
                              r.page.find("p", id="refused-summary").text)
                found = [(e.attrs["data-line"], e.attrs["data-column"])
                         for e in r.page.find_all("tr") if "data-line" in e.attrs]
                self.assertEqual(found, [("3", "F"), ("3", "G"), ("5", "N"), ("6", "C"), ("6", "K"),
                                         ("7", "K"), ("8", "J")])
                table = r.page.find("table", id="import-errors").text
                for want in ("副高级及以上", "3年以上", "身体健康", "科学计数法", "应为18位", "与第4行重复",
                             "须填写推荐单位"):
                    self.assertIn(want, table)
                # Nothing changed: not even the good lines.
                self.assertEqual(self.count_experts(), experts)
                self.assertEqual(sql_value("SELECT COUNT(*) FROM expert WHERE mobile IN (%s, %s)"
                                           % (q(good[10]), q(dup[10]))), "0")
                self.assertEqual(int(sql_value("SELECT COUNT(*) FROM expert_import")), imports)
                self.assertEqual(self.audits("expert.import"), audits)

    def test_files_refused_whole(self):
        experts = self.count_experts()
        cases = [
            ("\ufeff".encode("utf-8") + "姓名,单位\r\n".encode("gb18030"), "不是有效的 UTF-8"),
            ("姓名,工作单位\r\n".encode("utf-16"), "UTF-16"),
            (b"\x80\x80\x80,\xff\r\n", "既不是 UTF-8 也不是 GB18030"),
            ("姓名,单位,手机号码\r\n张三,某大学,13900000000\r\n".encode("utf-8"), "表头“单位”不是导入模板中的列名"),
            (csv_text([]).encode("utf-8"), "只有表头"),
            (b"", "空的"),
            ((csv_text([]) + '"open,\r\n').encode("utf-8"), "引号没有闭合"),
        ]
        for data, want in cases:
            with self.subTest(want=want):
                r = self.upload(data)
                self.assertStatus(r, 422)
                self.assertIn(want, r.page.find("section", id="import-refused").text)
        # No file chosen; a file over 2 MiB.
        token = self.admin.csrf_from("/experts/import")
        body, ctype = multipart([("file", "", b"", "application/octet-stream")], [("csrf", token)])
        r = self.admin.post("/experts/import", body=body, content_type=ctype)
        self.assertStatus(r, 422)
        self.assertIn("请选择要导入的 CSV 文件", r.text)
        r = self.upload(b"a" * (2 * 1024 * 1024 + 1))
        self.assertStatus(r, 413)
        self.assertIn("超过 2 MiB", r.text)
        # Without the token: 403 before the file is read.
        r = self.upload(csv_text([csv_line()]).encode("utf-8"), csrf=None)
        self.assertStatus(r, 403)
        self.assertEqual(self.count_experts(), experts)

    def test_five_thousand_lines(self):
        org = "五千行测试" + tag()
        lines = [csv_line(工作单位=org, 姓名="批量%04d" % i) for i in range(5000)]
        data = csv_text(lines).encode("utf-8")
        self.assertLess(len(data), 2 * 1024 * 1024)
        answered = []

        # Out of later tests' way, also when this test fails: 5000 more
        # candidates would make every draw of the run (and its printed
        # record) 5000 names long.  An import the web server gave up on
        # (504) may still be committing: wait for it a while.
        def remove():
            until = time.monotonic() + 300
            while not answered and time.monotonic() < until and sql_value(
                    "SELECT COUNT(*) FROM expert WHERE org_name = %s" % q(org)) == "0":
                time.sleep(2)
            sql("UPDATE expert SET status = 'removed', status_reason = '测试数据：移出'"
                " WHERE org_name = %s" % q(org))
        self.addCleanup(remove)
        _, r = self.import_ok(data, timeout=300)
        answered.append(True)
        self.assertIn("新增 5000 位", r.page.find("p", id="import-summary").text)
        self.assertEqual(sql_value("SELECT COUNT(*) FROM expert WHERE org_name = %s" % q(org)), "5000")
        r = self.upload(csv_text(lines + [csv_line(工作单位=org)]).encode("utf-8"), timeout=120)
        self.assertStatus(r, 422)
        self.assertIn("超过 5000 行", r.page.find("p", id="file-error").text)

    def test_the_cli_imports_the_same_way(self):
        good = [csv_line(), csv_line()]
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "pool.csv")
            with open(path, "wb") as f:
                f.write(csv_text(good).encode("gb18030"))
            p = bgtest.admin_tool("experts", "import", path)
            self.assertIn("新增 2 位", p.stdout)
            self.assertIn("GB18030", p.stdout)
            self.assertEqual(sql_value("SELECT role FROM audit WHERE action = 'expert.import'"
                                       " ORDER BY id DESC LIMIT 1"), "operator")
            experts = self.count_experts()
            with open(path, "wb") as f:
                f.write(csv_text([csv_line(), csv_line(职称级别="中级及以下")]).encode("utf-8"))
            p = bgtest.admin_tool("experts", "import", path, check=False)
            self.assertEqual(p.returncode, 2)
            self.assertIn("第3行 F列 职称级别：不符合专家库基本条件", p.stderr)
            self.assertEqual(self.count_experts(), experts)

    def test_template_and_page(self):
        r = self.admin.get("/experts/template.csv")
        self.assertStatus(r, 200)
        self.assertTrue(r.headers["Content-Type"].startswith("text/csv"))
        self.assertIn("attachment", r.headers["Content-Disposition"])
        self.assertTrue(r.body.startswith(codecs.BOM_UTF8))
        lines = r.body.decode("utf-8-sig").split("\r\n")
        self.assertEqual(lines[0].split(","), HEADER + ["回避企业"])
        self.assertEqual(len([x for x in lines if x]), 2)
        page = self.admin.get("/experts/import")
        self.assertStatus(page, 200)
        headers = [e.text for e in page.page.find_all("td", **{"data-label": "列名"})]
        self.assertEqual(headers, HEADER + ["回避企业"])
        form = page.page.find("form", id="import-form")
        self.assertEqual(form.attrs["enctype"], "multipart/form-data")
        # The token is the form's first field (core/mpform.h).
        inputs = page.page.find_all("input")
        first = inputs[inputs.index(page.page.find("input", name="file")) - 1]
        self.assertEqual((first.attrs["name"], first.attrs["type"]), ("csrf", "hidden"))


# --- who may ---------------------------------------------------------------------------

class RolesTest(ExpertsCase):
    def test_only_the_province(self):
        expert_id, _ = self.create()
        routes = ["/experts", "/experts/view?id=%d" % expert_id, "/experts/new",
                  "/experts/edit?id=%d" % expert_id, "/experts/import", "/experts/import/result?id=1",
                  "/experts/template.csv", "/experts/account/password?id=%d" % expert_id]
        posts = ["/experts/new", "/experts/edit?id=%d" % expert_id, "/experts/relation/add",
                 "/experts/relation/remove", "/experts/suspend", "/experts/remove",
                 "/experts/reactivate", "/experts/account", "/experts/import"]
        for role in ("supervisor", "expert", "city", "enterprise"):
            account = bgtest.create_account(role, city=bgtest.HARBIN[0] if role == "city" else None)
            c = bgtest.logged_in(account)
            token = c.csrf_from("/login/password")
            before = int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'refused.role'"
                                   " AND login = %s" % q(account.login)))
            for path in routes:
                with self.subTest(role=role, path=path):
                    r = c.get(path)
                    self.assertStatus(r, 403)
                    self.assertNotIn("专家库</a>", r.text.split("<main")[0])
            for path in posts:
                with self.subTest(role=role, post=path):
                    self.assertStatus(c.post(path, {"id": str(expert_id), "remove_reason": "x"},
                                             csrf=token), 403)
            self.assertEqual(self.expert(expert_id)[0], "active")
            self.assertGreater(int(sql_value("SELECT COUNT(*) FROM audit WHERE action = 'refused.role'"
                                             " AND login = %s" % q(account.login))), before)
        anon = Client()
        self.assertLoginRedirect(anon.get("/experts"), "/experts")
        # The province's navigation has 专家库, marked on the pool's pages.
        r = self.admin.get("/experts/view?id=%d" % expert_id)
        nav = r.page.find("a", href="/experts")
        self.assertEqual(nav.text, "专家库")
        self.assertEqual(nav.attrs.get("aria-current"), "page")


if __name__ == "__main__":
    unittest.main()
