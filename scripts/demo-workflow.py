#!/usr/bin/env python3
"""The demo's workflow data, made through the pages as its users would.

scripts/stack up --demo runs this once the stack answers.  It gives a newcomer
last year's round carried through every step built so far, next to this
year's open round:

  last year   four enterprises of 哈尔滨市 registered, applied (PDFs uploaded)
              and submitted; the city bureau (harbin) recommended three and
              declined one, and submitted its batch; the province (admin) made
              a review session of two of them, fixed its candidates with a
              public value announced, drew a panel of 5 with the supervisor
              (jiandu) confirming, replaced one expert who could not attend,
              and revealed the seed; a second session, of the third, has its
              candidates fixed and waits for the draw (try it: jiandu confirms
              with Demo@2026).  scripts/stack then moves the round's dates and
              the first session into last year (the pages do not backdate).
  this year   ent1's application, started (a draft).

  publicity   last year's recommended application, its credit checked, on
              the proposed list; the publicity starts today and a member of
              the public objects.  scripts/stack moves the period into the
              past and runs "demo-workflow.py ... publish PUBLICITY ROUND": the
              objection is answered (dismissed), the approval recorded, the
              list published (certificate HLJZLBG-<year>-001) and the
              benchmark put forward to the national selection.

Run again, it finds last year's round and does nothing.  Standard library
only.  Usage: demo-workflow.py BASE_URL ADMIN_TOOL CONF.  Last line of its
output: the ids of last year's round, of the first session and of the
publicity (0: none).  BASE_URL may list several web nodes, comma-separated:
each client's requests then go to each in turn.
"""
import datetime
import http.cookiejar
import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "Demo@2026"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
HARBIN = "230100"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kw):
        return None


class Client:
    """A browser without JavaScript: cookies, no redirects followed.  base
    may name several web nodes of one database, comma-separated: requests
    go to each in turn (scripts/galera-test), which a session, its tokens
    and every step's result must survive."""

    def __init__(self, base):
        self.bases = base.split(",")
        self.turn = 0
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, method, path, body=None, ctype=None):
        base = self.bases[self.turn % len(self.bases)]
        self.turn += 1
        req = urllib.request.Request(base + path, data=body, method=method)
        if ctype:
            req.add_header("Content-Type", ctype)
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.headers.get("Location", ""), r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Location", ""), e.read().decode("utf-8", "replace")

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields, want=303):
        """POST a form (fields: pairs) with the session's CSRF token."""
        fields = list(fields.items()) if isinstance(fields, dict) else list(fields)
        token = self.csrf()
        if token:
            fields.append(("csrf", token))
        status, location, text = self.request(
            "POST", path, urllib.parse.urlencode(fields).encode("ascii"),
            "application/x-www-form-urlencoded")
        if status != want:
            errors = re.findall(r'class="(?:field-error|error-summary)"[^>]*>([^<]+)', text)
            raise SystemExit("demo-workflow: POST %s answered %d, not %d: %s"
                             % (path, status, want, "; ".join(errors)[:400]))
        return location

    def csrf(self, path="/login/password"):
        status, _, text = self.get(path)
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', text)
        return m.group(1) if m else None

    def login(self, login, password=PASSWORD):
        _, _, text = self.get("/login")
        pre = re.search(r'name="pre_token" value="([^"]*)"', text).group(1)
        status, location, _ = self.request(
            "POST", "/login", urllib.parse.urlencode(
                {"login": login, "password": password, "pre_token": pre}).encode("ascii"),
            "application/x-www-form-urlencoded")
        if status != 303 or "/login" in location:
            raise SystemExit("demo-workflow: %s cannot log in (HTTP %d %s)" % (login, status, location))

    def first_login(self, login, one_time):
        """A new account's first login: the forced change to the demo password."""
        _, _, text = self.get("/login")
        pre = re.search(r'name="pre_token" value="([^"]*)"', text).group(1)
        status, location, _ = self.request(
            "POST", "/login", urllib.parse.urlencode(
                {"login": login, "password": one_time, "pre_token": pre}).encode("ascii"),
            "application/x-www-form-urlencoded")
        if status != 303 or "/login" in location:
            raise SystemExit("demo-workflow: %s cannot log in (HTTP %d %s)" % (login, status, location))
        # Every page but the change itself now leads to it.
        status, location, _ = self.get("/home")
        if status != 303 or not location.endswith("/login/password"):
            raise SystemExit("demo-workflow: %s: no forced change (HTTP %d %s)" % (login, status, location))
        self.post("/login/password", {"old_password": one_time, "new_password": PASSWORD,
                                      "new_password2": PASSWORD})


