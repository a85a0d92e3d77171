-- 008: credit codes accepted although their check character (GB 32100-2015,
-- position 18) does not verify.  Real, issued codes that fail the check
-- exist (see the reference note on the USCC); a province administrator who
-- has seen the business licence records the code here, and registration
-- then accepts exactly that code (enterprise.uscc_check_override = 1).
CREATE TABLE IF NOT EXISTS uscc_exception (
  uscc CHAR(18) NOT NULL PRIMARY KEY,
  reason VARCHAR(500) NOT NULL,
  created_by BIGINT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
