"""A FastCGI worker killed (SIGKILL) in the middle of a request, in every
program: the visitor gets the web server's page for a lost backend (nginx:
502, Apache's mod_proxy_fcgi: 503), nothing the request had begun to
write remains, and the supervisor (multiwatch) puts a new worker in its
place, which serves the same session at once.

"In the middle" is made certain, not hoped for: a connection of the test
holds the row every state change must lock last, the audit chain's head
(core/audit.c: SELECT ... FOR UPDATE), so the worker stops inside its
transaction with its own rows already written; programs whose pages only
read are stopped at the session's touch instead.  The worker that waits is
the one of its program not in accept(2); it is killed, the lock let go, and
the database must roll the dead connection's work back.  Runs before the
database-loss test (the name sorts just before it)."""

import os
import select
import signal
import subprocess
import threading
import time
import unittest

import bgtest
import test_access
from bgtest import HARBIN, Client, q, sql, sql_value
from test_apply import register

WAIT_SECONDS = 15
ACCEPT_SYSCALLS = {43, 288}  # accept, accept4 (x86_64): an idle FastCGI worker


class HeldLock:
    """An open transaction of the test's own that has locked what statement
    locks, until release()."""

    def __init__(self, statement):
        conf = bgtest.read_conf()
        env = dict(os.environ, MYSQL_PWD=conf.get("db_password", ""))
        self.p = subprocess.Popen(
            ["mariadb", "--no-defaults", "--batch", "--skip-column-names", "--unbuffered",
             "--socket=" + conf["db_socket"], "--user=" + conf["db_user"],
             "--database=" + conf["db_name"]],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.p.stdin.write(b"BEGIN;\n%s;\nSELECT 'held';\n" % statement.encode())
        self.p.stdin.flush()
        # Raw reads: a buffered reader would hide lines from select().
        seen, deadline = b"", time.monotonic() + WAIT_SECONDS
        while b"held\n" not in seen:
            ready, _, _ = select.select([self.p.stdout], [], [], 1)
            if ready:
                seen += os.read(self.p.stdout.fileno(), 4096)
            if self.p.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("could not take the lock: %r" % self.p.stderr.read())

    def release(self):
        if self.p.poll() is None:
            self.p.stdin.write(b"ROLLBACK;\n")
            self.p.stdin.close()
            self.p.wait(WAIT_SECONDS)
        self.p.stdout.close()
        self.p.stderr.close()


AUDIT_HEAD = "SELECT last_hash FROM audit_head WHERE id = 1 FOR UPDATE"


def session_row(client):
    """The lock of client's session row, its activity made old enough first
    that the next request writes it (a touch may be skipped when recent)."""
    sql("UPDATE session SET last_seen = last_seen - INTERVAL 2 MINUTE WHERE token_hash ="
        " UNHEX('%s')" % bgtest.token_hash_hex(client.session_token()))
    return ("SELECT id FROM session WHERE token_hash = UNHEX('%s') FOR UPDATE"
            % bgtest.token_hash_hex(client.session_token()))


def syscall_of(pid):
    try:
        with open("/proc/%d/syscall" % pid) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


class WorkerKillTest(bgtest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        bgtest.CONFIG.check("conf", "admin", "run_dir")
        cls.province = bgtest.admin_client()

    def post(self, client, path, fields):
        return client.post(path, fields, csrf=client.csrf_from("/login/password"))

    def lock_waits(self):
        """The connection ids of the transactions waiting for a lock."""
        return [r[0] for r in bgtest.sql_root(
            "SELECT trx_mysql_thread_id FROM information_schema.INNODB_TRX"
            " WHERE trx_state = 'LOCK WAIT'")]

    def connection_alive(self, thread_id):
        return bgtest.sql_root("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %s"
                               % thread_id)[0][0] != "0"

    def until(self, what, test):
        deadline = time.monotonic() + WAIT_SECONDS
        while not test():
            if time.monotonic() > deadline:
                self.fail("waited %ds for %s" % (WAIT_SECONDS, what))
            time.sleep(0.1)

    def kill_mid_request(self, program, lock, send):
        """send() in a thread while lock is held; the one worker of program
        that is busy is SIGKILLed once its request waits for the lock.  The
        response the visitor got."""
        before = bgtest.worker_pids()[program]
        self.assertTrue(before, "%s has no workers" % program)
        held = HeldLock(lock)
        answer = {}

        def run():
            try:
                answer["r"] = send()
            except Exception as e:  # noqa: BLE001 - reported below
                answer["error"] = e
        thread = threading.Thread(target=run)
        try:
            thread.start()
            self.until("the %s request to wait for the lock" % program,
                       lambda: self.lock_waits() or not thread.is_alive())
            if not thread.is_alive():
                r = answer.get("r")
                self.fail("the %s request did not wait for the lock: %s %s" % (
                    program, answer.get("error") or r.status,
                    r and (r.field_errors() or r.error_summary() or r.location)))
            waiting = self.lock_waits()
            busy = [p for p in before if syscall_of(p) not in ACCEPT_SYSCALLS]
            self.assertEqual(len(busy), 1, "%s workers not in accept: %s of %s"
                             % (program, busy, before))
            os.kill(busy[0], signal.SIGKILL)
            self.killed.append("%s:%d" % (program, busy[0]))
            thread.join(WAIT_SECONDS)
        finally:
            held.release()
        self.assertFalse(thread.is_alive(), "no answer after the worker was killed")
        self.assertNotIn("error", answer)
        # The dead connection's transaction rolls back once it gets the lock.
        for thread_id in waiting:
            self.until("connection %s to end" % thread_id,
                       lambda t=thread_id: not self.connection_alive(t))
        # multiwatch forks a new worker in the dead one's place.
        self.until("a new %s worker" % program, lambda: (
            len(bgtest.worker_pids()[program]) == len(before)
            and busy[0] not in bgtest.worker_pids()[program]))
        for pid in bgtest.worker_pids()[program]:
            self.assertTrue(bgtest.pid_alive(pid))
        return answer["r"]

    # The web server's answer when its backend dies mid-request.
    LOST_BACKEND = {"nginx": (502, "系统暂时无法访问"), "apache": (503, "系统繁忙或正在维护")}

    def assert_lost_backend_page(self, r):
        status, text = self.LOST_BACKEND[bgtest.CONFIG.web_server]
        self.assertStatus(r, status)
        self.assertIn(text, r.text)
        self.assertIn('lang="zh-CN"', r.text)

    # --- one case per program: (client, lock, send, nothing_written, page) ---

    def case_login(self):
        account = bgtest.create_account("city", city=HARBIN[0])
        c = Client()
        pre = c.fetch_pre_token()
        fields = [("login", account.login), ("password", account.password)]
        if pre:
            fields.append((bgtest.PRE_FIELD, pre))

        def nothing_written():
            self.assertEqual(sql_value("SELECT COUNT(*) FROM session WHERE account_id = %d"
                                       % account.id), "0")
            self.assertIsNone(sql_value("SELECT last_login_at FROM account WHERE id = %d"
                                        % account.id))
        return c, AUDIT_HEAD, lambda: c.post("/login", fields), nothing_written, "/login"

    def case_admin(self):
        login = bgtest.unique_login("kill")
        token = self.province.csrf_from("/admin/users/new")
        send = lambda: self.province.post("/admin/users/new", {  # noqa: E731
            "login": login, "display_name": "中途终止测试", "role": "city",
            "city_code": HARBIN[0]}, csrf=token)
        return self.province, AUDIT_HEAD, send, lambda: self.assertEqual(sql_value(
            "SELECT COUNT(*) FROM account WHERE login = %s" % q(login)), "0"), "/admin/users"

    def case_apply(self):
        ent, app_id, token, form = test_access.saved_draft()
        indicators = sql("SELECT * FROM application_indicator WHERE application_id = %s"
                         " ORDER BY 1" % app_id)
        saves = sql_value("SELECT COUNT(*) FROM audit WHERE action = 'application.save'"
                          " AND object_id = %s" % q(app_id))
        # Saving replaces the indicators' rows: half a save would lose them.
        send = lambda: ent.client.post("/apply/edit", dict(  # noqa: E731
            form, title="中途终止的保存", ind_name_1="中途终止的指标"), csrf=token)

        def nothing_written():
            self.assertEqual(sql_value("SELECT title FROM application WHERE id = %s" % app_id),
                             form["title"])
            self.assertEqual(sql("SELECT * FROM application_indicator WHERE application_id = %s"
                                 " ORDER BY 1" % app_id), indicators)
            self.assertEqual(sql_value("SELECT COUNT(*) FROM audit WHERE action ="
                                       " 'application.save' AND object_id = %s" % q(app_id)), saves)
        return ent.client, AUDIT_HEAD, send, nothing_written, "/apply/edit?id=%s" % app_id

    def case_experts(self):
        from test_experts import expert_form
        form = expert_form()
        token = self.province.csrf_from("/experts/new")
        return (self.province, AUDIT_HEAD,
                lambda: self.province.post("/experts/new", form, csrf=token),
                lambda: self.assertEqual(sql_value("SELECT COUNT(*) FROM expert WHERE name = %s"
                                                   % q(form["name"])), "0"), "/experts")

    def case_draw(self):
        from test_draw import province_apps
        from test_recommend import make_round
        round_id, _ = make_round()
        (_, app), = province_apps(round_id, 1)
        title = "中途终止评审会%s" % bgtest.unique_login("")[-6:]
        fields = [("round", str(round_id)), ("title", title),
                  ("review_date", sql_value("SELECT DATE_FORMAT(CURDATE() + INTERVAL 7 DAY,"
                                            " '%Y-%m-%d')")),
                  ("place", "哈尔滨"), ("panel_size", "3"), ("rotation_k", "0"), ("app", str(app))]
        token = self.province.csrf_from("/login/password")
        return (self.province, AUDIT_HEAD,
                lambda: self.province.post("/draw/new", fields, csrf=token),
                lambda: self.assertEqual(sql_value(
                    "SELECT COUNT(*) FROM review_session WHERE title = %s" % q(title)), "0"),
                "/draw")

    def case_recommend(self):
        from test_recommend import QITAIHE, city_client, make_round, submitted_app
        round_id, _ = make_round()
        _, app = submitted_app(round_id, QITAIHE)
        city = city_client(QITAIHE)
        token = city.csrf_from("/login/password")
        send = lambda: city.post("/recommend/recommend", {  # noqa: E731
            "id": str(app), "opinion": "中途终止的推荐意见。", "rank": ""}, csrf=token)

        def nothing_written():
            self.assertEqual(sql_value("SELECT COUNT(*) FROM recommendation WHERE"
                                       " application_id = %d" % app), "0")
            self.assertEqual(sql_value("SELECT status FROM application WHERE id = %d" % app),
                             "submitted")
        return city, AUDIT_HEAD, send, nothing_written, "/recommend/app?id=%d" % app

    def case_review(self):
        from test_recommend import make_round
        round_id, _ = make_round()
        accounts = {"panelist": bgtest.create_account("expert", tag="kill"),
                    "province": bgtest.province_account(),
                    "supervisor": bgtest.create_account("supervisor", tag="kill")}
        app = int(test_access.start_application(register().client, round_id))
        sid = int(test_access.review_session(round_id, app, accounts))
        member = bgtest.logged_in(accounts["panelist"])
        token = member.csrf_from("/login/password")
        send = lambda: member.post("/review/declare", {  # noqa: E731
            "id": str(sid), "agree": "1", "conflict": "none",
            "password": accounts["panelist"].password}, csrf=token)
        return member, AUDIT_HEAD, send, lambda: self.assertEqual(sql_value(
            "SELECT COUNT(*) FROM review_declaration WHERE session_id = %d" % sid), "0"), \
            "/review/session?id=%d" % sid

    def publicity_round(self):
        """A reviewed round with its two applications proposed (made once)."""
        if not hasattr(self, "_publicity"):
            from test_publicity import reviewed_round
            round_id, year, apps, _ = reviewed_round(n=3, credit=3)
            for app in apps[:2]:
                self.assertStatus(self.post(self.province, "/publicity/propose",
                                            {"round": str(round_id), "app": str(app)}), 303)
            self._publicity = round_id, year, apps
        return self._publicity

    def case_publicity(self):
        round_id, _, apps = self.publicity_round()
        token = self.province.csrf_from("/login/password")
        send = lambda: self.province.post("/publicity/propose", {  # noqa: E731
            "round": str(round_id), "app": str(apps[2])}, csrf=token)

        def nothing_written():
            self.assertEqual(sql_value("SELECT COUNT(*) FROM proposal WHERE application_id = %d"
                                       % apps[2]), "0")
            self.assertEqual(sql_value("SELECT status FROM application WHERE id = %d" % apps[2]),
                             "in_review")
        return self.province, AUDIT_HEAD, send, nothing_written, "/publicity/round?id=%d" % round_id

    def case_publish(self):
        from test_publicity import FutureCalendar
        round_id, year, apps = self.publicity_round()
        calendar = FutureCalendar()
        self.addCleanup(calendar.remove)
        r = self.post(self.province, "/publicity/start", {
            "round": str(round_id), "title": "%d年度质量标杆拟认定名单公示" % year,
            "contact": "省工信厅质量处 0451-82628000", "start_date": calendar.start.isoformat()})
        self.assertStatus(r, 303, r.field_errors())
        pid = int(sql_value("SELECT id FROM publicity WHERE round_id = %d" % round_id))
        sql("UPDATE publicity SET start_date = CURDATE() - INTERVAL 9 DAY,"
            " end_date = CURDATE() - INTERVAL 1 DAY WHERE id = %d" % pid)
        state = sql("SELECT * FROM publicity WHERE id = %d" % pid)
        token = self.province.csrf_from("/login/password")
        today = sql_value("SELECT DATE_FORMAT(CURDATE(), '%Y-%m-%d')")
        send = lambda: self.province.post("/publish/approve", {  # noqa: E731
            "id": str(pid), "approval_date": today,
            "approval_ref": "厅长办公会议纪要〔%d〕9号" % year}, csrf=token)

        def nothing_written():
            self.assertEqual(sql("SELECT * FROM publicity WHERE id = %d" % pid), state)
            self.assertEqual([sql_value("SELECT status FROM application WHERE id = %d" % a)
                              for a in apps[:2]], ["in_publicity"] * 2)
        return self.province, AUDIT_HEAD, send, nothing_written, "/publish"

    def case_manage(self):
        topic = "中途终止的交流活动%s" % bgtest.unique_login("")[-6:]
        token = self.province.csrf_from("/login/password")
        send = lambda: self.province.post("/manage/activity/add", {  # noqa: E731
            "held_on": sql_value("SELECT DATE_FORMAT(CURDATE(), '%Y-%m-%d')"), "topic": topic,
            "place": "哈尔滨市", "level": "provincial", "organiser": "黑龙江省工业和信息化厅"},
            csrf=token)
        return self.province, AUDIT_HEAD, send, lambda: self.assertEqual(sql_value(
            "SELECT COUNT(*) FROM exchange_activity WHERE topic = %s" % q(topic)), "0"), \
            "/manage/activities"

    def case_home(self):
        client = bgtest.logged_in(bgtest.create_account("city", city=HARBIN[0]))
        return client, session_row(client), lambda: client.get("/home"), lambda: None, "/home"

    def case_files(self):
        ent = register()
        app_id = test_access.start_application(ent.client, test_access.open_round())
        r = test_access.upload(ent.client, int(app_id), "experience", "kill.pdf",
                               test_access.make_pdf("worker kill"))
        self.assertStatus(r, 303)
        file_id = test_access.attachment_id(ent.client.get("/apply/edit?id=" + app_id).page,
                                            "experience")
        path = "/files/download?id=%s" % file_id
        return ent.client, session_row(ent.client), lambda: ent.client.get(path), \
            lambda: None, path

    def test_every_program(self):
        programs = sorted(bgtest.worker_pids())
        self.killed = []
        cases = {name[len("case_"):]: getattr(self, name) for name in dir(self)
                 if name.startswith("case_")}
        # A new program needs its case here.
        self.assertEqual(sorted(cases), programs)
        for program in programs:
            with self.subTest(program=program):
                client, lock, send, nothing_written, page = cases[program]()
                session = client.session_token()
                self.assert_lost_backend_page(self.kill_mid_request(program, lock, send))
                nothing_written()
                # The new worker serves the same visitor, same session.
                r = client.get(page)
                self.assertStatus(r, 200)
                self.assertEqual(client.session_token(), session)
        p = bgtest.admin_tool("audit", "verify", check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        print("\nworkers killed mid-request, each replaced: %s" % " ".join(self.killed))


if __name__ == "__main__":
    unittest.main()
