-- 022: dynamic management of the titles (动态管理; 第十五条至第十七条):
-- revocation and reinstatement decisions with their announcements, the
-- experience-exchange activities and who took part, national titles.
-- Owned by src/steps/manage/ (manage.h, exchange.h).

-- A decision on a title (称号): its revocation on one of the measures' five
-- grounds, or its reinstatement (after an appeal or a review).  Never
-- changed or deleted: a wrong decision is corrected only by a new one.
-- facts are internal (the province's and the supervisor's); what the public
-- reads is the announcement, made from the fields that may be public.
CREATE TABLE IF NOT EXISTS title_decision (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  benchmark_id BIGINT NOT NULL,
  kind ENUM('revocation','reinstatement') NOT NULL,
  ground ENUM('falsified','quality','safety','environment','credit') NULL,
  facts TEXT NOT NULL,
  decision_ref VARCHAR(100) NOT NULL,   -- 文号 of the decision document
  decision_date DATE NOT NULL,
  attachment_id BIGINT NOT NULL,        -- the decision document (kind 'decision')
  announcement_id BIGINT NOT NULL,
  decided_by BIGINT NOT NULL,
  decided_at DATETIME NOT NULL,
  KEY ix_decision_benchmark (benchmark_id, id),
  CONSTRAINT fk_decision_benchmark FOREIGN KEY (benchmark_id) REFERENCES benchmark (id),
  CONSTRAINT fk_decision_attachment FOREIGN KEY (attachment_id) REFERENCES attachment (id),
  CONSTRAINT fk_decision_announcement FOREIGN KEY (announcement_id) REFERENCES announcement (id),
  CONSTRAINT fk_decision_by FOREIGN KEY (decided_by) REFERENCES account (id),
  CONSTRAINT ck_decision_ground CHECK ((kind = 'revocation') = (ground IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER IF NOT EXISTS title_decision_no_update BEFORE UPDATE ON title_decision FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'decisions are never changed';
CREATE TRIGGER IF NOT EXISTS title_decision_no_delete BEFORE DELETE ON title_decision FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'decisions are never deleted';

-- A decision written but not yet confirmed: the first page's fields and the
-- uploaded document, shown on the second page exactly as they will be
-- published.  One per benchmark and administrator; replaced by a new one,
-- removed when confirmed.  Nothing public comes from a draft.
CREATE TABLE IF NOT EXISTS title_decision_draft (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  benchmark_id BIGINT NOT NULL,
  kind ENUM('revocation','reinstatement') NOT NULL,
  ground ENUM('falsified','quality','safety','environment','credit') NULL,
  facts TEXT NOT NULL,
  decision_ref VARCHAR(100) NOT NULL,
  decision_date DATE NOT NULL,
  attachment_id BIGINT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_draft_benchmark_by (benchmark_id, created_by),
  CONSTRAINT fk_draft_benchmark FOREIGN KEY (benchmark_id) REFERENCES benchmark (id),
  CONSTRAINT fk_draft_attachment FOREIGN KEY (attachment_id) REFERENCES attachment (id),
  CONSTRAINT fk_draft_by FOREIGN KEY (created_by) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The decision document is an attachment row of kind 'decision' that
-- belongs to no application (same storage, limits and type check).
ALTER TABLE attachment MODIFY kind ENUM('experience','commitment','supporting','objection','decision') NOT NULL;

-- The national title (全国质量标杆) a benchmark was later awarded, and the
-- year (第十七条).
ALTER TABLE benchmark ADD COLUMN IF NOT EXISTS national_title_year SMALLINT NULL;

-- The announcement of the decision that gave the title its status (a
-- revocation, a reinstatement), linked from the list and the verification
-- page; NULL while the title is as awarded.  status_changed_at is that
-- decision's date.
ALTER TABLE benchmark ADD COLUMN IF NOT EXISTS status_announcement_id BIGINT NULL;

-- An experience-exchange activity (经验交流活动; 第十五条、第十七条).
CREATE TABLE IF NOT EXISTS exchange_activity (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  held_on DATE NOT NULL,
  topic VARCHAR(200) NOT NULL,
  place VARCHAR(200) NOT NULL,
  level ENUM('provincial','national') NOT NULL,
  organiser VARCHAR(100) NOT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ix_activity_held (held_on, id),
  CONSTRAINT fk_activity_by FOREIGN KEY (created_by) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A benchmark's part in an activity, and what it contributed (a talk, a
-- site visit, materials).
CREATE TABLE IF NOT EXISTS exchange_participation (
  activity_id BIGINT NOT NULL,
  benchmark_id BIGINT NOT NULL,
  contribution VARCHAR(500) NOT NULL,
  recorded_by BIGINT NOT NULL,
  recorded_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (activity_id, benchmark_id),
  KEY ix_participation_benchmark (benchmark_id),
  CONSTRAINT fk_participation_activity FOREIGN KEY (activity_id) REFERENCES exchange_activity (id),
  CONSTRAINT fk_participation_benchmark FOREIGN KEY (benchmark_id) REFERENCES benchmark (id),
  CONSTRAINT fk_participation_by FOREIGN KEY (recorded_by) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
