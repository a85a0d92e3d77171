"""bench/seed.py: the realistic data bench/run measures against.

Two databases of the bench's own MariaDB (.run-bench by default):

  biaogan         the stack's: 13 cities, seven yearly rounds (2021-2027
                  for a seeding in 2026: five published, the current one in
                  publicity, next year's open), 2,000 applications in every
                  status their round's stage allows, with their indicators,
                  attachments, the city bureaus' decisions and batches and
                  the credit checks; 3,000 experts (suspended and removed
                  ones, declared relations); the current round's three
                  review sessions, their panels of 9 drawn, committed and
                  revealed by the draw step's own code (bench/micro
                  seed-draw) and their review (declarations, every score
                  sheet, conclusions locked, confirmations, a dissent); the
                  proposed list and its open publicity of 40 with objections;
                  five published annual lists (100 benchmarks in the last),
                  their announcements and national recommendations; a
                  20,000-row audit log whose hash chain verifies
                  (biaogan-admin audit verify) and whose records match the
                  rows above (one per upload, submit, decision, score sheet,
                  login ...), in time order.
  biaogan_micro   the draw micro-benchmark's: 10,000 experts and sessions of
                  200 applications each (state preparing), with recusals by
                  organisation (credit code and name) and declared relations.

Everything is generated here as SQL (multi-row INSERTs, one transaction per
part) and loaded with the mariadb client as the server's root over its
socket, constraints, foreign keys and triggers in force.  Only the password
hash comes from the programs (biaogan-admin user add in the micro database,
then copied: every seeded account has the password of DEMO_PASSWORD) and the
draws from bench/micro.  Deterministic apart from the draws' seeds (random
by design) and today's date, which places the open round and the publicity.

Standard library only; used by bench/run (seed_main, seed_micro).
"""
import datetime
import hashlib
import json
import os
import random
import subprocess
import time

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
DEMO_PASSWORD = "Demo@2026"
SEED_VERSION = 3

CITIES = [  # code, name, login of its bureau, share of the applications (%)
    ("230100", "哈尔滨市", "harbin", 25), ("230200", "齐齐哈尔市", "qiqihaer", 9),
    ("230300", "鸡西市", "jixi", 5), ("230400", "鹤岗市", "hegang", 4),
    ("230500", "双鸭山市", "shuangyashan", 4), ("230600", "大庆市", "daqing", 12),
    ("230700", "伊春市", "yichun", 4), ("230800", "佳木斯市", "jiamusi", 7),
    ("230900", "七台河市", "qitaihe", 4), ("231000", "牡丹江市", "mudanjiang", 8),
    ("231100", "黑河市", "heihe", 5), ("231200", "绥化市", "suihua", 8),
    ("232700", "大兴安岭地区", "daxinganling", 5),
]
# Applications per round year, offset from the seeding year (0 = this year).
ROUND_APPS = {-5: 200, -4: 230, -3: 260, -2: 290, -1: 320, 0: 380, 1: 320}
BENCHMARKS = {-5: 50, -4: 60, -3: 70, -2: 80, -1: 100}
SESSION_SIZES = [100, 85, 80]        # the current round's review sessions
SESSION_RECOMMENDED = [16, 12, 12]   # -> the publicity of 40
N_ENTERPRISES = 1300
N_EXPERTS = 3000
N_AUDIT = 20000
N_LOGINS = 1600

MICRO_EXPERTS = 10000
MICRO_APPS = 200


# --------------------------------------------------------------- SQL text

def q(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, bytes):
        return "0x" + v.hex() if v else "''"
    s = str(v).replace("\\", "\\\\").replace("'", "\\'").replace("\0", "\\0")
    return "'" + s + "'"


class Sql:
    """The SQL of one part, multi-row INSERTs of at most `chunk` rows."""

    def __init__(self):
        self.parts = ["SET NAMES utf8mb4;", "SET time_zone = '+08:00';",
                      "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO';",
                      "START TRANSACTION;"]

    def insert(self, table, cols, rows, chunk=400):
        for i in range(0, len(rows), chunk):
            self.parts.append("INSERT INTO %s (%s) VALUES\n%s;" % (
                table, ", ".join(cols),
                ",\n".join("(" + ", ".join(q(v) for v in r) + ")" for r in rows[i:i + chunk])))

    def add(self, stmt):
        self.parts.append(stmt if stmt.rstrip().endswith(";") else stmt + ";")

    def text(self):
        return "\n".join(self.parts + ["COMMIT;", ""])


class Db:
    """The bench's MariaDB as its root (socket authentication)."""

    def __init__(self, socket, database):
        self.socket, self.database = socket, database

    def _args(self, db=True):
        a = ["mariadb", "--no-defaults", "--socket=" + self.socket, "--user=root",
             "--default-character-set=utf8mb4", "--batch", "--skip-column-names", "--raw",
             "--init-command=SET time_zone = '+08:00'"]
        return a + (["--database=" + self.database] if db and self.database else [])

    def run(self, text, db=True, what="SQL"):
        p = subprocess.run(self._args(db), input=text.encode("utf-8"), capture_output=True,
                           timeout=600)
        if p.returncode != 0:
            raise SystemExit("seed: %s failed: %s" % (what, p.stderr.decode("utf-8", "replace")[:2000]))
        return p.stdout.decode("utf-8")

    def rows(self, query):
        out = self.run(query)
        return [[None if v == "NULL" else v for v in line.split("\t")]
                for line in out.splitlines()]

    def value(self, query):
        r = self.rows(query)
        return r[0][0] if r else None


# --------------------------------------------------------------- helpers

