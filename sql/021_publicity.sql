-- 021: the proposed list, its publicity with public objections, approval,
-- the annual list of benchmarks with their certificates, announcements and
-- the national recommendation (第十二条至第十四条; issue 13).  Written by
-- src/steps/publicity/ (proposal, publicity, objections) and
-- src/steps/publish/ (approval, benchmarks, announcements, national).
-- Every DATETIME is Asia/Shanghai wall time.

-- An application the province puts on its proposed list (拟定名单): the
-- panel recommended it and its credit checks were good on proposed_at.
-- Removed again (before publicity) by deleting the row; the audit log keeps
-- both.  The application's own status says proposed / in_publicity / ...
CREATE TABLE IF NOT EXISTS proposal (
  application_id BIGINT NOT NULL PRIMARY KEY,
  round_id BIGINT NOT NULL,
  proposed_by BIGINT NOT NULL,
  proposed_at DATETIME NOT NULL,
  KEY ix_proposal_round (round_id),
  CONSTRAINT fk_proposal_application FOREIGN KEY (application_id) REFERENCES application (id),
  CONSTRAINT fk_proposal_round FOREIGN KEY (round_id) REFERENCES selection_round (id),
  CONSTRAINT fk_proposal_by FOREIGN KEY (proposed_by) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The publicity of one round's proposed list (网站公示): once a year.
-- open -> approved (厅长办公会审议通过, after the period with every objection
-- resolved) -> published (the year's list, certificates numbered).
CREATE TABLE IF NOT EXISTS publicity (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  round_id BIGINT NOT NULL,
  title VARCHAR(100) NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NOT NULL,            -- the 5th working day: objections until 23:59:59
  working_days TINYINT UNSIGNED NOT NULL,
  contact VARCHAR(300) NOT NULL,     -- how to object besides the form (shown publicly)
  state ENUM('open','approved','published') NOT NULL DEFAULT 'open',
  started_by BIGINT NOT NULL,
  started_at DATETIME NOT NULL,
  approval_date DATE NULL,
  approval_ref VARCHAR(100) NULL,    -- 会议纪要 number
  approved_by BIGINT NULL,
  approved_at DATETIME NULL,
  award_date DATE NULL,
  published_by BIGINT NULL,
  published_at DATETIME NULL,
  UNIQUE KEY uq_publicity_round (round_id),
  KEY ix_publicity_dates (start_date),
  CONSTRAINT fk_publicity_round FOREIGN KEY (round_id) REFERENCES selection_round (id),
  CONSTRAINT fk_publicity_started_by FOREIGN KEY (started_by) REFERENCES account (id),
  CONSTRAINT fk_publicity_approved_by FOREIGN KEY (approved_by) REFERENCES account (id),
  CONSTRAINT fk_publicity_published_by FOREIGN KEY (published_by) REFERENCES account (id),
  CONSTRAINT ck_publicity_period CHECK (end_date >= start_date),
  CONSTRAINT ck_publicity_approval CHECK (state = 'open' OR
    (approval_date IS NOT NULL AND approval_ref IS NOT NULL AND approved_at IS NOT NULL)),
  CONSTRAINT ck_publicity_published CHECK (state <> 'published' OR
    (award_date IS NOT NULL AND published_at IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The list as publicised, copied when publicity starts: what the public
-- read never changes with later edits of an enterprise or application.
-- withdrawn_*: the objection upheld against it (the enterprise left).
CREATE TABLE IF NOT EXISTS publicity_item (
  publicity_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  position SMALLINT UNSIGNED NOT NULL,
  enterprise_name VARCHAR(64) NOT NULL,
  city_code CHAR(6) NOT NULL,
  scope TINYINT NOT NULL,
  title VARCHAR(100) NOT NULL,
  withdrawn_at DATETIME NULL,
  withdrawn_objection BIGINT NULL,
  PRIMARY KEY (publicity_id, application_id),
  UNIQUE KEY uq_publicity_item_application (application_id),
  UNIQUE KEY uq_publicity_item_position (publicity_id, position),
  CONSTRAINT fk_publicity_item_publicity FOREIGN KEY (publicity_id) REFERENCES publicity (id),
  CONSTRAINT fk_publicity_item_application FOREIGN KEY (application_id) REFERENCES application (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A public objection (异议).  The objector's identity (name, id_type,
-- organisation, contact, ip) is read by province administrators only.
-- received -> investigating -> upheld | dismissed; decided once.
CREATE TABLE IF NOT EXISTS objection (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  publicity_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  tracking_no CHAR(14) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  objector_name VARCHAR(50) NOT NULL,
  id_type ENUM('person','organisation') NOT NULL,
  organisation VARCHAR(100) NOT NULL DEFAULT '',
  contact VARCHAR(100) NOT NULL,
  content TEXT NOT NULL,
  ip VARCHAR(45) NOT NULL DEFAULT '',
  received_at DATETIME NOT NULL,
  state ENUM('received','investigating','upheld','dismissed') NOT NULL DEFAULT 'received',
  notes TEXT NOT NULL DEFAULT '',          -- investigation, internal
  reasons VARCHAR(2000) NOT NULL DEFAULT '', -- the decision's reasons, internal
  reply VARCHAR(2000) NOT NULL DEFAULT '', -- what the objector reads
  handled_by BIGINT NULL,
  handled_at DATETIME NULL,
  decided_at DATETIME NULL,
  UNIQUE KEY uq_objection_tracking (tracking_no),
  KEY ix_objection_publicity (publicity_id, state),
  CONSTRAINT fk_objection_item FOREIGN KEY (publicity_id, application_id)
    REFERENCES publicity_item (publicity_id, application_id),
  CONSTRAINT fk_objection_handled_by FOREIGN KEY (handled_by) REFERENCES account (id),
  CONSTRAINT ck_objection_decided CHECK (state NOT IN ('upheld','dismissed') OR
    (decided_at IS NOT NULL AND reply <> '' AND reasons <> ''))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A decided objection stays as it was decided.
CREATE TRIGGER IF NOT EXISTS objection_decided_once BEFORE UPDATE ON objection FOR EACH ROW
  IF OLD.state IN ('upheld','dismissed') THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'a decided objection does not change';
  END IF;
CREATE TRIGGER IF NOT EXISTS objection_no_delete BEFORE DELETE ON objection FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'objections are never deleted';

-- An objection's attachment is an attachment row of kind 'objection' that
-- belongs to no application (so no application's file list, and no
-- /files download, ever shows it); same storage, limits and type check.
ALTER TABLE attachment MODIFY application_id BIGINT NULL;
ALTER TABLE attachment MODIFY kind ENUM('experience','commitment','supporting','objection') NOT NULL;
ALTER TABLE attachment ADD COLUMN IF NOT EXISTS objection_id BIGINT NULL;
ALTER TABLE attachment ADD KEY IF NOT EXISTS ix_attachment_objection (objection_id);

-- Public forms' abuse guards, kept in the database so that every web node
-- sees the same counts: hits per source (an IP) and purpose per hour, and
-- the single use of each question token (src/core/challenge.h).
CREATE TABLE IF NOT EXISTS public_rate (
  purpose VARCHAR(20) CHARACTER SET ascii NOT NULL,
  source VARCHAR(45) CHARACTER SET ascii NOT NULL,
  window_start DATETIME NOT NULL,
  hits INT NOT NULL,
  PRIMARY KEY (purpose, source, window_start),
  KEY ix_public_rate_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;

CREATE TABLE IF NOT EXISTS challenge_used (
  nonce CHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  used_at DATETIME NOT NULL,
  KEY ix_challenge_used_at (used_at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;

-- Server-side keys shared by every web node (the question tokens' MAC key),
-- made once by the first program that needs one.
CREATE TABLE IF NOT EXISTS server_key (
  name VARCHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  secret BINARY(32) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=ascii;

-- A provincial quality benchmark (质量标杆): the title, its certificate
-- number HLJZLBG-<year>-<seq> (seq from 1 in each year, in the list's
-- order; never reused: rows are never deleted) and its award date.  The
-- enterprise's name, city, category and title as published.  status is
-- changed only by the manage step (revocation, reinstatement; issue 14).
CREATE TABLE IF NOT EXISTS benchmark (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  application_id BIGINT NOT NULL,
  publicity_id BIGINT NOT NULL,
  year SMALLINT NOT NULL,
  seq SMALLINT UNSIGNED NOT NULL,
  cert_no VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  enterprise_name VARCHAR(64) NOT NULL,
  city_code CHAR(6) NOT NULL,
  scope TINYINT NOT NULL,
  title VARCHAR(100) NOT NULL,
  award_date DATE NOT NULL,
  status ENUM('valid','revoked') NOT NULL DEFAULT 'valid',
  status_changed_at DATETIME NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_benchmark_application (application_id),
  UNIQUE KEY uq_benchmark_seq (year, seq),
  UNIQUE KEY uq_benchmark_cert (cert_no),
  CONSTRAINT fk_benchmark_application FOREIGN KEY (application_id) REFERENCES application (id),
  CONSTRAINT fk_benchmark_publicity FOREIGN KEY (publicity_id) REFERENCES publicity (id),
  CONSTRAINT ck_benchmark_seq CHECK (seq >= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER IF NOT EXISTS benchmark_no_delete BEFORE DELETE ON benchmark FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'benchmarks are never deleted';

-- A benchmark the province puts forward to the national selection (第十四条).
CREATE TABLE IF NOT EXISTS national_recommendation (
  benchmark_id BIGINT NOT NULL PRIMARY KEY,
  year SMALLINT NOT NULL,
  note VARCHAR(500) NOT NULL DEFAULT '',
  recommended_by BIGINT NOT NULL,
  recommended_at DATETIME NOT NULL,
  KEY ix_national_year (year),
  CONSTRAINT fk_national_benchmark FOREIGN KEY (benchmark_id) REFERENCES benchmark (id),
  CONSTRAINT fk_national_by FOREIGN KEY (recommended_by) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A public announcement (公告): a publicity started, a year's list
-- published; revocations and reinstatements come with issue 14.  What the
-- public reads, nothing confidential; never changed.
CREATE TABLE IF NOT EXISTS announcement (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind ENUM('publicity','publication','revocation','reinstatement') NOT NULL,
  year SMALLINT NOT NULL,
  title VARCHAR(200) NOT NULL,
  body TEXT NOT NULL,
  link VARCHAR(200) CHARACTER SET ascii NOT NULL,  -- the page it announces, a local path
  published_at DATETIME NOT NULL,
  KEY ix_announcement_published (published_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER IF NOT EXISTS announcement_no_update BEFORE UPDATE ON announcement FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'announcements are never changed';
CREATE TRIGGER IF NOT EXISTS announcement_no_delete BEFORE DELETE ON announcement FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'announcements are never deleted';
