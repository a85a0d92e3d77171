-- 020: expert review, scoring and panel consensus (材料评审与合议, 第十一条,
-- 附件三、四; issue 12).  Read and written by src/steps/review/; the panel
-- itself (who is on it) is the draw's record (018).  Every DATETIME is
-- Asia/Shanghai wall time.

-- Whole or half points: part of a round's scheme, like the maxima.
ALTER TABLE selection_round
  ADD COLUMN IF NOT EXISTS score_step ENUM('whole','half') NOT NULL DEFAULT 'whole';

-- The review of one session: its chair (a member, set by an administrator),
-- the scoring deadline, and whether its conclusions are locked.  No row
-- yet: no chair, deadline the review day's 18:00, open.
-- first_locked_at: administrators see the scores from then on, also while
-- one conclusion is reopened.
CREATE TABLE IF NOT EXISTS review_panel (
  session_id BIGINT NOT NULL PRIMARY KEY,
  chair_expert_id BIGINT NULL,
  deadline DATETIME NOT NULL,
  state ENUM('open','locked') NOT NULL DEFAULT 'open',
  locked_at DATETIME NULL,
  first_locked_at DATETIME NULL,
  updated_by BIGINT NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT fk_review_panel_session FOREIGN KEY (session_id) REFERENCES review_session (id),
  CONSTRAINT fk_review_panel_chair FOREIGN KEY (chair_expert_id) REFERENCES expert (id),
  CONSTRAINT fk_review_panel_by FOREIGN KEY (updated_by) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The declaration of confidentiality and no conflict of interest (附件四),
-- signed once per member and session with the member's own password.
-- conflict: none; 'some' (the applications in review_recusal); 'session'
-- (excused from the whole session: the draw step replaces them).
CREATE TABLE IF NOT EXISTS review_declaration (
  session_id BIGINT NOT NULL,
  expert_id BIGINT NOT NULL,
  conflict ENUM('none','some','session') NOT NULL,
  reason VARCHAR(500) NOT NULL DEFAULT '',
  signed_at DATETIME NOT NULL,
  ip VARCHAR(45) NOT NULL DEFAULT '',
  PRIMARY KEY (session_id, expert_id),
  CONSTRAINT fk_review_declaration_session FOREIGN KEY (session_id) REFERENCES review_session (id),
  CONSTRAINT fk_review_declaration_expert FOREIGN KEY (expert_id) REFERENCES expert (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An application a member is excused from (回避), declared with the
-- declaration or later, before scoring it.
CREATE TABLE IF NOT EXISTS review_recusal (
  session_id BIGINT NOT NULL,
  expert_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  reason VARCHAR(500) NOT NULL,
  declared_at DATETIME NOT NULL,
  PRIMARY KEY (session_id, expert_id, application_id),
  CONSTRAINT fk_review_recusal_declaration FOREIGN KEY (session_id, expert_id)
    REFERENCES review_declaration (session_id, expert_id),
  CONSTRAINT fk_review_recusal_application FOREIGN KEY (application_id) REFERENCES application (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One application of a session under review: scoring -> concluded ->
-- locked, and back to scoring when reopened (src/steps/review/review.c has
-- the table).  version: the conclusion now in force (0: none yet).
CREATE TABLE IF NOT EXISTS review_item (
  session_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  state ENUM('scoring','concluded','locked') NOT NULL DEFAULT 'scoring',
  version INT NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, application_id),
  CONSTRAINT fk_review_item_rsa FOREIGN KEY (session_id, application_id)
    REFERENCES review_session_application (session_id, application_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One member's score sheet for one application: draft (saved), submitted
-- (locked for the member), revise (the chair asked for a revision).
CREATE TABLE IF NOT EXISTS review_sheet (
  session_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  expert_id BIGINT NOT NULL,
  state ENUM('draft','submitted','revise') NOT NULL DEFAULT 'draft',
  comment_1 VARCHAR(1000) NOT NULL DEFAULT '',
  comment_2 VARCHAR(1000) NOT NULL DEFAULT '',
  comment_3 VARCHAR(1000) NOT NULL DEFAULT '',
  overall VARCHAR(2000) NOT NULL DEFAULT '',
  revision_note VARCHAR(500) NOT NULL DEFAULT '',
  saved_at DATETIME NOT NULL,
  submitted_at DATETIME NULL,        -- the last submission
  first_submitted_at DATETIME NULL,  -- the member may see the others' from then on
  submissions INT NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, application_id, expert_id),
  CONSTRAINT fk_review_sheet_item FOREIGN KEY (session_id, application_id)
    REFERENCES review_item (session_id, application_id),
  CONSTRAINT fk_review_sheet_expert FOREIGN KEY (expert_id) REFERENCES expert (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The points of one evaluation point on a sheet, in half points (7.5 is
-- 15), so a half-point scheme needs no floating point.
CREATE TABLE IF NOT EXISTS review_score (
  session_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  expert_id BIGINT NOT NULL,
  no TINYINT NOT NULL,
  halves SMALLINT NOT NULL,
  PRIMARY KEY (session_id, application_id, expert_id, no),
  CONSTRAINT fk_review_score_sheet FOREIGN KEY (session_id, application_id, expert_id)
    REFERENCES review_sheet (session_id, application_id, expert_id),
  CONSTRAINT ck_review_score_no CHECK (no BETWEEN 1 AND 10),
  CONSTRAINT ck_review_score_halves CHECK (halves BETWEEN 0 AND 200)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Each conclusion the chair recorded (合议意见); the one in force is
-- review_item.version.  Append-only.
CREATE TABLE IF NOT EXISTS review_conclusion (
  session_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  version INT NOT NULL,
  recommended BOOLEAN NOT NULL,
  opinion VARCHAR(2000) NOT NULL,
  ranking SMALLINT NOT NULL,
  chair_expert_id BIGINT NOT NULL,
  recorded_at DATETIME NOT NULL,
  PRIMARY KEY (session_id, application_id, version),
  CONSTRAINT fk_review_conclusion_item FOREIGN KEY (session_id, application_id)
    REFERENCES review_item (session_id, application_id),
  CONSTRAINT fk_review_conclusion_chair FOREIGN KEY (chair_expert_id) REFERENCES expert (id),
  CONSTRAINT ck_review_conclusion_version CHECK (version >= 1),
  CONSTRAINT ck_review_conclusion_ranking CHECK (ranking >= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Each member's answer to a conclusion: confirmed, or a dissent with its
-- reasons (shown on the record).  Append-only.
CREATE TABLE IF NOT EXISTS review_confirmation (
  session_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  version INT NOT NULL,
  expert_id BIGINT NOT NULL,
  kind ENUM('confirm','dissent') NOT NULL,
  reason VARCHAR(1000) NOT NULL DEFAULT '',
  answered_at DATETIME NOT NULL,
  PRIMARY KEY (session_id, application_id, version, expert_id),
  CONSTRAINT fk_review_confirmation_conclusion FOREIGN KEY (session_id, application_id, version)
    REFERENCES review_conclusion (session_id, application_id, version),
  CONSTRAINT fk_review_confirmation_expert FOREIGN KEY (expert_id) REFERENCES expert (id),
  CONSTRAINT ck_review_confirmation_reason CHECK (kind = 'confirm' OR reason <> '')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An administrator's reopening of a locked conclusion, with the reason.
CREATE TABLE IF NOT EXISTS review_reopen (
  session_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  version INT NOT NULL,   -- the conclusion reopened
  reason VARCHAR(500) NOT NULL,
  reopened_by BIGINT NOT NULL,
  reopened_at DATETIME NOT NULL,
  PRIMARY KEY (session_id, application_id, version),
  CONSTRAINT fk_review_reopen_item FOREIGN KEY (session_id, application_id)
    REFERENCES review_item (session_id, application_id),
  CONSTRAINT fk_review_reopen_by FOREIGN KEY (reopened_by) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER IF NOT EXISTS review_conclusion_no_update BEFORE UPDATE ON review_conclusion FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'review records are append-only';
CREATE TRIGGER IF NOT EXISTS review_conclusion_no_delete BEFORE DELETE ON review_conclusion FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'review records are append-only';
CREATE TRIGGER IF NOT EXISTS review_confirmation_no_update BEFORE UPDATE ON review_confirmation FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'review records are append-only';
CREATE TRIGGER IF NOT EXISTS review_confirmation_no_delete BEFORE DELETE ON review_confirmation FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'review records are append-only';
CREATE TRIGGER IF NOT EXISTS review_declaration_no_update BEFORE UPDATE ON review_declaration FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'review records are append-only';
CREATE TRIGGER IF NOT EXISTS review_declaration_no_delete BEFORE DELETE ON review_declaration FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'review records are append-only';
CREATE TRIGGER IF NOT EXISTS review_reopen_no_update BEFORE UPDATE ON review_reopen FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'review records are append-only';
CREATE TRIGGER IF NOT EXISTS review_reopen_no_delete BEFORE DELETE ON review_reopen FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'review records are append-only';
