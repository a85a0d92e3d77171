-- 012: refusals in the audit trail, bounded (core/audit.c audit_refusal).
-- A refused request (403 for the role, another's object, a failed CSRF check,
-- a refused upload type, a login on a locked account) is an audit record;
-- per minute at most a few per source (IP, account, action, route) and a
-- few hundred over all are written in full, the rest only counted here.
-- One row per source and minute, deleted after a day by the writers.
CREATE TABLE IF NOT EXISTS audit_refusal_count (
  minute DATETIME NOT NULL,
  ip VARCHAR(45) NOT NULL,            -- '' for the row that counts all sources
  actor VARCHAR(20) NOT NULL,         -- the account id, '0' for nobody
  action VARCHAR(32) NOT NULL,        -- '*' for the row that counts all sources
  route VARCHAR(100) NOT NULL,
  n INT NOT NULL,
  PRIMARY KEY (minute, ip, actor, action, route)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- The audit viewer filters by login and pages on id (keyset): an index for
-- the login filter, so a page never scans the whole table for it.
ALTER TABLE audit ADD KEY IF NOT EXISTS ix_audit_login (login, id);