def uscc(body17):
    """The code with its GB 32100 check character."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(chars.index(c) * w for c, w in zip(body17, weights))
    return body17 + chars[(31 - total % 31) % 31]


def make_uscc(rnd, city, n):
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    district = "%s%02d" % (city[:4], rnd.randint(1, 30))
    org = "MA" + "".join(rnd.choice(chars) for _ in range(6)) + chars[n % 31]
    return uscc("91" + district + org)


def org_key(code, name):
    """docs/lottery.md §3 for the names made here (no blanks, no full-width
    forms): "C:" + the upper-cased code, else "N:" + the name, a-z upper-cased."""
    if code:
        return "C:" + code.upper()
    return "N:" + "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in name)


def pdf(note):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n% " + note.encode("utf-8") + b"\n"
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


def fmt(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


def at(d, h=9, m=0, s=0):
    return datetime.datetime(d.year, d.month, d.day, h, m, s)


def between(rnd, a, b):
    """A random moment of working hours between datetimes a and b."""
    if b <= a:
        return a
    t = a + datetime.timedelta(seconds=rnd.randint(0, int((b - a).total_seconds())))
    if t.hour < 8 or t.hour > 19:
        t = t.replace(hour=rnd.randint(8, 18))
    return min(max(t, a), b)


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国志红春梅海波宁德文利晓东雪峰丹亮林成新宏光荣斌飞凤俊佳琳慧颖"
BRANDS = ["龙江", "北方", "寒地", "黑土", "松花江", "兴安", "北大荒", "雪原", "冰城", "鹤城", "油城",
          "煤城", "林都", "界江", "三江", "镜泊", "五大连池", "乌苏里", "嫩江", "牡丹江", "北疆",
          "金穗", "长青", "恒达", "瑞丰", "宏昌", "鼎盛", "华晟", "远航", "天成", "正泰", "聚源",
          "万达", "同心", "盛世", "东方", "新华", "金龙", "银河", "星光", "永安", "福瑞", "安泰",
          "广源", "鑫诚", "鸿运", "佳禾", "润泽", "卓越", "精工"]
TRADES = ["精密机械", "重型装备", "电站设备", "绿色食品", "乳业", "大豆制品", "石化", "新材料",
          "医药", "汽车零部件", "农机装备", "电子信息", "软件", "数字科技", "物流", "检验检测",
          "建筑工程", "森林食品", "水稻种业", "冰雪装备", "航空部件", "焊接技术", "仪器仪表",
          "轴承", "环保科技", "能源", "煤化工", "生物科技", "包装", "纺织"]
FORMS = ["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"]
METHODS = ["卓越绩效模式", "六西格玛管理", "精益生产", "全面质量管理", "质量功能展开",
           "统计过程控制", "质量成本管理", "可靠性工程", "数字化质量管控", "QC小组活动",
           "标准化良好行为", "供应链质量协同", "首席质量官制度", "质量追溯体系"]
SCOPE_WORDS = ["全过程质量提升", "关键工序质量攻关", "产品一次合格率提升", "质量数据闭环管理",
               "顾客满意度提升", "质量损失降低", "供应商质量改进", "全员质量改进"]
SPECIALTIES = ["质量管理工程", "可靠性工程", "六西格玛管理", "统计过程控制", "卓越绩效评价",
               "质量奖评审", "标准化", "计量测试", "检验检测", "精益生产", "质量成本管理",
               "供应链管理", "食品安全", "医药质量管理", "软件质量", "工程质量", "环境管理体系",
               "信息安全管理", "品牌建设", "工业工程"]
UNIVERSITIES = ["哈尔滨工业大学", "哈尔滨工程大学", "东北林业大学", "东北农业大学", "哈尔滨理工大学",
                "黑龙江大学", "东北石油大学", "齐齐哈尔大学", "佳木斯大学", "牡丹江师范学院",
                "黑龙江科技大学", "哈尔滨商业大学", "黑龙江八一农垦大学", "哈尔滨医科大学"]
ASSOCIATIONS = ["黑龙江省质量协会", "黑龙江省标准化协会", "黑龙江省计量测试学会",
                "黑龙江省质量管理协会", "黑龙江省机械工程学会", "黑龙江省食品工业协会",
                "黑龙江省企业联合会", "黑龙江省检验检测认证协会"]
KEY_ENTERPRISES = ["哈尔滨电气集团有限公司", "中国一重集团有限公司", "大庆油田有限责任公司",
                   "北大荒农垦集团有限公司", "哈药集团有限公司", "中国航发哈尔滨东安发动机有限公司",
                   "哈尔滨飞机工业集团有限责任公司", "黑龙江飞鹤乳业有限公司", "建龙北满特殊钢有限责任公司",
                   "中车齐齐哈尔车辆有限公司", "哈尔滨轴承集团有限公司", "九三粮油工业集团有限公司",
                   "龙煤矿业控股集团有限责任公司", "哈尔滨锅炉厂有限责任公司", "哈尔滨汽轮机厂有限责任公司",
                   "大庆石化公司", "黑龙江龙煤双鸭山矿业有限责任公司", "哈尔滨东轻特种材料有限责任公司"]
OTHER_ORGS = ["黑龙江省产品质量检验研究院", "黑龙江省标准化研究院", "黑龙江省计量检定测试研究院",
              "黑龙江省特种设备检验研究院", "黑龙江省科学院", "黑龙江省工业和信息化研究中心",
              "哈尔滨市质量技术监督检验检测中心", "大庆市产品质量监督检验所"]
TITLES = [("教授", "senior"), ("研究员", "senior"), ("正高级工程师", "senior"),
          ("高级工程师", "deputy_senior"), ("副教授", "deputy_senior"),
          ("副研究员", "deputy_senior"), ("高级经济师", "deputy_senior")]


class Names:
    def __init__(self, rnd):
        self.rnd, self.used = rnd, set()

    def person(self):
        r = self.rnd
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))

    def enterprise(self, city_name):
        place = city_name[:-1] if city_name.endswith(("市", "区")) else city_name
        if place.endswith("地"):
            place = place[:-1]
        for _ in range(1000):
            n = "%s%s%s%s" % (place, self.rnd.choice(BRANDS), self.rnd.choice(TRADES),
                              self.rnd.choice(FORMS))
            if n not in self.used:
                self.used.add(n)
                return n
        raise SystemExit("seed: ran out of enterprise names")


def chain_hash(prev, at_s, account_id, login, role, ip, action, otype, oid, summary):
    def part(s):
        if s is None:
            return b"-1:"
        b = s.encode("utf-8")
        return str(len(b)).encode() + b":" + b
    text = b"".join(part(x) for x in (prev, at_s, str(account_id or 0), login, role, ip, action,
                                      otype, oid, summary))
    return hashlib.sha256(text).hexdigest()


class Audit:
    """Synthetic audit records of what the seeded rows did, chained as
    core/audit.c chains them (prev_hash, length-prefixed fields)."""

    def __init__(self):
        self.events = []

    def add(self, t, actor, action, otype, oid, summary, ip=None):
        aid, login, role = actor
        self.events.append((t, aid, login, role, ip, action, otype,
                            None if oid is None else str(oid), summary))

    def rows(self, events, prev):
        out = []
        for t, aid, login, role, ip, action, otype, oid, summary in events:
            ts = fmt(t)
            h = chain_hash(prev, ts, aid, login, role, ip, action, otype, oid, summary)
            out.append((ts, aid or None, login, role, ip, action, otype, oid, summary, prev, h))
            prev = h
        return out, prev


AUDIT_COLS = ("at", "account_id", "login", "role", "ip", "action", "object_type", "object_id",
              "summary", "prev_hash", "hash")


def gov_ip(rnd):
    return "10.12.%d.%d" % (rnd.randint(1, 40), rnd.randint(2, 250))


def public_ip(rnd):
    return "%d.%d.%d.%d" % (rnd.choice((1, 36, 42, 58, 60, 111, 112, 139, 175, 221, 222, 223)),
                            rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(1, 254))


# --------------------------------------------------------------- calendar

class Calendar:
    """Working days from the database's calendar (complete years only)."""

    def __init__(self, db):
        self.years = {int(r[0]) for r in db.rows("SELECT year FROM calendar_year WHERE complete = 1")}
        self.days = {r[0]: r[1] for r in db.rows("SELECT day, kind FROM calendar_day")}

    def working(self, d):
        if d.year not in self.years:
            return None
        k = self.days.get(d.isoformat())
        if k == "workday":
            return True
        if k == "holiday":
            return False
        return d.weekday() < 5

    def publicity_end(self, start, n=5):
        d, count = start, 0
        while True:
            w = self.working(d)
            if w is None:
                return None
            count += w
            if count == n:
                return d
            d += datetime.timedelta(days=1)

    def next_working(self, d):
        while not self.working(d):
            d += datetime.timedelta(days=1)
        return d


# --------------------------------------------------------------- main DB

STATUS_AFTER_PROVINCE = ("with_province", "in_review", "not_selected", "proposed",
                         "in_publicity", "approved", "benchmark", "revoked", "withdrawn")


def round_window(year):
    return (datetime.datetime(year, 4, 1, 9, 0), datetime.datetime(year, 6, 30, 17, 0),
            datetime.datetime(year, 7, 31, 17, 0))


def application_text(rnd, method, words):
    return {
        "abstract": ("企业自%d年起系统推行%s，围绕%s建立覆盖研发设计、采购制造、检验交付和售后服务的"
                     "质量管控体系，形成可复制推广的方法和工具，关键质量指标连续三年提升。"
                     % (rnd.randint(2012, 2020), method, words)),
        "crit_innovation": ("将%s与数字化、智能化手段深度融合，自主开发质量数据采集与分析平台，"
                            "形成本企业特有的%s方法体系，获得发明专利%d项、软件著作权%d项。"
                            % (method, words, rnd.randint(1, 9), rnd.randint(1, 12))),
        "crit_system": ("建立了目标、组织、制度、资源、过程五位一体的推进机制，由主要负责人挂帅，"
                        "质量部门牵头，各单元全员参与，每年开展质量改进项目%d项以上，方法已在"
                        "上下游%d家企业推广应用。" % (rnd.randint(10, 80), rnd.randint(3, 40))),
        "crit_effect": ("一次交检合格率由%.1f%%提升到%.1f%%，质量损失率下降%d%%，顾客满意度达到%d分，"
                        "近三年营业收入年均增长%d%%，经验在全省行业内具有示范和带动作用。"
                        % (rnd.uniform(90, 96), rnd.uniform(97, 99.8), rnd.randint(15, 60),
                           rnd.randint(88, 98), rnd.randint(5, 30))),
    }


