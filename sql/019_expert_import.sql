-- 019: the imports of the expert pool (专家库导入; issue 11).
-- Written by src/steps/experts/experts_import.c: one row per file imported
-- (by the page /experts/import or by biaogan-admin experts import), in the
-- same transaction as the experts it added and updated and its audit
-- record ("expert.import", object expert_import).  The result page after
-- the upload (post/redirect/get) reads it back: what was added and updated.
-- A refused file changes nothing and leaves no row here.
CREATE TABLE IF NOT EXISTS expert_import (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT NULL,                 -- NULL: the operator tool
  file_name VARCHAR(255) NOT NULL DEFAULT '',
  file_sha256 CHAR(64) NOT NULL,
  charset ENUM('utf-8','utf-8-bom','gb18030') NOT NULL,
  lines_read INT NOT NULL,                -- data lines (blank ones not counted)
  added INT NOT NULL,
  updated INT NOT NULL,
  unchanged INT NOT NULL,
  -- JSON: {"added": [[id, "name", "org"], ...], "updated": [...], "unchanged": [...]}
  detail MEDIUMTEXT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ix_expert_import_at (created_at),
  CONSTRAINT fk_expert_import_account FOREIGN KEY (account_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
