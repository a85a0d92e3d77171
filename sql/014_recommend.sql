-- 014: the city bureaus' review and recommendation (推荐, 第五条、第九条、第十条).
-- Read and written by src/steps/recommend/recommend.c; the application's own
-- status moves through src/steps/intake/app_status.c (src/rules/lifecycle.h).
-- Every DATETIME is Asia/Shanghai wall time.

-- One city's batch (推荐批次) in one round: open while the city decides,
-- submitted once it has gone to the province.  Made on the city's first
-- action.  Every change to the city's recommendations locks this row first,
-- so two tabs of one bureau are ordered and a state is checked once.
-- deadline_override: the province extended this city's deadline; NULL means
-- the round's recommend_deadline.
CREATE TABLE IF NOT EXISTS recommend_batch (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  round_id BIGINT NOT NULL,
  city_code CHAR(6) NOT NULL,
  status ENUM('open','submitted') NOT NULL DEFAULT 'open',
  deadline_override DATETIME NULL,
  submitted_at DATETIME NULL,
  submitted_by BIGINT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_batch_round_city (round_id, city_code),
  CONSTRAINT fk_batch_round FOREIGN KEY (round_id) REFERENCES selection_round (id),
  CONSTRAINT fk_batch_city FOREIGN KEY (city_code) REFERENCES city (code),
  CONSTRAINT fk_batch_submitted_by FOREIGN KEY (submitted_by) REFERENCES account (id),
  CONSTRAINT ck_batch_submitted CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The city's current decision on one application: recommended (with its
-- opinion, 推荐意见, and its rank in the batch) or not recommended (with the
-- reason).  Undoing a decision while the batch is open deletes the row; the
-- audit trail keeps every decision ever made.
CREATE TABLE IF NOT EXISTS recommendation (
  application_id BIGINT NOT NULL PRIMARY KEY,
  batch_id BIGINT NOT NULL,
  decision ENUM('recommended','not_recommended') NOT NULL,
  opinion TEXT NOT NULL,
  rank_no SMALLINT NULL,
  decided_by BIGINT NULL,
  decided_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_recommendation_rank (batch_id, rank_no),
  CONSTRAINT fk_recommendation_application FOREIGN KEY (application_id) REFERENCES application (id),
  CONSTRAINT fk_recommendation_batch FOREIGN KEY (batch_id) REFERENCES recommend_batch (id),
  CONSTRAINT fk_recommendation_account FOREIGN KEY (decided_by) REFERENCES account (id),
  CONSTRAINT ck_recommendation_rank CHECK (
    (decision = 'recommended' AND rank_no IS NOT NULL AND rank_no >= 1) OR
    (decision = 'not_recommended' AND rank_no IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every return for revision (退回修改) with its reason: the history is kept
-- (append-only, below); the newest row is the reason the enterprise sees.
CREATE TABLE IF NOT EXISTS application_return (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  application_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  returned_by BIGINT NULL,
  returned_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ix_return_application (application_id, id),
  CONSTRAINT fk_return_application FOREIGN KEY (application_id) REFERENCES application (id),
  CONSTRAINT fk_return_account FOREIGN KEY (returned_by) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What happened to a batch: submitted by the city, reopened or its deadline
-- extended by the province, with the reason (append-only).
CREATE TABLE IF NOT EXISTS recommend_batch_event (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  batch_id BIGINT NOT NULL,
  kind ENUM('submit','reopen','extend') NOT NULL,
  reason VARCHAR(500) NOT NULL DEFAULT '',
  deadline DATETIME NULL,                -- extend: the new deadline
  recommended SMALLINT NOT NULL DEFAULT 0, -- submit: how many went to the province
  account_id BIGINT NULL,
  at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ix_batch_event_batch (batch_id, id),
  CONSTRAINT fk_batch_event_batch FOREIGN KEY (batch_id) REFERENCES recommend_batch (id),
  CONSTRAINT fk_batch_event_account FOREIGN KEY (account_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER IF NOT EXISTS application_return_no_update BEFORE UPDATE ON application_return
  FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'returns are a history: append-only';
CREATE TRIGGER IF NOT EXISTS application_return_no_delete BEFORE DELETE ON application_return
  FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'returns are a history: append-only';
CREATE TRIGGER IF NOT EXISTS batch_event_no_update BEFORE UPDATE ON recommend_batch_event
  FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'batch events are append-only';
CREATE TRIGGER IF NOT EXISTS batch_event_no_delete BEFORE DELETE ON recommend_batch_event
  FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'batch events are append-only';
