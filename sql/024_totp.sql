-- 024: the second factor (动态口令, TOTP of RFC 6238; 等保 8.1.4.1 d) and its
-- single-use recovery codes (src/core/totp.h, src/steps/accounts/mfa.h).
--
-- account_totp: one secret per account; confirmed_at NULL while enrolment
-- waits for the first right code.  last_step: the time step of the last code
-- accepted, so that a code is used once (RFC 6238 section 5.2).
-- account_recovery_code: SHA-256 of each code (they are random, 50 bits; a
-- slow hash adds nothing); used_at set when spent.
-- account.totp_required: the administrator requires it of this account
-- (besides the roles of config totp_required_roles).
-- session.mfa_state: 0 done (or not needed), 1 the code is still due, 2 the
-- account must enrol first; while not 0 the session reaches only /login/totp
-- and logout.
CREATE TABLE IF NOT EXISTS account_totp (
  account_id BIGINT NOT NULL PRIMARY KEY,
  secret VARBINARY(32) NOT NULL,
  confirmed_at DATETIME NULL,
  last_step BIGINT NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT fk_account_totp_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS account_recovery_code (
  account_id BIGINT NOT NULL,
  code_hash BINARY(32) NOT NULL,
  used_at DATETIME NULL,
  PRIMARY KEY (account_id, code_hash),
  CONSTRAINT fk_recovery_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE account ADD COLUMN IF NOT EXISTS totp_required TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE session ADD COLUMN IF NOT EXISTS mfa_state TINYINT NOT NULL DEFAULT 0;