def uscc(body17):
    """The code with its GB 32100 check character."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(chars.index(c) * w for c, w in zip(body17, weights))
    return body17 + chars[(31 - total % 31) % 31]


def pdf(note):
    """A one-page PDF with a note in a comment (content-checked as a PDF)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = b"%PDF-1.4\n% " + note.encode("utf-8") + b"\n"
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


def multipart_post(client, path, fields, file_field, file_name, data, token_page):
    """A form with one file (multipart, the token first, as the pages send
    it); the redirect's location."""
    boundary = "----demo" + secrets.token_hex(8)
    b = boundary.encode("ascii")
    part = lambda name: b"--" + b + b'\r\nContent-Disposition: form-data; name="' + name.encode() + b'"'
    body = part("csrf") + b"\r\n\r\n" + client.csrf(token_page).encode("ascii") + b"\r\n"
    for name, value in fields:
        body += part(name) + b"\r\n\r\n" + value.encode("utf-8") + b"\r\n"
    body += (part(file_field) + b'; filename="' + file_name.encode("utf-8")
             + b'"\r\nContent-Type: application/pdf\r\n\r\n' + data + b"\r\n--" + b + b"--\r\n")
    status, location, _ = client.request("POST", path, body, "multipart/form-data; boundary=" + boundary)
    if status != 303:
        raise SystemExit("demo-workflow: POST %s (with %s) answered %d" % (path, file_name, status))
    return location


def upload(client, app_id, kind, data):
    """One file with the application form."""
    multipart_post(client, "/apply/edit?id=%d" % app_id, [], "file_" + kind, kind + ".pdf", data,
                   "/apply")


def application(title, method, scope="1"):
    today = datetime.datetime.now(SHANGHAI).date()
    return {
        "scope": scope, "method": method, "title": title,
        "abstract": "企业自2019年起推行%s，形成覆盖设计、制造、服务全过程的质量管控体系，"
                    "关键质量指标连续三年提升。" % method,
        "crit_innovation": "将%s与数字化手段结合，形成本企业的方法和工具。" % method,
        "crit_system": "建立了目标、组织、制度、资源、过程五位一体的推进机制，全员参与。",
        "crit_effect": "一次交检合格率由96.5%提升到99.3%，顾客投诉下降八成，方法已在上下游推广。",
        "industry": "8", "industry_other": "", "sme_industry": "2", "employees": "850",
        "revenue": "35000", "assets": "42000", "certifications": "ISO 9001:2015 质量管理体系认证",
        "method_years": "6", "profit_1": "1200", "profit_2": "980", "not_dishonest": "1",
        "dishonest_checked": (today - datetime.timedelta(days=3)).isoformat(),
        "exchange_commitment": "1",
        "ind_name_1": "一次交检合格率", "ind_unit_1": "%", "ind_before_1": "96.5",
        "ind_after_1": "99.3", "ind_name_2": "顾客投诉", "ind_unit_2": "件/年",
        "ind_before_2": "42", "ind_after_2": "7",
    }


