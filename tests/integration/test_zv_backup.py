"""Issue 18, backup and restore (docs/operations.md, "Backup and restore"):
the database holds everything, so a backup is the documented mariadb-dump
pipeline and a restore is that file loaded into an empty database.  Run
near the end (the name sorts after every suite but the ones that break
things), when the suites have left every kind of row: the dump of the
stack's database is restored beside it, and the restore is checked the way
docs/operations.md tells an operator to check one: every table has the same
rows (CHECKSUM TABLE), the triggers came too, `biaogan-admin audit verify`
finds the chain whole and in agreement with the anchors written before the
backup, `biaogan-admin files verify` finds every file's SHA-256 as recorded,
and `biaogan-admin doctor` finds no error.  A file damaged after the restore
is then named by files verify, so the check is not one that cannot fail."""

import os
import shutil
import subprocess
import tempfile
import time
import unittest

import bgtest
from bgtest import q, sql_root


def shell(command, timeout=600):
    p = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True,
                       timeout=timeout)
    if p.returncode != 0:
        raise AssertionError("%s exited %d: %s" % (command, p.returncode, p.stderr))
    return p


class BackupRestoreTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        conf = bgtest.read_conf()
        cls.db, cls.sock = conf["db_name"], conf["db_socket"]
        cls.restored = cls.db + "_restored"
        cls.dir = tempfile.mkdtemp(prefix="bg-backup-")
        sql_root("DROP DATABASE IF EXISTS `%s`" % cls.restored)

    @classmethod
    def tearDownClass(cls):
        sql_root("DROP DATABASE IF EXISTS `%s`" % cls.restored)
        shutil.rmtree(cls.dir, True)

    def client(self):
        return "--no-defaults --socket=%s --user=root" % self.sock

    def admin(self, conf, *args):
        env = dict(os.environ, BIAOGAN_CONF=conf)
        return subprocess.run([bgtest.CONFIG.admin] + list(args), env=env, capture_output=True,
                              text=True, timeout=600)

    def checksums(self, database):
        tables = [r[0] for r in sql_root(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s"
            " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME" % q(database))]
        rows = sql_root("CHECKSUM TABLE " + ", ".join("`%s`.`%s`" % (database, t) for t in tables))
        return tables, {r[0].split(".", 1)[1]: r[1] for r in rows}

    def test_a_restore_is_whole(self):
        live_conf = bgtest.CONFIG.conf
        # The daily anchor (biaogan-audit-anchor.timer) ran before the backup.
        p = self.admin(live_conf, "audit", "verify")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        anchors = bgtest.read_conf()["audit_anchor_file"]
        shutil.copy(anchors, os.path.join(self.dir, "audit-anchors"))
        with open(anchors) as f:
            n_anchors = sum(1 for line in f if line.strip())

        # The backup, as docs/operations.md writes it (with the stack's socket).
        dump = os.path.join(self.dir, "biaogan.sql.gz")
        started = time.monotonic()
        shell("mariadb-dump %s --single-transaction --routines --triggers --events %s"
              " | gzip > %s" % (self.client(), self.db, dump))
        dumped = time.monotonic() - started
        tables, before = self.checksums(self.db)
        audit_rows = int(sql_root("SELECT COUNT(*) FROM `%s`.audit" % self.db)[0][0])
        files = int(sql_root("SELECT COUNT(*) FROM `%s`.attachment" % self.db)[0][0])
        self.assertGreater(files, 0, "the suites left no file to restore")

        # The restore: an empty database, the file loaded into it, the
        # programs' account given its rights there.
        started = time.monotonic()
        sql_root("CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                 % self.restored)
        shell("gunzip -c %s | mariadb %s %s" % (dump, self.client(), self.restored))
        user = bgtest.read_conf()["db_user"]
        sql_root("GRANT SELECT, INSERT, UPDATE, DELETE ON `%s`.* TO %s@'localhost'"
                 % (self.restored, q(user)))
        print("\nbackup: %d tables, dump %.1f s (%.1f MiB gzip), restore %.1f s"
              % (len(tables), dumped, os.path.getsize(dump) / 1048576.0,
                 time.monotonic() - started))

        # Every table, every row.
        restored_tables, after = self.checksums(self.restored)
        self.assertEqual(restored_tables, tables)
        self.assertEqual({t: after[t] for t in tables}, {t: before[t] for t in tables})
        triggers = "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = %s"
        self.assertEqual(sql_root(triggers % q(self.restored)), sql_root(triggers % q(self.db)))
        # The audit table still refuses changes in the restored copy.
        with self.assertRaises(AssertionError):
            sql_root("DELETE FROM `%s`.audit ORDER BY id DESC LIMIT 1" % self.restored)

        # The restored database, as the programs would use it.
        conf = os.path.join(self.dir, "restored.conf")
        values = dict(bgtest.read_conf(), db_name=self.restored,
                      audit_anchor_file=os.path.join(self.dir, "audit-anchors"))
        with open(conf, "w") as f:
            f.writelines("%s = %s\n" % kv for kv in values.items())
        os.chmod(conf, 0o600)
        p = self.admin(conf, "audit", "verify")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("审计日志链完整（%d 条记录，与 %d 个锚点一致）" % (audit_rows, n_anchors),
                      p.stdout)
        p = self.admin(conf, "files", "verify")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"^%d 个文件（共 [^）]+）的 SHA-256 与登记的一致\n$" % files)
        p = self.admin(conf, "doctor")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("[错误]", p.stdout)

        # A file damaged after the restore is named, and fails the check.
        victim = int(sql_root("SELECT MIN(attachment_id) FROM `%s`.attachment_chunk"
                              % self.restored)[0][0])
        sql_root("UPDATE `%s`.attachment_chunk SET data = CONCAT(IF(LEFT(data, 1) = 'X', 'Y', 'X'),"
                 " SUBSTRING(data, 2)) WHERE attachment_id = %d AND seq = 0"
                 % (self.restored, victim))
        p = self.admin(conf, "files", "verify")
        self.assertEqual(p.returncode, 5, p.stdout + p.stderr)
        self.assertIn("%d 个文件中 1 个与登记的 SHA-256 不符或内容不全：附件 %d" % (files, victim),
                      p.stdout)
        # ... and so is one whose last piece was lost.
        sql_root("DELETE FROM `%s`.attachment_chunk WHERE attachment_id = %d" % (self.restored, victim))
        p = self.admin(conf, "files", "verify")
        self.assertEqual(p.returncode, 5, p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
