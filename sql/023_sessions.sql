-- 023: sessions an administrator can see and end, the absolute lifetime, and
-- the previous login shown to the user (等保 8.1.4.1; src/core/session.h).
--
-- session.id names a session on the pages that end one: the token's hash is
-- what proves a session, so it never leaves the database, not even hashed.
-- prev_login_at/ip are the account's login before this one, copied when the
-- session is made, so every page of the session can show them without
-- another read.  account.last_login_ip goes with last_login_at.
ALTER TABLE session
  ADD COLUMN IF NOT EXISTS id BIGINT NOT NULL AUTO_INCREMENT UNIQUE FIRST,
  ADD COLUMN IF NOT EXISTS user_agent VARCHAR(200) NULL AFTER ip,
  ADD COLUMN IF NOT EXISTS prev_login_at DATETIME NULL,
  ADD COLUMN IF NOT EXISTS prev_login_ip VARCHAR(45) NULL,
  ADD INDEX IF NOT EXISTS ix_session_created (created_at);

ALTER TABLE account
  ADD COLUMN IF NOT EXISTS last_login_ip VARCHAR(45) NULL AFTER last_login_at;