ENTERPRISES = [
    ("demoent2", "哈尔滨示范精密装备有限公司", "91230100MA1DEMA02", "卓越绩效模式",
     "以卓越绩效模式驱动的精密装备全过程质量提升"),
    ("demoent3", "哈尔滨示范绿色食品股份有限公司", "91230100MA1DEMA03", "六西格玛管理",
     "六西格玛在绿色食品加工关键工序中的应用"),
    ("demoent4", "哈尔滨示范数字科技有限公司", "91230100MA1DEMA04", "质量数据平台",
     "基于工业互联网的质量数据闭环管理"),
    ("demoent5", "哈尔滨示范检测认证服务有限公司", "91230100MA1DEMA05", "检验检测一体化服务",
     "检验检测认证一站式服务的质量保障模式"),
]


def main():
    base, admin_tool, conf = sys.argv[1:4]
    if len(sys.argv) > 6 and sys.argv[4] == "publish":
        publish_phase(base, int(sys.argv[5]), sys.argv[6])
        return
    def tool(*args, check=True):
        p = subprocess.run([admin_tool, "--config", conf] + list(args), capture_output=True,
                           text=True, timeout=120)
        if check and p.returncode != 0:
            raise SystemExit("demo-workflow: biaogan-admin %s: %s%s" % (" ".join(args), p.stdout, p.stderr))
        return p
    now = datetime.datetime.now(SHANGHAI)
    year = now.year - 1
    fmt = lambda days: (now + datetime.timedelta(days=days)).strftime("%Y-%m-%d %H:%M")
    p = tool("round", "add", "--year", str(year), "--open", fmt(-10), "--close", fmt(20),
             "--deadline", fmt(30), "--quota", "3", check=False)
    if p.returncode == 4:
        print("demo workflow: the %d round exists already" % year)
        return
    if p.returncode != 0:
        raise SystemExit("demo-workflow: round add: " + p.stdout + p.stderr)
    admin = Client(base)
    admin.login("admin")
    _, _, text = admin.get("/admin/rounds")
    round_id = int(re.search(r'href="/admin/round\?id=(\d+)">%d年度' % year, text).group(1))

    # Three enterprises register, apply and submit.
    apps = []
    for login, name, code17, method, title in ENTERPRISES:
        ent = Client(base)
        _, _, text = ent.get("/apply/register")
        pre = re.search(r'name="pre_token" value="([^"]*)"', text).group(1)
        status, location, text = ent.request("POST", "/apply/register", urllib.parse.urlencode({
            "name": name, "uscc": uscc(code17[:17]), "city_code": HARBIN,
            "address": "哈尔滨市松北区示范大道%d号" % (len(apps) + 1), "legal_rep": "王示范",
            "contact_name": "李联络", "mobile": "1390451%04d" % (100 + len(apps)),
            "email": "%s@example.cn" % login, "ent_type": "llc", "ent_type_other": "",
            "login": login, "password": PASSWORD, "password2": PASSWORD, "pre_token": pre,
        }).encode("ascii"), "application/x-www-form-urlencoded")
        if status != 303:
            raise SystemExit("demo-workflow: registering %s answered %d" % (login, status))
        ent.get("/apply")
        location = ent.post("/apply/start", {"round": str(round_id)})
        app_id = int(re.search(r"id=(\d+)", location).group(1))
        ent.post("/apply/edit", dict(application(title, method), id=str(app_id), action="save"))
        for kind in ("experience", "commitment"):
            upload(ent, app_id, kind, pdf("%s %s" % (name, kind)))
        ent.post("/apply/submit", {"id": str(app_id)})
        apps.append(app_id)

    # The city bureau recommends two, declines one, submits its batch.
    city = Client(base)
    city.login("harbin")
    city.post("/recommend/recommend", {"id": str(apps[0]), "rank": "1",
                                       "opinion": "该企业质量管理体系健全，指标改善显著，同意推荐。"})
    city.post("/recommend/recommend", {"id": str(apps[1]), "rank": "2",
                                       "opinion": "方法成熟，在行业内具有示范作用，同意推荐。"})
    city.post("/recommend/recommend", {"id": str(apps[2]), "rank": "3",
                                       "opinion": "工业互联网与质量管理结合紧密，同意推荐。"})
    city.post("/recommend/decline", {"id": str(apps[3]),
                                     "reason": "方法推行时间较短，成效尚待检验，本年度不予推荐。"})
    city.post("/recommend/batch/submit", {"round": str(round_id)})

    # The province's review session: commit, draw, replace, reveal.
    review_date = (now + datetime.timedelta(days=7)).date().isoformat()
    location = admin.post("/draw/new", [
        ("round", str(round_id)), ("title", "%d年度质量标杆材料评审会" % year),
        ("review_date", review_date), ("place", "哈尔滨市南岗区 省工信厅第三会议室"),
        ("panel_size", "5"), ("rotation_k", "0"), ("app", str(apps[0])), ("app", str(apps[1]))])
    session = re.search(r"id=(\d+)", location).group(1)
    admin.post("/draw/commit", {"id": session, "public_source": "评审会前一日中国福利彩票“福彩3D”开奖号码"})
    sup = {"supervisor_login": "jiandu", "supervisor_password": PASSWORD}
    admin.post("/draw/panel", dict(sup, id=session, public_value="5 2 8"))
    _, _, text = admin.get("/draw/session?id=" + session)
    member = re.search(r'<tr data-expert="(\d+)"', text).group(1)
    admin.post("/draw/replace", dict(sup, id=session, expert=member, reason_kind="cannot_attend",
                                     reason="评审当日在外地参加标准审定会，不能参加"))
    admin.post("/draw/reveal", dict(sup, id=session))

    # The review of the first session (issue 12): each member's account
    # (pingshen1..5), declaration and scores, the chair's conclusions, the
    # answers (one dissent); the conclusions lock and the second application
    # is not selected.
    _, _, text = admin.get("/draw/session?id=" + session)
    members = re.findall(r'<tr data-expert="(\d+)"', text)
    experts = []
    for i, eid in enumerate(members):
        login = "pingshen%d" % (i + 1)
        admin.post("/experts/account", {"id": eid, "login": login})
        _, _, text = admin.get("/experts/account/password?id=" + eid)
        one_time = re.search(r'id="initial-password">([^<]+)<', text).group(1)
        c = Client(base)
        c.first_login(login, one_time)
        c.post("/review/declare", {"id": session, "agree": "1", "conflict": "none",
                                   "password": PASSWORD})
        experts.append((eid, c))
    admin.post("/review/configure", {"id": session, "chair": experts[0][0],
                                     "deadline_date": review_date, "deadline_time": "18:00"})
    points = {apps[0]: ["9", "8", "9", "8", "9", "8", "9", "9", "8", "9"],
              apps[1]: ["6", "7", "6", "7", "6", "6", "7", "6", "7", "6"]}
    for i, (eid, c) in enumerate(experts):
        for app, base_points in points.items():
            sheet = {"p%d" % (k + 1): str(max(0, int(v) - (i % 2))) for k, v in enumerate(base_points)}
            sheet.update(session=session, app=str(app), submit="1",
                         overall="申报材料完整，典型经验%s。" % ("具有较强示范作用" if app == apps[0]
                                                                  else "推广价值有限"))
            c.post("/review/save", sheet)
    chair = experts[0][1]
    chair.post("/review/conclude", {"session": session, "app": str(apps[0]), "recommended": "yes",
                                    "ranking": "1", "opinion": "经合议，该企业卓越绩效模式应用系统深入，"
                                    "质量指标行业领先，同意推荐为省级质量标杆。"})
    chair.post("/review/conclude", {"session": session, "app": str(apps[1]), "recommended": "no",
                                    "ranking": "2", "opinion": "经合议，该企业方法应用时间较短，"
                                    "成效有待检验，本年度不予推荐。"})
    for i, (eid, c) in enumerate(experts):
        for app in (apps[0], apps[1]):
            answer = {"session": session, "app": str(app), "kind": "confirm"}
            if i == 2 and app == apps[1]:
                answer.update(kind="dissent", reason="该企业质量改进成效明显，建议推荐。")
            c.post("/review/answer", answer)
    location = admin.post("/draw/new", [
        ("round", str(round_id)), ("title", "%d年度质量标杆材料评审会（第二场）" % year),
        ("review_date", review_date), ("place", "哈尔滨市南岗区 省工信厅第三会议室"),
        ("panel_size", "3"), ("rotation_k", "1"), ("app", str(apps[2]))])
    second = re.search(r"id=(\d+)", location).group(1)
    admin.post("/draw/commit", {"id": second, "public_source": ""})

    # The publicity (issue 13): the credit checks, the proposed list, the
    # publicity from today, a public objection.  The stack then moves the
    # period into the past and calls the publish phase.
    publicity = publicity_phase(base, admin, round_id, year, apps[0])

    # This year's round: ent1 starts its application (a draft).
    ent1 = Client(base)
    ent1.login("ent1")
    _, _, text = ent1.get("/apply")
    m = re.search(r'name="round" value="(\d+)"', text)
    if m:
        ent1.post("/apply/start", {"round": m.group(1)})
    print("demo workflow: the %d round carried through the draw and the review (session %s"
          " revealed, reviewed by pingshen1-%d, conclusions locked; session %s waiting for its"
          " draw)%s; ent1 has a draft this year" % (
              year, session, len(experts), second,
              ", its publicity started with one objection" if publicity else
              " (no publicity: this year's calendar ends before 5 working days from today)"))
    print(round_id, session, publicity)


