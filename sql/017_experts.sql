-- 017: the expert pool (专家库, 附件一; issue 11).
-- Read and written by src/steps/experts/ (the pool) and read by
-- src/steps/draw/ (candidates of a draw).  Every DATETIME is Asia/Shanghai.

-- One expert.  The annex's conditions hold for every row: a senior title
-- (副高级 or 正高级), at least 3 years of quality-management teaching or
-- practice, and the two declarations (no misconduct or bad credit record;
-- healthy enough to review alone).  Entry refuses anything else, saying which.
-- org_key: the organisation as the draw counts it (src/rules/lottery.h,
-- docs/lottery.md): "C:" and the organisation's credit code when it has one,
-- else "N:" and its normalised name; two experts with one key are "from the
-- same organisation" (at most 2 on a panel).
-- mobile is the natural key of an import: one expert per mobile number.
-- status: active; suspended until suspended_until (a candidate again from
-- the day after); removed (never again a candidate).  Each change keeps its
-- reason in status_reason, and every change is an audit record.
CREATE TABLE IF NOT EXISTS expert (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT NULL,
  name VARCHAR(64) NOT NULL,
  org_name VARCHAR(128) NOT NULL,
  org_uscc CHAR(18) NULL,
  org_key VARCHAR(400) NOT NULL,
  org_type ENUM('university','association','enterprise','other') NOT NULL,
  title VARCHAR(64) NOT NULL,
  title_level ENUM('deputy_senior','senior') NOT NULL,
  years TINYINT UNSIGNED NOT NULL,
  specialties VARCHAR(500) NOT NULL,
  source ENUM('solicited','recommended') NOT NULL,
  recommended_by VARCHAR(128) NULL,
  mobile CHAR(11) NOT NULL,
  email VARCHAR(254) NOT NULL,
  declared_integrity BOOLEAN NOT NULL,
  declared_health BOOLEAN NOT NULL,
  status ENUM('active','suspended','removed') NOT NULL DEFAULT 'active',
  suspended_until DATE NULL,
  status_reason VARCHAR(500) NULL,
  created_by BIGINT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_expert_mobile (mobile),
  UNIQUE KEY uq_expert_account (account_id),
  KEY ix_expert_org_key (org_key),
  KEY ix_expert_status (status),
  CONSTRAINT fk_expert_account FOREIGN KEY (account_id) REFERENCES account (id),
  CONSTRAINT fk_expert_created_by FOREIGN KEY (created_by) REFERENCES account (id),
  CONSTRAINT ck_expert_years CHECK (years >= 3),
  CONSTRAINT ck_expert_declared CHECK (declared_integrity AND declared_health),
  CONSTRAINT ck_expert_suspended CHECK ((status = 'suspended') = (suspended_until IS NOT NULL)),
  CONSTRAINT ck_expert_recommended CHECK ((source = 'recommended') = (recommended_by IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A relationship an expert declared with an enterprise (by its credit code)
-- that requires recusal (回避) from any session reviewing that enterprise.
CREATE TABLE IF NOT EXISTS expert_relation (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  expert_id BIGINT NOT NULL,
  uscc CHAR(18) NOT NULL,
  enterprise_name VARCHAR(128) NOT NULL DEFAULT '',
  kind ENUM('employment','consultancy','shareholding','relative') NOT NULL,
  note VARCHAR(200) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_expert_relation (expert_id, uscc, kind),
  KEY ix_expert_relation_uscc (uscc),
  CONSTRAINT fk_expert_relation_expert FOREIGN KEY (expert_id) REFERENCES expert (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
