-- 013: secrets shown once to the session that made them (src/core/once.h).
-- A page that generates something the user must copy (the initial password
-- of a new account, a reset password) keeps it here and answers 303 to a
-- page that shows it once; the secret never travels in a URL and a reload
-- cannot repeat the action.  sealed is the secret encrypted with a key
-- derived from the session's cookie token, which the database never holds
-- (session keeps only its SHA-256): a copy of this table reveals nothing.
-- sealed and nonce are cleared when the secret is shown; the row goes with
-- its session.
CREATE TABLE IF NOT EXISTS session_once (
  session_hash BINARY(32) NOT NULL,
  purpose VARCHAR(32) NOT NULL,
  ref_id BIGINT NOT NULL,
  nonce BINARY(24) NULL,
  sealed VARBINARY(512) NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  shown_at DATETIME NULL,
  PRIMARY KEY (session_hash, purpose, ref_id),
  CONSTRAINT fk_session_once_session FOREIGN KEY (session_hash) REFERENCES session (token_hash)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