def answer_of(question):
    digits = "零一二三四五六七八九"
    m = re.search(r"([一二三四五六七八九])加([一二三四五六七八九])等于几", question)
    return str(digits.index(m.group(1)) + digits.index(m.group(2)))


def publicity_phase(base, admin, round_id, year, app):
    """Credit checks, the proposed list, publicity from today, one public
    objection.  The publicity's id, or 0 when the calendar cannot give the
    period (late in December, before next year's arrangement is loaded)."""
    today = datetime.datetime.now(SHANGHAI).date().isoformat()
    for kind in ("dishonest_debtor", "serious_violation"):
        admin.post("/recommend/credit", {"id": str(app), "kind": kind, "result": "clear",
                                         "checked_on": today, "note": "演示：查询未列入"})
    admin.post("/publicity/propose", {"round": str(round_id), "app": str(app)})
    _, _, text = admin.get("/publicity/round?id=%d" % round_id)
    if "公示期 5 个工作日" not in text:
        return 0
    location = admin.post("/publicity/start", {
        "round": str(round_id), "start_date": today,
        "title": "%d年度黑龙江省质量标杆拟认定名单公示" % year,
        "contact": "黑龙江省工业和信息化厅质量处，电话：0451-82628000（演示），"
                   "地址：哈尔滨市南岗区中山路（演示）"})
    _, _, text = admin.get(location)
    publicity = int(re.search(r'href="/publicity/notice\?id=(\d+)"', text).group(1))
    # A member of the public objects (the form as a browser sends it).
    public = Client(base)
    _, _, text = public.get("/publicity/notice?id=%d" % publicity)
    question = re.search(r'<label for="answer">验证问题：([^<（]+)', text).group(1)
    token = re.search(r'name="question_token" value="([^"]+)"', text).group(1)
    fields = [("publicity", str(publicity)), ("app", str(app)), ("objector_name", "周群众"),
              ("id_type", "person"), ("organisation", ""), ("contact", "13604510000"),
              ("content", "该企业宣传材料中的一次交检合格率数据与其年报不一致，请核实。"),
              ("answer", answer_of(question)), ("question_token", token)]
    boundary = "----demo" + secrets.token_hex(8)
    body = b"".join(b"--" + boundary.encode() + b'\r\nContent-Disposition: form-data; name="'
                    + k.encode() + b'"\r\n\r\n' + v.encode("utf-8") + b"\r\n" for k, v in fields)
    body += b"--" + boundary.encode() + b"--\r\n"
    status, location, _ = public.request("POST", "/publicity/object", body,
                                         "multipart/form-data; boundary=" + boundary)
    if status != 303:
        raise SystemExit("demo-workflow: the objection answered %d" % status)
    return publicity