def seed_main(db, admin_hash, criteria, micro_cmd, conf, today=None, log=print):
    """Fill the (freshly migrated) stack database.  Returns the facts bench/run
    needs: logins, ids, URLs."""
    rnd = random.Random(20261203)
    names = Names(rnd)
    now = datetime.datetime.now(SHANGHAI).replace(tzinfo=None, microsecond=0)
    today = today or now.date()
    Y = today.year
    cal = Calendar(db)
    audit = Audit()
    facts = {"seed_version": SEED_VERSION, "seeded_on": today.isoformat(), "year_now": Y}

    # ---- accounts ----
    accounts = []   # id, login, display_name, role, city_code, created_at
    next_id = [1]

    def account(login, name, role, city=None, created=None):
        aid = next_id[0]
        next_id[0] += 1
        accounts.append((aid, login, name, role, city, admin_hash, 0,
                         fmt(created or datetime.datetime(Y - 6, 3, 1, 9, 0))))
        return (aid, login, role)

    admin = account("admin", "省工信厅管理员", "province")
    staff = [admin] + [account(l, n, "province", created=datetime.datetime(Y - 6, 3, 2, 10, 0))
                       for l, n in (("zhaoqiang", "赵强（质量处）"), ("liuyan", "刘艳（质量处）"),
                                    ("sunpeng", "孙鹏（质量处）"))]
    supervisor = account("jiandu", "驻厅纪检监督员", "supervisor")
    city_acct = {}
    for code, cname, login, _ in CITIES:
        city_acct[code] = account(login, cname + "工信局", "city", code)
    facts.update(admin_login="admin", city_login="harbin", supervisor_login="jiandu",
                 password=DEMO_PASSWORD, admin_id=admin[0], supervisor_id=supervisor[0])
    for a in staff[1:] + [supervisor] + list(city_acct.values()):
        audit.add(datetime.datetime(Y - 6, 3, 2, 10, rnd.randint(0, 59)), admin, "account.create",
                  "user", a[0], "新建账户 %s（%s）" % (a[1], a[2]), gov_ip(rnd))

    # ---- enterprises (one account each) ----
    weights = [c[3] for c in CITIES]
    enterprises = []   # dicts
    by_city = {c[0]: [] for c in CITIES}
    for i in range(N_ENTERPRISES):
        code, cname = CITIES[rnd.choices(range(len(CITIES)), weights)[0]][:2]
        if i == 0:
            code, cname = "230100", "哈尔滨市"
        created = datetime.datetime(Y - 6, 3, 10) + datetime.timedelta(days=rnd.randint(0, 5 * 365))
        login = "ent1" if i == 0 else "qy%05d" % i
        name = "哈尔滨示范企业有限公司" if i == 0 else names.enterprise(cname)
        acct = account(login, name, "enterprise", created=created)
        e = {"id": i + 1, "account": acct, "name": name, "uscc": make_uscc(rnd, code, i),
             "city": code, "city_name": cname, "created": created,
             "address": "%s%s路%d号" % (cname, rnd.choice(BRANDS), rnd.randint(1, 999)),
             "legal_rep": names.person(), "contact": names.person(),
             "mobile": "13%09d" % (100000000 + i * 7919 % 899999999),
             "email": "%s@example.cn" % login,
             "ent_type": rnd.choices(["llc", "joint_stock", "state_sole", "collective", "foreign"],
                                     [70, 18, 6, 3, 3])[0]}
        enterprises.append(e)
        by_city[code].append(e)
        audit.add(created, acct, "enterprise.register", "enterprise", e["id"],
                  "企业注册：%s（%s）" % (name, e["uscc"]), public_ip(rnd))
    facts["enterprise_login"] = "ent1"

    # ---- rounds ----
    rounds = {}
    for off in sorted(ROUND_APPS):
        year = Y + off
        if off <= 0:
            o, c, d = round_window(year)
        else:
            o = at(today - datetime.timedelta(days=25), 9)
            c = at(today + datetime.timedelta(days=45), 17)
            d = at(today + datetime.timedelta(days=75), 17)
        rid = len(rounds) + 1
        rounds[off] = {"id": rid, "year": year, "open": o, "close": c, "deadline": d,
                       "created": o - datetime.timedelta(days=20)}
        audit.add(rounds[off]["created"], admin, "round.create", "round", rid,
                  "新建%d年度质量标杆遴选：申报 %s 至 %s，推荐截止 %s" % (year, fmt(o)[:16], fmt(c)[:16],
                                                          fmt(d)[:16]), gov_ip(rnd))

    # ---- applications ----
    apps = []
    app_id = [0]
    for off in sorted(ROUND_APPS):
        r = rounds[off]
        n = ROUND_APPS[off]
        chosen = []
        pools = {k: list(v) for k, v in by_city.items()}
        for k in pools:
            rnd.shuffle(pools[k])
        if off == 1:   # ent1's draft in the open round: the upload target
            chosen.append(enterprises[0])
            pools["230100"].remove(enterprises[0])
        while len(chosen) < n:
            code = CITIES[rnd.choices(range(len(CITIES)), weights)[0]][0]
            if pools[code]:
                chosen.append(pools[code].pop())
        for e in chosen:
            app_id[0] += 1
            method = rnd.choice(METHODS)
            words = rnd.choice(SCOPE_WORDS)
            latest = r["open"] + datetime.timedelta(days=40)
            if off == 1:
                latest = now - datetime.timedelta(days=5)
            a = {"id": app_id[0], "round": off, "round_id": r["id"], "ent": e, "method": method,
                 "title": "以%s推动%s的实践" % (method, words), "scope": rnd.choices(
                     [1, 2, 3, 4, 5], [55, 20, 8, 14, 3])[0],
                 "industry": rnd.choice(list(range(1, 23)) + [99]),
                 "created": between(rnd, r["open"], latest)}
            a.update(application_text(rnd, method, words))
            apps.append(a)
    facts["applications"] = len(apps)

    # statuses
    for off in sorted(ROUND_APPS):
        group = [a for a in apps if a["round"] == off]
        rnd.shuffle(group)
        n = len(group)
        if off == 1:
            plan = [("draft", 0.20), ("submitted", 0.45), ("returned", 0.05),
                    ("recommended", 0.20), ("not_recommended", 0.10)]
        else:
            plan = [("draft", 0.06), ("returned", 0.02), ("not_recommended", 0.22)]
        k = 0
        for status, share in plan:
            for a in group[k:k + int(round(share * n))]:
                a["status"] = status
            k += int(round(share * n))
        rest = group[k:]
        if off == 1:
            for a in rest:
                a["status"] = "submitted"
        elif off == 0:
            for a in rest:
                a["status"] = "with_province"
        else:
            rest.sort(key=lambda a: (a["scope"], a["id"]))
            rnd.shuffle(rest)
            for i, a in enumerate(rest):
                a["status"] = "benchmark" if i < BENCHMARKS[off] else "not_selected"
        if off == 1 and enterprises[0] in [a["ent"] for a in group]:
            for a in group:
                if a["ent"] is enterprises[0]:
                    a["status"] = "draft"
                    facts["upload_app_id"] = a["id"]

    # timestamps, saves, submits
    for a in apps:
        r = rounds[a["round"]]
        a["submitted"] = None
        if a["status"] != "draft":
            a["submitted"] = between(rnd, a["created"] + datetime.timedelta(days=1),
                                     min(r["close"] - datetime.timedelta(hours=2), now - datetime.timedelta(hours=6)))
        a["updated"] = a["submitted"] or between(rnd, a["created"], min(now, r["close"]))
        e = a["ent"]
        ip = public_ip(rnd)
        audit.add(a["created"], e["account"], "application.create", "application", a["id"],
                  "新建%d年度申报书" % r["year"], ip)
        saves = sorted(between(rnd, a["created"], a["updated"]) for _ in range(rnd.randint(1, 3)))
        for t in saves:
            audit.add(t, e["account"], "application.save", "application", a["id"],
                      "保存申报书：%s" % a["title"], ip)
        a["saves"] = saves
        if a["submitted"]:
            audit.add(a["submitted"], e["account"], "application.submit", "application", a["id"],
                      "提交申报书：%s（%s）" % (a["title"], e["name"]), ip)

    # attachments: experience + commitment for every non-draft, some drafts
    attachments, chunks = [], []
    att_id = [0]
    for a in apps:
        kinds = ("experience", "commitment") if a["status"] != "draft" else (
            ("experience",) if a["id"] % 2 else ())
        if a["id"] == facts.get("upload_app_id"):
            kinds = ()
        for kind in kinds:
            att_id[0] += 1
            data = pdf("%s %s %d" % (a["ent"]["name"], kind, a["id"]))
            t = between(rnd, a["created"], a["submitted"] or a["updated"])
            attachments.append((att_id[0], a["id"], kind,
                                "典型经验材料.pdf" if kind == "experience" else "承诺书（盖章）.pdf",
                                "application/pdf", len(data), hashlib.sha256(data).hexdigest(),
                                None, a["ent"]["account"][0], fmt(t)))
            chunks.append((att_id[0], 0, data))
            audit.add(t, a["ent"]["account"], "attachment.upload", "attachment", att_id[0],
                      "上传附件（%s）：%s，%d 字节" % ("典型经验材料" if kind == "experience" else "承诺书",
                                              attachments[-1][3], len(data)), public_ip(rnd))

    # ---- the city bureaus' decisions, batches, credit checks ----
    batches, batch_events, recs, returns, credit = [], [], [], [], []
    quotas = []
    for off in sorted(ROUND_APPS):
        r = rounds[off]
        for code, cname, login, _ in CITIES:
            group = [a for a in apps if a["round"] == off and a["ent"]["city"] == code]
            decided = [a for a in group if a["status"] not in ("draft", "submitted", "returned")]
            if not decided and off == 1:
                continue
            bid = len(batches) + 1
            city = city_acct[code]
            submitted = None
            if off <= 0:
                submitted = between(rnd, r["deadline"] - datetime.timedelta(days=6),
                                    r["deadline"] - datetime.timedelta(hours=3))
            batches.append((bid, r["id"], code, "submitted" if submitted else "open", None,
                            fmt(submitted) if submitted else None,
                            city[0] if submitted else None,
                            fmt(r["close"] + datetime.timedelta(days=1) if off <= 0
                                else r["open"] + datetime.timedelta(days=10))))
            recommended = [a for a in decided if a["status"] != "not_recommended"]
            rnd.shuffle(recommended)
            quota = max(len(recommended) + 3, 20)
            quotas.append((r["id"], code, quota))
            for rank, a in enumerate(recommended, 1):
                t = between(rnd, a["submitted"] if off > 0 else r["close"],
                            (submitted or now) - datetime.timedelta(hours=1))
                opinion = ("该企业%s推行扎实，质量管理体系健全，关键指标改善显著，在本地区具有示范作用，"
                           "同意推荐。" % a["method"])
                recs.append((a["id"], bid, "recommended", opinion, rank, city[0], fmt(t)))
                a["decided"] = t
                audit.add(t, city, "recommend.recommend", "application", a["id"],
                          "推荐（第 %d 名）：%s" % (rank, a["ent"]["name"]), gov_ip(rnd))
            for a in decided:
                if a["status"] == "not_recommended":
                    t = between(rnd, a["submitted"] if off > 0 else r["close"],
                                (submitted or now) - datetime.timedelta(hours=1))
                    reason = rnd.choice(["方法推行时间较短，成效尚待检验，本年度不予推荐。",
                                         "近两年净利润波动较大，示范性不足，本年度不予推荐。",
                                         "典型经验与申报范围不符，建议完善后下一年度申报。"])
                    recs.append((a["id"], bid, "not_recommended", reason, None, city[0], fmt(t)))
                    a["decided"] = t
                    audit.add(t, city, "recommend.decline", "application", a["id"],
                              "不予推荐：%s" % a["ent"]["name"], gov_ip(rnd))
            for a in group:
                if a["status"] == "returned":
                    t = between(rnd, a["submitted"], min(r["close"], now) - datetime.timedelta(hours=1))
                    returns.append((a["id"], "承诺书未加盖公章，请补充上传后重新提交。", city[0], fmt(t)))
                    audit.add(t, city, "recommend.return", "application", a["id"],
                              "退回修改：%s" % a["ent"]["name"], gov_ip(rnd))
            if submitted:
                batch_events.append((bid, "submit", "", None, len(recommended), city[0], fmt(submitted)))
                audit.add(submitted, city, "recommend.batch.submit", "recommend_batch", bid,
                          "提交%d年度推荐批次：推荐 %d 份" % (r["year"], len(recommended)), gov_ip(rnd))
            for a in recommended:
                for kind, label in (("dishonest_debtor", "失信被执行人"), ("serious_violation", "严重违法失信名单")):
                    t = between(rnd, a["decided"] - datetime.timedelta(days=2), a["decided"])
                    credit.append((a["id"], kind, "clear", t.date().isoformat(), "信用中国查询未列入",
                                   city[0], "city", fmt(t)))
                    audit.add(t, city, "credit.record", "application", a["id"],
                              "记录信用核查（%s）：未列入" % label, gov_ip(rnd))

    # ---- experts ----
    experts, relations = [], []
    cur_apps = [a for a in apps if a["round"] == 0 and a["status"] == "with_province"]
    applicant_ents = [a["ent"] for a in cur_apps]
    key_codes = {n: make_uscc(rnd, "230100", 7 + i) for i, n in enumerate(KEY_ENTERPRISES)}
    for i in range(N_EXPERTS):
        kind = rnd.choices(["university", "association", "enterprise", "other", "applicant"],
                           [38, 14, 30, 16, 2])[0]
        code = None
        if kind == "university":
            org, otype = rnd.choice(UNIVERSITIES), "university"
        elif kind == "association":
            org, otype = rnd.choice(ASSOCIATIONS), "association"
        elif kind == "enterprise":
            org, otype = rnd.choice(KEY_ENTERPRISES), "enterprise"
            code = key_codes[org]
        elif kind == "other":
            org, otype = rnd.choice(OTHER_ORGS), "other"
        else:   # works at an applicant of the current round: recused by organisation
            e = rnd.choice(applicant_ents)
            org, otype, code = e["name"], "enterprise", e["uscc"]
        title, level = rnd.choice(TITLES)
        if otype == "university" and title.endswith("工程师"):
            title, level = ("教授", "senior") if level == "senior" else ("副教授", "deputy_senior")
        source = rnd.choices(["solicited", "recommended"], [70, 30])[0]
        created = datetime.datetime(Y - 5, 5, 1) + datetime.timedelta(days=rnd.randint(0, 4 * 365))
        status, until, reason = "active", None, None
        roll = rnd.random()
        if roll < 0.02:
            status, until = "suspended", (today + datetime.timedelta(days=rnd.randint(20, 120))).isoformat()
            reason = "本人申请暂停（因公出国或承担专项任务）"
        elif roll < 0.033:
            status, reason = "removed", "本人因工作调动申请退出专家库"
        name = names.person()
        experts.append((i + 1, None, name, org, code, org_key(code, org), otype, title, level,
                        rnd.randint(3, 30), "；".join(rnd.sample(SPECIALTIES, 2)), source,
                        org if source == "recommended" else None, "139%08d" % (4510000 + i),
                        "zj%05d@example.cn" % (i + 1), 1, 1, status, until, reason, admin[0],
                        fmt(created), fmt(created)))
    for i in range(250):
        e = rnd.choice(applicant_ents) if i < 150 else rnd.choice(enterprises)
        eid = rnd.randint(1, N_EXPERTS)
        relations.append((eid, e["uscc"], e["name"],
                          rnd.choice(["employment", "consultancy", "shareholding", "relative"]),
                          "本人申报"))
    relations = list({(r[0], r[1], r[3]): r for r in relations}.values())
    imported = datetime.datetime(Y - 5, 5, 10, 15, 20)
    audit.add(imported, admin, "expert.import", "expert_import", 1,
              "导入专家库：%d 行，新增 %d 名" % (N_EXPERTS, N_EXPERTS), gov_ip(rnd))
    for eid, code, ename, kind, _ in relations:
        audit.add(between(rnd, imported, datetime.datetime(Y, 6, 1)), admin, "expert.relation.add",
                  "expert", eid, "登记回避关系：%s（%s）" % (ename, code), gov_ip(rnd))
    for x in experts:
        if x[17] != "active":
            audit.add(between(rnd, datetime.datetime(Y, 9, 1), datetime.datetime(Y, 9, 30)), admin,
                      "expert.suspend" if x[17] == "suspended" else "expert.remove", "expert", x[0],
                      "%s：%s，%s" % ("暂停专家" if x[17] == "suspended" else "移出专家库", x[2], x[19]),
                      gov_ip(rnd))

    # ---- the current round's review sessions (preparing; drawn by bench/micro) ----
    cur_apps.sort(key=lambda a: (a["scope"], a["ent"]["city"], a["id"]))
    sessions = []
    k = 0
    total = sum(SESSION_SIZES)
    sizes = [len(cur_apps) * n // total for n in SESSION_SIZES[:-1]]
    sizes.append(len(cur_apps) - sum(sizes))
    for s, size in enumerate(sizes):
        review_date = datetime.date(Y, 10, 20) + datetime.timedelta(days=s)
        members = cur_apps[k:k + size]
        k += size
        sessions.append({"id": s + 1, "date": review_date, "apps": members,
                         "title": "%d年度质量标杆材料评审会（第%s组）" % (Y, "一二三"[s]),
                         "created": at(review_date - datetime.timedelta(days=12), 10)})
        audit.add(sessions[-1]["created"], admin, "draw.session.create", "review_session", s + 1,
                  "新建评审会：%s，%d 份申报书，评审组 9 人" % (sessions[-1]["title"], size), gov_ip(rnd))
    for a in cur_apps[k:]:
        a["status"] = "not_selected"   # none left over: every one is in a session

    # ---- the published lists of past rounds ----
    publicities, items, proposals, benchmarks, nationals, announcements = [], [], [], [], [], []
    for off in sorted(BENCHMARKS):
        r = rounds[off]
        year = r["year"]
        start = datetime.date(year, 11, 10)
        while cal.working(start) is False:
            start += datetime.timedelta(days=1)
        end = cal.publicity_end(start) or start + datetime.timedelta(days=6)
        approval = end + datetime.timedelta(days=8)
        award = approval + datetime.timedelta(days=10)
        pid = len(publicities) + 1
        bms = sorted((a for a in apps if a["round"] == off and a["status"] == "benchmark"),
                     key=lambda a: (a["scope"], a["id"]))
        started = at(start, 9, 30)
        published = at(award, 10, 0)
        ref = "厅长办公会议纪要〔%d〕%d号" % (year, rnd.randint(20, 40))
        publicities.append((pid, r["id"], "%d年度黑龙江省质量标杆拟认定名单公示" % year,
                            start.isoformat(), end.isoformat(), 5,
                            "黑龙江省工业和信息化厅质量处，电话：0451-82628000，地址：哈尔滨市南岗区中山路",
                            "published", admin[0], fmt(started), approval.isoformat(), ref, admin[0],
                            fmt(at(approval, 16)), award.isoformat(), admin[0], fmt(published)))
        announcements.append(("publicity", year, "%d年度黑龙江省质量标杆拟认定名单公示" % year,
                              "现将%d年度黑龙江省质量标杆拟认定名单予以公示，公示期为%s至%s。"
                              % (year, start.isoformat(), end.isoformat()),
                              "/publicity/notice?id=%d" % pid, fmt(started)))
        announcements.append(("publication", year, "%d年度黑龙江省质量标杆名单" % year,
                              "经公示和厅长办公会审议（%s），%d家企业被认定为%d年度黑龙江省质量标杆。"
                              % (ref, len(bms), year), "/publish/list?year=%d" % year, fmt(published)))
        audit.add(started, admin, "publicity.start", "publicity", pid,
                  "《%d年度黑龙江省质量标杆拟认定名单公示》开始公示：%s至%s，%d家企业"
                  % (year, start, end, len(bms)), gov_ip(rnd))
        audit.add(at(approval, 16), admin, "publish.approve", "publicity", pid,
                  "记录审议通过：%s" % ref, gov_ip(rnd))
        audit.add(published, admin, "publish.publish", "publicity", pid,
                  "发布%d年度质量标杆名单：%d家，授牌日期%s" % (year, len(bms), award), gov_ip(rnd))
        for pos, a in enumerate(bms, 1):
            e = a["ent"]
            items.append((pid, a["id"], pos, e["name"], e["city"], a["scope"], a["title"]))
            proposals.append((a["id"], r["id"], admin[0], fmt(started - datetime.timedelta(days=3))))
            bid = len(benchmarks) + 1
            benchmarks.append((bid, a["id"], pid, year, pos, "HLJZLBG-%04d-%03d" % (year, pos),
                               e["name"], e["city"], a["scope"], a["title"], award.isoformat(),
                               "valid", None, fmt(published),
                               year + 1 if pos <= 2 and off <= -3 else None))
            if pos <= (8 if off == -1 else 5):
                nationals.append((bid, year, "典型经验系统深入，示范作用突出。", admin[0],
                                  fmt(published + datetime.timedelta(days=20))))
        if off == -1:
            facts["list_year"] = year
            facts["cert_no"] = "HLJZLBG-%04d-%03d" % (year, 37)
            facts["benchmarks_last"] = len(bms)

    # ---- part 1's audit rows: everything up to the first draw ----
    # The draws: session i committed at first_draw + 3 i hours, drawn an hour
    # later, revealed 20 minutes after that; part 2 starts an hour after.
    first_draw = at(sessions[0]["date"] - datetime.timedelta(days=6), 10)
    last_draw = first_draw + datetime.timedelta(hours=3 * (len(sessions) - 1), minutes=80)
    part2_from = last_draw + datetime.timedelta(hours=1)

    # Review, proposal, publicity events are made below (part 2); the
    # current round's and the open round's activity after first_draw too.
    def ip_of(actor):
        return gov_ip(rnd) if actor[2] in ("province", "city", "supervisor") else public_ip(rnd)

    sql = Sql()
    sql.insert("account", ("id", "login", "display_name", "role", "city_code", "password_hash",
                           "must_change_password", "created_at"), accounts)
    sql.insert("enterprise", ("id", "account_id", "name", "uscc", "ent_type", "city_code", "address",
                              "legal_rep", "contact_name", "mobile", "email", "created_at"),
               [(e["id"], e["account"][0], e["name"], e["uscc"], e["ent_type"], e["city"], e["address"],
                 e["legal_rep"], e["contact"], e["mobile"], e["email"], fmt(e["created"]))
                for e in enterprises])
    for off in sorted(ROUND_APPS):
        r = rounds[off]
        sql.add("INSERT INTO selection_round (id, year, title, apply_open, apply_close,"
                " recommend_deadline, default_quota, created_by, created_at, updated_at) VALUES"
                " (%d, %d, %s, %s, %s, %s, 20, %d, %s, %s)"
                % (r["id"], r["year"], q("%d年度黑龙江省质量标杆遴选" % r["year"]), q(fmt(r["open"])),
                   q(fmt(r["close"])), q(fmt(r["deadline"])), admin[0], q(fmt(r["created"])),
                   q(fmt(r["created"]))))
        sql.insert("round_criterion", ("round_id", "no", "group_no", "title", "max_points"),
                   [(r["id"],) + tuple(c) for c in criteria])
    sql.insert("round_city_quota", ("round_id", "city_code", "quota"), quotas)
    app_cols = ("id", "round_id", "enterprise_id", "status", "scope", "method", "title", "abstract",
                "crit_innovation", "crit_system", "crit_effect", "industry", "industry_other",
                "sme_industry", "employees", "revenue", "assets", "sme_size", "certifications",
                "method_years", "profit_1", "profit_2", "not_dishonest", "dishonest_checked",
                "exchange_commitment", "created_at", "updated_at", "submitted_at")
    app_rows, indicators = [], []
    for a in apps:
        revenue = rnd.randint(3000, 900000)
        size = "large" if revenue > 40000 else rnd.choice(["medium", "small"])
        checked = (a["submitted"] or a["updated"]).date() - datetime.timedelta(days=rnd.randint(1, 20))
        app_rows.append((a["id"], a["round_id"], a["ent"]["id"], a["status"], a["scope"], a["method"],
                         a["title"], a["abstract"], a["crit_innovation"], a["crit_system"],
                         a["crit_effect"], a["industry"],
                         "冰雪旅游装备" if a["industry"] == 99 else "", rnd.choice([2, 2, 2, 3, 12]),
                         rnd.randint(60, 9000), "%d.00" % revenue, "%d.00" % (revenue * rnd.uniform(0.8, 1.6)),
                         size, "ISO 9001:2015 质量管理体系认证；ISO 14001 环境管理体系认证",
                         rnd.randint(2, 15), "%.2f" % rnd.uniform(80, 9000), "%.2f" % rnd.uniform(60, 8000),
                         1, checked.isoformat(), 1, fmt(a["created"]), fmt(a["updated"]),
                         fmt(a["submitted"]) if a["submitted"] else None))
        indicators.append((a["id"], 1, "一次交检合格率", "%", "%.1f" % rnd.uniform(90, 96),
                           "%.1f" % rnd.uniform(97, 99.8)))
        indicators.append((a["id"], 2, "顾客投诉", "件/年", str(rnd.randint(20, 90)), str(rnd.randint(1, 15))))
    # The current round's applications go to the sessions as with_province;
    # the draw moves them to in_review.
    sql.insert("application", app_cols, app_rows, chunk=200)
    sql.insert("application_indicator", ("application_id", "row_no", "name", "unit", "value_before",
                                         "value_after"), indicators)
    sql.insert("attachment", ("id", "application_id", "kind", "original_name", "mime", "size_bytes",
                              "sha256", "content", "uploaded_by", "uploaded_at"), attachments)
    sql.insert("attachment_chunk", ("attachment_id", "seq", "data"), chunks, chunk=200)
    sql.insert("recommend_batch", ("id", "round_id", "city_code", "status", "deadline_override",
                                   "submitted_at", "submitted_by", "created_at"), batches)
    sql.insert("recommendation", ("application_id", "batch_id", "decision", "opinion", "rank_no",
                                  "decided_by", "decided_at"), recs)
    sql.insert("application_return", ("application_id", "reason", "returned_by", "returned_at"), returns)
    sql.insert("recommend_batch_event", ("batch_id", "kind", "reason", "deadline", "recommended",
                                         "account_id", "at"), batch_events)
    sql.insert("credit_check", ("application_id", "kind", "result", "checked_on", "note",
                                "recorded_by", "recorded_role", "recorded_at"), credit)
    sql.insert("expert", ("id", "account_id", "name", "org_name", "org_uscc", "org_key", "org_type",
                          "title", "title_level", "years", "specialties", "source", "recommended_by",
                          "mobile", "email", "declared_integrity", "declared_health", "status",
                          "suspended_until", "status_reason", "created_by", "created_at",
                          "updated_at"), experts)
    sql.insert("expert_relation", ("expert_id", "uscc", "enterprise_name", "kind", "note"), relations)
    sql.add("INSERT INTO expert_import (id, account_id, file_name, file_sha256, charset, lines_read,"
            " added, updated, unchanged, detail, created_at) VALUES (1, %d, '专家库（首批）.csv', %s,"
            " 'utf-8-bom', %d, %d, 0, 0, '{\"added\": [], \"updated\": [], \"unchanged\": []}', %s)"
            % (admin[0], q(hashlib.sha256(b"experts").hexdigest()), N_EXPERTS, N_EXPERTS, q(fmt(imported))))
    sql.insert("review_session", ("id", "round_id", "title", "review_date", "place", "panel_size",
                                  "rotation_k", "state", "created_by", "created_at", "updated_at"),
               [(s["id"], rounds[0]["id"], s["title"], s["date"].isoformat(),
                 "哈尔滨市南岗区 省工信厅第%s会议室" % "三四五"[s["id"] - 1], 9, 0, "preparing", admin[0],
                 fmt(s["created"]), fmt(s["created"])) for s in sessions])
    sql.insert("review_session_application", ("session_id", "application_id"),
               [(s["id"], a["id"]) for s in sessions for a in s["apps"]])
    sql.insert("publicity", ("id", "round_id", "title", "start_date", "end_date", "working_days",
                             "contact", "state", "started_by", "started_at", "approval_date",
                             "approval_ref", "approved_by", "approved_at", "award_date",
                             "published_by", "published_at"), publicities)
    sql.insert("proposal", ("application_id", "round_id", "proposed_by", "proposed_at"), proposals)
    sql.insert("publicity_item", ("publicity_id", "application_id", "position", "enterprise_name",
                                  "city_code", "scope", "title"), items)
    sql.insert("benchmark", ("id", "application_id", "publicity_id", "year", "seq", "cert_no",
                             "enterprise_name", "city_code", "scope", "title", "award_date", "status",
                             "status_changed_at", "created_at", "national_title_year"), benchmarks)
    sql.insert("national_recommendation", ("benchmark_id", "year", "note", "recommended_by",
                                           "recommended_at"), nationals)
    sql.insert("announcement", ("kind", "year", "title", "body", "link", "published_at"),
               sorted(announcements, key=lambda x: x[5]))

    # Logins and logouts fill the log up to N_AUDIT rows in all (below,
    # once part 2's events are known); part 1 gets those before first_draw.
    facts["_audit"] = audit
    facts["_state"] = {"apps": apps, "sessions": sessions, "rounds": rounds, "admin": admin,
                       "staff": staff, "supervisor": supervisor, "city_acct": city_acct,
                       "experts": experts, "first_draw": first_draw, "last_draw": last_draw,
                       "part2_from": part2_from, "now": now, "today": today, "cal": cal,
                       "enterprises": enterprises, "criteria": criteria, "rnd": rnd}

    # How many records part 2 will make (a dry plan: the panels are not
    # drawn yet), so that logins can fill the log to N_AUDIT over both.
    facts["_hash"] = admin_hash
    dry = Audit()
    plan_part2(facts, None, dry, db=None)
    others = len(dry.events) + 3 * len(sessions)
    # Room for N_LOGINS logins and logouts: drafts' extra saves give way.
    excess = len(audit.events) + others + N_LOGINS - N_AUDIT
    if excess > 0:
        saves = [i for i, e in enumerate(audit.events) if e[5] == "application.save"]
        drop = set(rnd.sample(saves, min(excess, len(saves) - len(apps) // 2)))
        audit.events = [e for i, e in enumerate(audit.events) if i not in drop]
    fill_logins(facts, audit, others)

    p1 = [e for e in audit.events if e[0] < first_draw]
    late = []
    # Anything dated in the draws' window moves just after it.
    for e in audit.events:
        if e[0] >= first_draw:
            t = e[0] if e[0] >= part2_from else part2_from + datetime.timedelta(minutes=rnd.randint(1, 600))
            late.append((t,) + e[1:])
    p1.sort(key=lambda e: e[0])
    rows, head = audit.rows(p1, "0" * 64)
    sql.insert("audit", AUDIT_COLS, rows, chunk=500)
    sql.add("UPDATE audit_head SET last_hash = %s WHERE id = 1" % q(head))
    t0 = time.time()
    db.run(sql.text(), what="loading part 1")
    log("seed: part 1 loaded (%d accounts, %d applications, %d experts, %d audit rows) in %.1f s"
        % (len(accounts), len(apps), len(experts), len(rows), time.time() - t0))

    # ---- the draws, by the draw step's own code ----
    t0 = time.time()
    for s in sessions:
        commit = first_draw + datetime.timedelta(hours=3 * (s["id"] - 1))
        panel = commit + datetime.timedelta(hours=1)
        reveal = panel + datetime.timedelta(minutes=20)
        ts = [str(int(t.replace(tzinfo=SHANGHAI).timestamp())) for t in (commit, panel, reveal)]
        pub = "%d %d %d" % (rnd.randint(0, 9), rnd.randint(0, 9), rnd.randint(0, 9))
        p = subprocess.run(micro_cmd + ["seed-draw", str(admin[0]), str(supervisor[0]), str(s["id"]), pub]
                           + ts, env=dict(os.environ, BIAOGAN_CONF=conf), capture_output=True, text=True,
                           timeout=300)
        if p.returncode != 0:
            raise SystemExit("seed: bench/micro seed-draw %d failed: %s%s" % (s["id"], p.stdout, p.stderr))
        s["panel"] = [int(r[0]) for r in db.rows(
            "SELECT expert_id FROM draw_pick WHERE session_id = %d ORDER BY number, pick_order" % s["id"])]
    log("seed: %d review sessions committed, drawn and revealed by bench/micro in %.1f s"
        % (len(sessions), time.time() - t0))

    # ---- part 2: the review, the publicity, the open round ----
    head = db.value("SELECT last_hash FROM audit_head WHERE id = 1")
    part2 = Sql()
    real = Audit()
    plan_part2(facts, part2, real, db=db)
    events = sorted(real.events + late, key=lambda e: e[0])
    rows, head = Audit().rows(events, head)
    part2.insert("audit", AUDIT_COLS, rows, chunk=500)
    part2.add("UPDATE audit_head SET last_hash = %s WHERE id = 1" % q(head))
    t0 = time.time()
    db.run(part2.text(), what="loading part 2")
    log("seed: part 2 loaded (review, publicity of %d, %d more audit rows) in %.1f s"
        % (facts["publicity_items"], len(rows), time.time() - t0))
    for k in ("_audit", "_state"):
        facts.pop(k, None)
    return facts


def plan_part2(facts, sql, audit, db):
    """The review of the drawn sessions, the proposal and the publicity, and
    the expert accounts.  Without db (a dry plan) the panels are not known
    yet: only the audit events whose count does not depend on them."""
    st = facts["_state"]
    rnd = random.Random(7)   # the same draws of text in the plan and the real run
    admin, sessions, today, now, cal = st["admin"], st["sessions"], st["today"], st["now"], st["cal"]
    criteria = st["criteria"]
    experts = {x[0]: x for x in st["experts"]}
    Y = today.year
    rounds = st["rounds"]
    part2_from = st["part2_from"]
    accounts, panels, decls, items, sheets, scores, concl, confirms = [], [], [], [], [], [], [], []
    proposals, credit, pub_items = [], [], []
    recommended_apps = []
    next_account = int(db.value("SELECT MAX(id) FROM account")) + 1 if db else 100000
    member = {}
    for s in sessions:
        panel = s.get("panel") or list(range(1 + 9 * s["id"], 10 + 9 * s["id"]))
        chair = panel[0]
        day = s["date"]
        locked = at(day + datetime.timedelta(days=2), 11, 0)
        for k, eid in enumerate(panel):
            x = experts.get(eid)
            login = "zj%04d" % eid
            acct = member.get(eid)
            if acct is None:
                acct = member[eid] = (next_account, login, "expert")
                next_account += 1
            if x:
                accounts.append((acct[0], login, x[2], "expert", None, None, 0,
                                 fmt(part2_from + datetime.timedelta(minutes=5 + k))))
                audit.add(part2_from + datetime.timedelta(minutes=5 + k), admin, "expert.account",
                          "expert", eid, "开通专家账户：%s（%s）" % (x[2], login), gov_ip(rnd))
            if s["id"] == 1 and k == 1:
                facts["expert_login"] = login
                facts["expert_session"] = s["id"]
            decl_t = at(day, 8, 30 + k)
            decls.append((s["id"], eid, "none", "", fmt(decl_t), gov_ip(rnd)))
            audit.add(decl_t, acct, "review.declare", "review_session", s["id"],
                      "签署保密与无利益冲突声明：%s" % s["title"], gov_ip(rnd))
        panels.append((s["id"], chair, fmt(at(day, 18)), "locked", fmt(locked), fmt(locked),
                       admin[0], fmt(locked)))
        audit.add(at(day - datetime.timedelta(days=1), 15), admin, "review.configure",
                  "review_session", s["id"], "设定评审组组长和评分截止时间：%s 18:00" % day, gov_ip(rnd))
        ranked = list(s["apps"])
        rnd.shuffle(ranked)
        n_rec = SESSION_RECOMMENDED[s["id"] - 1]
        for rank, a in enumerate(ranked, 1):
            good = rank <= n_rec
            items.append((s["id"], a["id"], "locked", 1))
            base = rnd.uniform(0.82, 0.93) if good else rnd.uniform(0.55, 0.8)
            for k, eid in enumerate(panel):
                t = at(day, 10 + k % 7, rnd.randint(0, 59))
                sheets.append((s["id"], a["id"], eid, "submitted", "方法有创新，与企业实际结合紧密。",
                               "推进机制健全，示范性较强。", "成效数据翔实。",
                               "申报材料完整，典型经验%s。" % ("具有较强示范作用" if good else "推广价值有限"),
                               "", fmt(t), fmt(t), fmt(t), 1))
                for no, group, title, maxp in criteria:
                    pts = max(0, min(int(maxp), int(round(int(maxp) * (base + rnd.uniform(-0.08, 0.08))))))
                    scores.append((s["id"], a["id"], eid, int(no), 2 * pts))
                audit.add(t, member[eid], "review.submit", "review_session", s["id"],
                          "提交评分：%s" % a["ent"]["name"], gov_ip(rnd))
            ct = at(day + datetime.timedelta(days=1), 10, 0) + datetime.timedelta(minutes=rank)
            opinion = ("经合议，该企业%s应用系统深入，质量指标行业领先，同意推荐为省级质量标杆。" % a["method"]
                       if good else "经合议，该企业方法应用时间较短，成效有待检验，本年度不予推荐。")
            concl.append((s["id"], a["id"], 1, good, opinion, rank, chair, fmt(ct)))
            audit.add(ct, member[chair], "review.conclude", "review_session",
                      s["id"], "记录合议结论（第 %d 名，%s）：%s" % (rank, "推荐" if good else "不推荐",
                                                         a["ent"]["name"]), gov_ip(rnd))
            for k, eid in enumerate(panel):
                t = ct + datetime.timedelta(minutes=30 + k)
                dissent = (rank == n_rec + 1 and k == 4)
                confirms.append((s["id"], a["id"], 1, eid, "dissent" if dissent else "confirm",
                                 "该企业质量改进成效明显，建议推荐。" if dissent else "", fmt(t)))
                audit.add(t, member[eid],
                          "review.dissent" if dissent else "review.confirm", "review_session",
                          s["id"], "%s：%s" % ("记录不同意见" if dissent else "确认合议结论",
                                              a["ent"]["name"]), gov_ip(rnd))
            a["status"] = "proposed" if good else "not_selected"
            if good:
                recommended_apps.append((a, s, rank))

    # The proposed list and the publicity, open today.
    start = None
    for back in range(0, 12):
        d = today - datetime.timedelta(days=back)
        end = cal.publicity_end(d) if cal.working(d) else None
        if end and end >= today:
            start = d
    if start is None:   # late December before next year's calendar: a plain week
        start, end = today - datetime.timedelta(days=1), today + datetime.timedelta(days=6)
    else:
        end = cal.publicity_end(start)
    started = min(at(start, 9, 30), now - datetime.timedelta(hours=2))
    proposed_at = started - datetime.timedelta(days=2)
    recommended_apps.sort(key=lambda x: (x[0]["scope"], x[2], x[1]["id"], x[0]["id"]))
    pid = int(db.value("SELECT MAX(id) FROM publicity")) + 1 if db else 0
    for pos, (a, s, rank) in enumerate(recommended_apps, 1):
        e = a["ent"]
        for kind, label in (("dishonest_debtor", "失信被执行人"), ("serious_violation", "严重违法失信名单")):
            t = proposed_at - datetime.timedelta(days=2, minutes=pos)
            credit.append((a["id"], kind, "clear", t.date().isoformat(), "信用中国查询未列入",
                           admin[0], "province", fmt(t)))
            audit.add(t, admin, "credit.record", "application", a["id"],
                      "记录信用核查（%s）：未列入" % label, gov_ip(rnd))
        proposals.append((a["id"], rounds[0]["id"], admin[0], fmt(proposed_at + datetime.timedelta(minutes=pos))))
        audit.add(proposed_at + datetime.timedelta(minutes=pos), admin, "publicity.propose",
                  "application", a["id"], "列入拟定名单：%s" % e["name"], gov_ip(rnd))
        pub_items.append((pid, a["id"], pos, e["name"], e["city"], a["scope"], a["title"]))
    facts["publicity_items"] = len(pub_items)
    title = "%d年度黑龙江省质量标杆拟认定名单公示" % Y
    audit.add(started, admin, "publicity.start", "publicity", pid or 6,
              "《%s》开始公示：%s至%s，%d家企业" % (title, start, end, len(pub_items)), gov_ip(rnd))
    if db is None:
        return
    sql.insert("account", ("id", "login", "display_name", "role", "city_code", "password_hash",
                           "must_change_password", "created_at"),
               [r[:5] + (facts["_hash"], 0, r[7]) for r in accounts])
    for r in accounts:
        sql.add("UPDATE expert SET account_id = %d WHERE id = %d" % (r[0], int(r[1][2:])))
    sql.insert("review_panel", ("session_id", "chair_expert_id", "deadline", "state", "locked_at",
                                "first_locked_at", "updated_by", "updated_at"), panels)
    sql.insert("review_declaration", ("session_id", "expert_id", "conflict", "reason", "signed_at", "ip"), decls)
    sql.insert("review_item", ("session_id", "application_id", "state", "version"), items)
    sql.insert("review_sheet", ("session_id", "application_id", "expert_id", "state", "comment_1",
                                "comment_2", "comment_3", "overall", "revision_note", "saved_at",
                                "submitted_at", "first_submitted_at", "submissions"), sheets)
    sql.insert("review_score", ("session_id", "application_id", "expert_id", "no", "halves"), scores, chunk=1000)
    sql.insert("review_conclusion", ("session_id", "application_id", "version", "recommended", "opinion",
                                     "ranking", "chair_expert_id", "recorded_at"), concl)
    sql.insert("review_confirmation", ("session_id", "application_id", "version", "expert_id", "kind",
                                       "reason", "answered_at"), confirms)
    for s in sessions:
        ids = [a["id"] for a in s["apps"]]
        good = [a["id"] for a in s["apps"] if a["status"] == "proposed"]
        sql.add("UPDATE application SET status = 'not_selected' WHERE status = 'in_review' AND id IN (%s)"
                % ", ".join(str(i) for i in ids if i not in good))
        sql.add("UPDATE application SET status = 'in_publicity' WHERE status = 'in_review' AND id IN (%s)"
                % ", ".join(str(i) for i in good))
    sql.insert("credit_check", ("application_id", "kind", "result", "checked_on", "note",
                                "recorded_by", "recorded_role", "recorded_at"), credit)
    sql.insert("proposal", ("application_id", "round_id", "proposed_by", "proposed_at"), proposals)
    sql.add("INSERT INTO publicity (id, round_id, title, start_date, end_date, working_days, contact,"
            " state, started_by, started_at) VALUES (%d, %d, %s, %s, %s, 5, %s, 'open', %d, %s)"
            % (pid, rounds[0]["id"], q(title), q(start.isoformat()), q(end.isoformat()),
               q("黑龙江省工业和信息化厅质量处，电话：0451-82628000，地址：哈尔滨市南岗区中山路"),
               admin[0], q(fmt(started))))
    sql.insert("publicity_item", ("publicity_id", "application_id", "position", "enterprise_name",
                                  "city_code", "scope", "title"), pub_items)
    sql.insert("announcement", ("kind", "year", "title", "body", "link", "published_at"),
               [("publicity", Y, title, "现将%d年度黑龙江省质量标杆拟认定名单予以公示，公示期为%s至%s。"
                 % (Y, start.isoformat(), end.isoformat()), "/publicity/notice?id=%d" % pid, fmt(started))])
    crock = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    objections = []
    for i, (a, s, rank) in enumerate(recommended_apps[:3]):
        t = min(started + datetime.timedelta(hours=3 + 5 * i), now - datetime.timedelta(minutes=30))
        tn = "%d-%s-%s" % (Y, "".join(rnd.choice(crock) for _ in range(4)),
                           "".join(rnd.choice(crock) for _ in range(4)))
        objections.append((pid, a["id"], tn, names_person(rnd), "person", "", "136%08d" % rnd.randint(0, 99999999),
                           "该企业宣传材料中的一次交检合格率数据与其年报不一致，请核实。", public_ip(rnd), fmt(t),
                           "investigating" if i == 0 else "received", "已调取企业年报核对。" if i == 0 else "",
                           admin[0] if i == 0 else None, fmt(t + datetime.timedelta(hours=1)) if i == 0 else None))
    sql.insert("objection", ("publicity_id", "application_id", "tracking_no", "objector_name", "id_type",
                             "organisation", "contact", "content", "ip", "received_at", "state", "notes",
                             "handled_by", "handled_at"), objections)
    facts["publicity_id"] = pid
    facts["publicity_start"] = start.isoformat()
    facts["publicity_end"] = end.isoformat()


def names_person(rnd):
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(2))


def fill_logins(facts, audit, others):
    """Logins and logouts of the seeded accounts, so the log holds N_AUDIT
    rows with the `others` made elsewhere: spread over the years."""
    st = facts["_state"]
    rnd = st["rnd"]
    n = max(0, N_AUDIT - len(audit.events) - others)
    actors = st["staff"] * 6 + list(st["city_acct"].values()) * 3 + [st["supervisor"]] + \
        [e["account"] for e in st["enterprises"][:600]]
    t_start = datetime.datetime(st["today"].year - 5, 3, 1, 8, 0)
    span = (st["now"] - datetime.timedelta(hours=1) - t_start).total_seconds()
    for i in range(n // 2 + n % 2):
        a = rnd.choice(actors)
        t = t_start + datetime.timedelta(seconds=rnd.randint(0, int(span)))
        t = t.replace(hour=rnd.randint(8, 18))
        if t > st["now"] - datetime.timedelta(minutes=90):
            t = st["now"] - datetime.timedelta(minutes=90 + rnd.randint(0, 300))
        ip = gov_ip(rnd) if a[2] in ("province", "city", "supervisor") else public_ip(rnd)
        if rnd.random() < 0.06:
            audit.add(t, (0, a[1], "public"), "login.fail", "user", None, "登录失败：密码错误", ip)
        else:
            audit.add(t, a, "login.ok", "user", a[0], "登录成功", ip)
        if len(audit.events) + others < N_AUDIT:
            audit.add(t + datetime.timedelta(minutes=rnd.randint(5, 60)), a, "logout", "user", a[0],
                      "退出登录", ip)


# --------------------------------------------------------------- micro DB

def seed_micro(db, admin_hash, round_id, sessions, log=print):
    """biaogan_micro: MICRO_EXPERTS experts and `sessions` review sessions of
    MICRO_APPS applications each, waiting for their commit.  The round, the
    operator (id 1) and its hash exist already (biaogan-admin)."""
    rnd = random.Random(99)
    names = Names(rnd)
    today = datetime.datetime.now(SHANGHAI).date()
    sql = Sql()
    sup = 2
    accounts = [(sup, "benchsup", "纪检监督（基准）", "supervisor", None, admin_hash, 0)]
    ents, apps = [], []
    n_apps = sessions * MICRO_APPS
    for i in range(n_apps):
        code, cname = CITIES[i % len(CITIES)][:2]
        aid = 3 + i
        name = names.enterprise(cname)
        accounts.append((aid, "mq%05d" % i, name, "enterprise", None, admin_hash, 0))
        ents.append((i + 1, aid, name, make_uscc(rnd, code, i), "llc", code, cname + "示范路1号", "王示范",
                     "李联络", "13%09d" % i, "mq%05d@example.cn" % i))
        apps.append((i + 1, round_id, i + 1, "with_province", 1, "卓越绩效模式", "基准测试申报书 %d" % i))
    sql.insert("account", ("id", "login", "display_name", "role", "city_code", "password_hash",
                           "must_change_password"), accounts)
    sql.insert("enterprise", ("id", "account_id", "name", "uscc", "ent_type", "city_code", "address",
                              "legal_rep", "contact_name", "mobile", "email"), ents)
    sql.insert("application", ("id", "round_id", "enterprise_id", "status", "scope", "method", "title"), apps)
    # The pool: universities, associations and key enterprises with many
    # experts each (the cap of 2 per organisation matters), some working at
    # an applicant (recused by credit code, or by name when no code), some
    # with a declared relation to one.
    orgs = [(n, None, "university") for n in UNIVERSITIES] + \
        [(n, None, "association") for n in ASSOCIATIONS] + \
        [(n, make_uscc(rnd, "230100", 100 + i), "enterprise") for i, n in enumerate(KEY_ENTERPRISES)] + \
        [(n, None, "other") for n in OTHER_ORGS] + \
        [("黑龙江省%s%s研究院" % (rnd.choice(BRANDS), rnd.choice(TRADES)), None, "other") for _ in range(200)]
    experts, relations = [], []
    for i in range(MICRO_EXPERTS):
        roll = rnd.random()
        if roll < 0.12:      # at an applicant, by credit code
            e = ents[rnd.randrange(len(ents))]
            org, code, otype = e[2], e[3], "enterprise"
        elif roll < 0.15:    # at an applicant, by name (no code recorded)
            e = ents[rnd.randrange(len(ents))]
            org, code, otype = e[2], None, "enterprise"
        else:
            org, code, otype = rnd.choice(orgs)
        title, level = rnd.choice(TITLES)
        experts.append((i + 1, names.person(), org, code, org_key(code, org), otype, title, level,
                        rnd.randint(3, 30), "质量管理工程", "solicited", "138%08d" % i,
                        "x%05d@example.cn" % i, 1, 1, "active"))
    for i in range(MICRO_EXPERTS // 5):
        e = ents[rnd.randrange(len(ents))]
        relations.append((rnd.randint(1, MICRO_EXPERTS), e[3], e[2], "consultancy"))
    relations = list({(r[0], r[1], r[3]): r for r in relations}.values())
    sql.insert("expert", ("id", "name", "org_name", "org_uscc", "org_key", "org_type", "title",
                          "title_level", "years", "specialties", "source", "mobile", "email",
                          "declared_integrity", "declared_health", "status"), experts, chunk=500)
    sql.insert("expert_relation", ("expert_id", "uscc", "enterprise_name", "kind"), relations)
    sql.insert("review_session", ("id", "round_id", "title", "review_date", "place", "panel_size",
                                  "rotation_k", "state", "created_by"),
               [(s + 1, round_id, "基准评审会 %d" % (s + 1),
                 (today + datetime.timedelta(days=30)).isoformat(), "基准", 9, 0, "preparing", 1)
                for s in range(sessions)])
    sql.insert("review_session_application", ("session_id", "application_id"),
               [(i // MICRO_APPS + 1, i + 1) for i in range(n_apps)], chunk=1000)
    t0 = time.time()
    db.run(sql.text(), what="loading the micro database")
    log("seed: micro database: %d experts, %d sessions of %d applications, %d relations (%.1f s)"
        % (len(experts), sessions, MICRO_APPS, len(relations), time.time() - t0))
    return {"operator_id": 1, "supervisor_id": sup}
