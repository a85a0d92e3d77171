-- 005: enterprises and their applications (自愿申报, 第六条至第九条 of the measures).
-- Read and written by src/enterprise.c and src/application.c; the uploads'
-- table (attachment) is written by src/attachments.c.  Every DATETIME is
-- Asia/Shanghai wall time.  Amounts are DECIMAL(14,2) in 万元, as on the form.
--
-- Safe to run twice: CREATE TABLE IF NOT EXISTS, and the seed uses
-- ON DUPLICATE KEY UPDATE <key> = <key>, so a changed row is kept.

-- Heilongjiang's "4567" modern industrial system (shared/reference/heilongjiang.md §2):
-- the industry an application belongs to.  Data, not code: an administrator may add
-- rows.  group_no is the 4/5/6/7 of the system; 0 for "other".
CREATE TABLE IF NOT EXISTS industry_4567 (
  no TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  group_no TINYINT NOT NULL,
  group_name VARCHAR(32) NOT NULL,
  name_zh VARCHAR(32) NOT NULL,
  sort_order SMALLINT NOT NULL DEFAULT 0,
  UNIQUE KEY uq_industry_4567_name (name_zh),
  CONSTRAINT ck_industry_4567_group CHECK (group_no IN (0, 4, 5, 6, 7))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO industry_4567 (no, group_no, group_name, name_zh, sort_order) VALUES
  (1, 4, '经济发展新引擎', '数字经济', 1),
  (2, 4, '经济发展新引擎', '生物经济', 2),
  (3, 4, '经济发展新引擎', '冰雪经济', 3),
  (4, 4, '经济发展新引擎', '创意设计', 4),
  (5, 5, '战略性新兴产业', '航空航天', 5),
  (6, 5, '战略性新兴产业', '电子信息', 6),
  (7, 5, '战略性新兴产业', '新材料', 7),
  (8, 5, '战略性新兴产业', '高端装备', 8),
  -- Reported both as 农机装备 and as 智能农机: one entry (heilongjiang.md, "Doubt").
  (9, 5, '战略性新兴产业', '农机装备（智能农机）', 9),
  (10, 6, '传统优势产业', '能源', 10),
  (11, 6, '传统优势产业', '化工', 11),
  (12, 6, '传统优势产业', '食品', 12),
  (13, 6, '传统优势产业', '医药', 13),
  (14, 6, '传统优势产业', '汽车', 14),
  (15, 6, '传统优势产业', '轻工', 15),
  (16, 7, '服务业', '信息服务', 16),
  (17, 7, '服务业', '现代金融', 17),
  (18, 7, '服务业', '现代物流', 18),
  (19, 7, '服务业', '服务型制造', 19),
  (20, 7, '服务业', '旅游康养', 20),
  (21, 7, '服务业', '养老托育', 21),
  (22, 7, '服务业', '文化娱乐', 22),
  -- The 4567 focus is a priority, not a condition: other industries may apply.
  (99, 0, '其他', '其他（不属于“4567”产业）', 99)
ON DUPLICATE KEY UPDATE no = no;

-- One row per enterprise account (role 'enterprise').  The credit code is stored
-- upper case (src/uscc.h), so one code is one spelling: UNIQUE enforces "one
-- account per code".  uscc_check_override: an administrator accepted a code that
-- fails the GB 32100 check character (real issued codes exist that do, uscc.md §4).
CREATE TABLE IF NOT EXISTS enterprise (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT NOT NULL,
  name VARCHAR(64) NOT NULL,
  uscc CHAR(18) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  uscc_check_override TINYINT(1) NOT NULL DEFAULT 0,
  city_code CHAR(6) NOT NULL,
  address VARCHAR(200) NOT NULL,
  legal_rep VARCHAR(50) NOT NULL,
  contact_name VARCHAR(50) NOT NULL,
  mobile CHAR(11) CHARACTER SET ascii NOT NULL,
  email VARCHAR(100) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_enterprise_account (account_id),
  UNIQUE KEY uq_enterprise_uscc (uscc),
  KEY ix_enterprise_city (city_code),
  CONSTRAINT fk_enterprise_account FOREIGN KEY (account_id) REFERENCES account (id),
  CONSTRAINT fk_enterprise_city FOREIGN KEY (city_code) REFERENCES city (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One application per enterprise per round.  The content columns are named as the
-- form fields of src/application.c.  status follows the whole workflow; this
-- issue moves draft -> submitted (and back from returned), later steps the rest.
CREATE TABLE IF NOT EXISTS application (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  round_id BIGINT NOT NULL,
  enterprise_id BIGINT NOT NULL,
  status ENUM('draft','submitted','returned','not_recommended','recommended','with_province',
              'in_review','not_selected','proposed','in_publicity','withdrawn','approved',
              'benchmark','revoked') NOT NULL DEFAULT 'draft',
  scope TINYINT NULL,                          -- 遴选范围, 第七条 (一)..(五)
  method VARCHAR(100) NOT NULL DEFAULT '',     -- 质量管理方法（技术）
  title VARCHAR(100) NOT NULL DEFAULT '',      -- 典型经验名称
  abstract TEXT NOT NULL DEFAULT '',           -- 摘要 (limit in characters: src/application.h)
  crit_innovation TEXT NOT NULL DEFAULT '',    -- 第六条 (一) 科学性和创新性
  crit_system TEXT NOT NULL DEFAULT '',        -- 第六条 (二) 系统性和示范性
  crit_effect TEXT NOT NULL DEFAULT '',        -- 第六条 (三) 显效性和发展性
  industry TINYINT UNSIGNED NULL,              -- industry_4567.no
  industry_other VARCHAR(50) NOT NULL DEFAULT '',
  sme_industry TINYINT UNSIGNED NULL,          -- sme_industry.no (《中小企业划型标准规定》)
  employees INT NULL,                          -- 从业人员, persons
  revenue DECIMAL(14,2) NULL,                  -- 营业收入, 万元
  assets DECIMAL(14,2) NULL,                   -- 资产总额, 万元
  sme_size ENUM('large','medium','small','micro') NULL, -- computed at each save
  certifications VARCHAR(500) NOT NULL DEFAULT '', -- 已获认证
  method_years SMALLINT NULL,                  -- years the method has been applied
  profit_1 DECIMAL(14,2) NULL,                 -- net profit, the year before the round's year, 万元
  profit_2 DECIMAL(14,2) NULL,                 -- net profit, two years before
  not_dishonest TINYINT(1) NOT NULL DEFAULT 0, -- declared: not a 失信被执行人
  dishonest_checked DATE NULL,                 -- the day that was checked
  exchange_commitment TINYINT(1) NOT NULL DEFAULT 0, -- 第八条 (三)
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  submitted_at DATETIME NULL,
  UNIQUE KEY uq_application_round_enterprise (round_id, enterprise_id),
  KEY ix_application_enterprise (enterprise_id),
  KEY ix_application_status (status),
  CONSTRAINT fk_application_round FOREIGN KEY (round_id) REFERENCES selection_round (id),
  CONSTRAINT fk_application_enterprise FOREIGN KEY (enterprise_id) REFERENCES enterprise (id),
  CONSTRAINT fk_application_industry FOREIGN KEY (industry) REFERENCES industry_4567 (no),
  CONSTRAINT fk_application_sme_industry FOREIGN KEY (sme_industry) REFERENCES sme_industry (no),
  CONSTRAINT ck_application_scope CHECK (scope IS NULL OR scope BETWEEN 1 AND 5),
  CONSTRAINT ck_application_sizes CHECK (
    (employees IS NULL OR employees >= 0) AND (revenue IS NULL OR revenue >= 0) AND
    (assets IS NULL OR assets >= 0)),
  CONSTRAINT ck_application_years CHECK (method_years IS NULL OR method_years >= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Key quality and benefit indicators before and after (a small table, rows 1..8).
CREATE TABLE IF NOT EXISTS application_indicator (
  application_id BIGINT NOT NULL,
  row_no TINYINT NOT NULL,
  name VARCHAR(50) NOT NULL,
  unit VARCHAR(20) NOT NULL DEFAULT '',
  value_before VARCHAR(30) NOT NULL DEFAULT '',
  value_after VARCHAR(30) NOT NULL DEFAULT '',
  PRIMARY KEY (application_id, row_no),
  CONSTRAINT fk_indicator_application FOREIGN KEY (application_id) REFERENCES application (id)
    ON DELETE CASCADE,
  CONSTRAINT ck_indicator_row CHECK (row_no BETWEEN 1 AND 8)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Uploaded files, kept in the database (it is backed up and replicated with
-- everything else; nothing under the web root).  Kinds: the typical-experience
-- document, the signed commitment letter (第八条), supporting files.
CREATE TABLE IF NOT EXISTS attachment (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  application_id BIGINT NOT NULL,
  kind ENUM('experience','commitment','supporting') NOT NULL,
  original_name VARCHAR(255) NOT NULL,
  mime VARCHAR(100) CHARACTER SET ascii NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 CHAR(64) CHARACTER SET ascii NOT NULL,
  content LONGBLOB NOT NULL,
  uploaded_by BIGINT NULL,
  uploaded_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ix_attachment_application (application_id, kind),
  CONSTRAINT fk_attachment_application FOREIGN KEY (application_id) REFERENCES application (id),
  CONSTRAINT fk_attachment_account FOREIGN KEY (uploaded_by) REFERENCES account (id),
  CONSTRAINT ck_attachment_size CHECK (size_bytes >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