def publish_phase(base, publicity, round_id):
    """After the period (moved into the past by scripts/stack): the
    objection answered, the approval, the list published, the national
    recommendation."""
    admin = Client(base)
    admin.login("admin")
    _, _, text = admin.get("/publicity/round?id=" + round_id)
    for oid in re.findall(r'<tr data-objection="(\d+)" data-state="received"', text):
        admin.post("/publicity/decide", {
            "id": oid, "outcome": "dismissed",
            "notes": "调取该企业年报和质量月报核对，两者采用同一统计口径。",
            "reasons": "所反映的数据差异系统计期间不同所致，申报数据真实。",
            "reply": "经核实，该企业申报材料中的数据与年报统计口径一致，异议不成立。感谢您的监督。"})
    today = datetime.datetime.now(SHANGHAI).date().isoformat()
    admin.post("/publish/approve", {"id": str(publicity), "approval_date": today,
                                    "approval_ref": "厅长办公会议纪要〔%s〕18号（演示）" % today[:4]})
    admin.post("/publish/publish", {"id": str(publicity), "award_date": today})
    _, _, text = admin.get("/publish")
    year = re.search(r'/publish/national\?year=(\d+)', text).group(1)
    _, _, text = admin.get("/publish/national?year=" + year)
    bid = re.search(r'name="bm" value="(\d+)"', text).group(1)
    admin.post("/publish/national", {"year": year, "bm": bid,
                                     "note": "卓越绩效模式应用系统深入，示范作用突出。"})
    print("demo workflow: the %s list published (approval, certificate HLJZLBG-%s-001, one"
          " benchmark put forward to the national selection)" % (year, year))
    manage_phase(admin, year, bid, today)


