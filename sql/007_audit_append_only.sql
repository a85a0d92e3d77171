-- 007: the audit trail is append-only in the database itself, whatever the
-- account that connects: an UPDATE or DELETE of an audit row fails.  (The
-- hash chain of 001 detects what gets past this, e.g. a dropped trigger:
-- `biaogan-admin audit verify`.)  audit_head is the one row that moves.
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit rows are append-only';
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit rows are append-only';
