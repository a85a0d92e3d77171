-- 004: the yearly selection round (年度遴选, 第四条): windows, deadlines,
-- per-city quotas and the scoring scheme used by the review later.

CREATE TABLE IF NOT EXISTS selection_round (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  year SMALLINT NOT NULL,
  title VARCHAR(100) NOT NULL,
  apply_open DATETIME NOT NULL,          -- Asia/Shanghai
  apply_close DATETIME NOT NULL,
  recommend_deadline DATETIME NOT NULL,  -- city bureaus' recommendations due
  default_quota SMALLINT NOT NULL,       -- recommendations per city unless overridden
  created_by BIGINT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_round_year (year),       -- once a year (第四条)
  CONSTRAINT ck_round_year CHECK (year BETWEEN 2020 AND 2100),
  CONSTRAINT ck_round_window CHECK (apply_close > apply_open),
  CONSTRAINT ck_round_recommend CHECK (recommend_deadline > apply_close),
  CONSTRAINT ck_round_quota CHECK (default_quota BETWEEN 1 AND 200)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS round_city_quota (
  round_id BIGINT NOT NULL,
  city_code CHAR(6) NOT NULL,
  quota SMALLINT NOT NULL,
  PRIMARY KEY (round_id, city_code),
  CONSTRAINT fk_rcq_round FOREIGN KEY (round_id) REFERENCES selection_round (id) ON DELETE CASCADE,
  CONSTRAINT fk_rcq_city FOREIGN KEY (city_code) REFERENCES city (code),
  CONSTRAINT ck_rcq_quota CHECK (quota BETWEEN 0 AND 200)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The annex's 10 evaluation points in 3 groups, copied into each round so a
-- round's scheme never changes under it (附件 评价要点).
CREATE TABLE IF NOT EXISTS round_criterion (
  round_id BIGINT NOT NULL,
  no TINYINT NOT NULL,                   -- 1..10
  group_no TINYINT NOT NULL,             -- 1 科学性和创新性, 2 系统性和示范性, 3 显效性和发展性
  title VARCHAR(255) NOT NULL,
  max_points SMALLINT NOT NULL,
  PRIMARY KEY (round_id, no),
  CONSTRAINT fk_rc_round FOREIGN KEY (round_id) REFERENCES selection_round (id) ON DELETE CASCADE,
  CONSTRAINT ck_rc_no CHECK (no BETWEEN 1 AND 10),
  CONSTRAINT ck_rc_group CHECK (group_no BETWEEN 1 AND 3),
  CONSTRAINT ck_rc_points CHECK (max_points BETWEEN 1 AND 100)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