def manage_phase(admin, year, bid, today):
    """Dynamic management: an exchange activity the benchmark took part in;
    its title revoked on a (demo) complaint and reinstated after review, so
    both decisions, their announcements and the history can be read."""
    location = admin.post("/manage/activity/add", {
        "held_on": today, "topic": "全省质量标杆经验交流现场会（演示）", "place": "哈尔滨市松北区",
        "level": "provincial", "organiser": "黑龙江省工业和信息化厅"})
    activity = re.search(r"id=(\d+)", location).group(1)
    admin.post("/manage/participation/add", {"activity": activity, "benchmark": bid,
                                             "contribution": "大会发言：卓越绩效模式的全员推行"})
    decisions = (
        ("revocation", "falsified", "接群众举报，申报材料中的质量损失率与统计年报不一致（演示）。",
         "黑工信质量〔%s〕15号（演示）" % today[:4]),
        ("reinstatement", "", "企业申诉，复核确认差异系统计口径不同所致，申报材料真实（演示）。",
         "黑工信质量〔%s〕21号（演示）" % today[:4]),
    )
    for kind, ground, facts, ref in decisions:
        fields = [("id", bid), ("kind", kind), ("ground", ground), ("facts", facts),
                  ("decision_ref", ref), ("decision_date", today)]
        location = multipart_post(admin, "/manage/decide", fields, "file", "决定书.pdf",
                                  pdf("decision " + kind), "/manage/benchmark?id=" + bid)
        draft = re.search(r"/manage/confirm\?id=(\d+)$", location).group(1)
        admin.post("/manage/confirm", {"id": draft})
    print("demo workflow: an exchange activity recorded; the %s title revoked and reinstated"
          " (动态管理, two announcements)" % year)


if __name__ == "__main__":
    main()
