-- 018: review sessions and the verifiable expert draw (评审会与专家抽取,
-- 第十一条, 附件二; issue 11).  Read and written by src/steps/draw/; the
-- algorithm is src/rules/lottery.h, specified in docs/lottery.md.
-- Every DATETIME is Asia/Shanghai wall time.

-- One review meeting of a round: when and where, the applications it
-- reviews and the size of its panel (odd, 3..25: 原则上为单数).
-- state: preparing (applications and size may change) -> committed (the
-- candidate list and the seed's commitment are fixed; the applications are
-- in review) -> drawn (the panel is full; replacements keep it so) ->
-- revealed (the seed is on the record; the panel is final).  The arrows are
-- the table in src/steps/draw/draw.c.  rotation_k > 0: experts drawn in the
-- last rotation_k sessions (by commitment time) are not candidates.
CREATE TABLE IF NOT EXISTS review_session (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  round_id BIGINT NOT NULL,
  title VARCHAR(100) NOT NULL,
  review_date DATE NOT NULL,
  place VARCHAR(200) NOT NULL,
  panel_size TINYINT UNSIGNED NOT NULL,
  rotation_k TINYINT UNSIGNED NOT NULL DEFAULT 0,
  state ENUM('preparing','committed','drawn','revealed') NOT NULL DEFAULT 'preparing',
  created_by BIGINT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ix_review_session_round (round_id, review_date),
  CONSTRAINT fk_review_session_round FOREIGN KEY (round_id) REFERENCES selection_round (id),
  CONSTRAINT fk_review_session_created_by FOREIGN KEY (created_by) REFERENCES account (id),
  CONSTRAINT ck_review_session_size CHECK (panel_size BETWEEN 3 AND 25 AND panel_size % 2 = 1),
  CONSTRAINT ck_review_session_rotation CHECK (rotation_k <= 10)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The applications a session reviews; an application is in one session.
CREATE TABLE IF NOT EXISTS review_session_application (
  session_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  PRIMARY KEY (session_id, application_id),
  UNIQUE KEY uq_review_session_application (application_id),
  CONSTRAINT fk_rsa_session FOREIGN KEY (session_id) REFERENCES review_session (id),
  CONSTRAINT fk_rsa_application FOREIGN KEY (application_id) REFERENCES application (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What is fixed before the draw: the seed (kept secret until the reveal),
-- its commitment SHA-256(seed), the candidate list's digest, and the public
-- source whose value, unknown at commitment time, the draw mixes in.
-- public_value, the draw's and the reveal's columns are written once each;
-- the rest never changes (the trigger below).
CREATE TABLE IF NOT EXISTS draw_commitment (
  session_id BIGINT NOT NULL PRIMARY KEY,
  seed BINARY(32) NOT NULL,
  commitment CHAR(64) CHARACTER SET ascii NOT NULL,
  candidate_digest CHAR(64) CHARACTER SET ascii NOT NULL,
  candidate_count INT NOT NULL,
  public_source VARCHAR(200) NULL,
  public_value VARCHAR(200) NULL,
  committed_by BIGINT NOT NULL,
  committed_at DATETIME NOT NULL,
  revealed_at DATETIME NULL,
  revealed_by BIGINT NULL,
  reveal_supervisor BIGINT NULL,
  CONSTRAINT fk_draw_commitment_session FOREIGN KEY (session_id) REFERENCES review_session (id),
  CONSTRAINT fk_draw_commitment_by FOREIGN KEY (committed_by) REFERENCES account (id),
  CONSTRAINT fk_draw_commitment_revealed_by FOREIGN KEY (revealed_by) REFERENCES account (id),
  CONSTRAINT fk_draw_commitment_supervisor FOREIGN KEY (reveal_supervisor) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The candidate list as committed, in the order of docs/lottery.md (by
-- expert id), with the organisation key the draw used and the names shown
-- on the record at that time.
CREATE TABLE IF NOT EXISTS draw_candidate (
  session_id BIGINT NOT NULL,
  position INT NOT NULL,
  expert_id BIGINT NOT NULL,
  org_key VARCHAR(400) NOT NULL,
  name VARCHAR(64) NOT NULL,
  org_name VARCHAR(128) NOT NULL,
  PRIMARY KEY (session_id, position),
  UNIQUE KEY uq_draw_candidate (session_id, expert_id),
  CONSTRAINT fk_draw_candidate_session FOREIGN KEY (session_id) REFERENCES review_session (id),
  CONSTRAINT fk_draw_candidate_expert FOREIGN KEY (expert_id) REFERENCES expert (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who was left out of the list and why (for the record, not for the draw).
CREATE TABLE IF NOT EXISTS draw_exclusion (
  session_id BIGINT NOT NULL,
  expert_id BIGINT NOT NULL,
  reason ENUM('recusal_org','recusal_relation','rotation') NOT NULL,
  detail VARCHAR(300) NOT NULL,
  PRIMARY KEY (session_id, expert_id, reason),
  CONSTRAINT fk_draw_exclusion_session FOREIGN KEY (session_id) REFERENCES review_session (id),
  CONSTRAINT fk_draw_exclusion_expert FOREIGN KEY (expert_id) REFERENCES expert (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Each draw: number 1 is the panel, 2, 3, ... the replacements in order,
-- each replacing one member (replaces) for a reason; both people's accounts.
CREATE TABLE IF NOT EXISTS draw_event (
  session_id BIGINT NOT NULL,
  number INT NOT NULL,
  kind ENUM('panel','replacement') NOT NULL,
  count INT NOT NULL,
  replaces BIGINT NULL,
  reason_kind ENUM('cannot_attend','conflict') NULL,
  reason VARCHAR(500) NULL,
  operator_id BIGINT NOT NULL,
  supervisor_id BIGINT NOT NULL,
  drawn_at DATETIME NOT NULL,
  PRIMARY KEY (session_id, number),
  CONSTRAINT fk_draw_event_session FOREIGN KEY (session_id) REFERENCES review_session (id),
  CONSTRAINT fk_draw_event_replaces FOREIGN KEY (replaces) REFERENCES expert (id),
  CONSTRAINT fk_draw_event_operator FOREIGN KEY (operator_id) REFERENCES account (id),
  CONSTRAINT fk_draw_event_supervisor FOREIGN KEY (supervisor_id) REFERENCES account (id),
  CONSTRAINT ck_draw_event_kind CHECK (
    (kind = 'panel' AND number = 1 AND replaces IS NULL AND reason IS NULL) OR
    (kind = 'replacement' AND number > 1 AND count = 1 AND replaces IS NOT NULL
     AND reason_kind IS NOT NULL AND reason IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The experts each draw picked, in pick order.  An expert is drawn at most
-- once in a session (the unique key holds even against two racing draws).
CREATE TABLE IF NOT EXISTS draw_pick (
  session_id BIGINT NOT NULL,
  number INT NOT NULL,
  pick_order INT NOT NULL,
  expert_id BIGINT NOT NULL,
  PRIMARY KEY (session_id, number, pick_order),
  UNIQUE KEY uq_draw_pick_expert (session_id, expert_id),
  CONSTRAINT fk_draw_pick_event FOREIGN KEY (session_id, number) REFERENCES draw_event (session_id, number),
  CONSTRAINT fk_draw_pick_expert FOREIGN KEY (expert_id) REFERENCES expert (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An administrator's rating of an expert's work in a session (1..5).
CREATE TABLE IF NOT EXISTS draw_rating (
  session_id BIGINT NOT NULL,
  expert_id BIGINT NOT NULL,
  rating TINYINT NOT NULL,
  comment VARCHAR(500) NOT NULL DEFAULT '',
  rated_by BIGINT NOT NULL,
  rated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (session_id, expert_id),
  CONSTRAINT fk_draw_rating_session FOREIGN KEY (session_id) REFERENCES review_session (id),
  CONSTRAINT fk_draw_rating_expert FOREIGN KEY (expert_id) REFERENCES expert (id),
  CONSTRAINT fk_draw_rating_by FOREIGN KEY (rated_by) REFERENCES account (id),
  CONSTRAINT ck_draw_rating CHECK (rating BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The record is append-only in the database (like the audit trail, 007):
-- `biaogan-admin lottery verify` detects what gets past this.
CREATE TRIGGER IF NOT EXISTS draw_candidate_no_update BEFORE UPDATE ON draw_candidate FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'draw records are append-only';
CREATE TRIGGER IF NOT EXISTS draw_candidate_no_delete BEFORE DELETE ON draw_candidate FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'draw records are append-only';
CREATE TRIGGER IF NOT EXISTS draw_exclusion_no_update BEFORE UPDATE ON draw_exclusion FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'draw records are append-only';
CREATE TRIGGER IF NOT EXISTS draw_exclusion_no_delete BEFORE DELETE ON draw_exclusion FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'draw records are append-only';
CREATE TRIGGER IF NOT EXISTS draw_event_no_update BEFORE UPDATE ON draw_event FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'draw records are append-only';
CREATE TRIGGER IF NOT EXISTS draw_event_no_delete BEFORE DELETE ON draw_event FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'draw records are append-only';
CREATE TRIGGER IF NOT EXISTS draw_pick_no_update BEFORE UPDATE ON draw_pick FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'draw records are append-only';
CREATE TRIGGER IF NOT EXISTS draw_pick_no_delete BEFORE DELETE ON draw_pick FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'draw records are append-only';
CREATE TRIGGER IF NOT EXISTS draw_commitment_no_delete BEFORE DELETE ON draw_commitment FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'draw records are append-only';
CREATE TRIGGER IF NOT EXISTS draw_commitment_once BEFORE UPDATE ON draw_commitment FOR EACH ROW
BEGIN
  IF NEW.seed <> OLD.seed OR NEW.commitment <> OLD.commitment
     OR NEW.candidate_digest <> OLD.candidate_digest OR NEW.candidate_count <> OLD.candidate_count
     OR NOT (NEW.public_source <=> OLD.public_source) OR NEW.committed_by <> OLD.committed_by
     OR NEW.committed_at <> OLD.committed_at
     OR (OLD.public_value IS NOT NULL AND NOT (NEW.public_value <=> OLD.public_value))
     OR (OLD.revealed_at IS NOT NULL AND (NOT (NEW.revealed_at <=> OLD.revealed_at)
         OR NOT (NEW.revealed_by <=> OLD.revealed_by)
         OR NOT (NEW.reveal_supervisor <=> OLD.reveal_supervisor))) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'draw records are append-only';
  END IF;
END;
