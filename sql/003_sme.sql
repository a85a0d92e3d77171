-- 003: SME size classification thresholds (《中小企业划型标准规定》, 工信部联企业〔2011〕300号).
-- Read by src/sme.c; the rule that combines the rows is in src/sme.h and
-- shared/reference/sme-classification.md.  The numbers live here, not in C: if the
-- standard is revised, update these rows (the seed below never overwrites them).
-- Revenue and total assets are in 万元 (10,000 CNY), exactly as in the regulation.
--
-- Safe to run twice: CREATE TABLE IF NOT EXISTS, and the seed uses
-- ON DUPLICATE KEY UPDATE <key> = <key> rather than INSERT IGNORE, so an existing row
-- is kept as it is but any other problem (a CHECK, a bad value) is still an error
-- instead of a warning.

CREATE TABLE IF NOT EXISTS sme_industry (
  no TINYINT UNSIGNED NOT NULL PRIMARY KEY,   -- industry number of Article 4 (1..16)
  name_zh VARCHAR(64) NOT NULL,
  name_en VARCHAR(128) NOT NULL,
  scope_note VARCHAR(512) NOT NULL DEFAULT '', -- what the industry includes or excludes
  UNIQUE KEY uq_sme_industry_name (name_zh)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS sme_threshold (
  industry_no TINYINT UNSIGNED NOT NULL,
  -- The ENUM order is the order src/sme.h expects (ORDER BY size_class).
  size_class ENUM('sme_ceiling','medium','small','micro') NOT NULL,
  employees INT NULL,                 -- persons; NULL: not used by this industry
  revenue_10k DECIMAL(14,2) NULL,     -- operating revenue, 万元
  total_assets_10k DECIMAL(14,2) NULL, -- total assets, 万元
  comparison ENUM('<','>=') NOT NULL,
  cond ENUM('or','and','single') NOT NULL,
  PRIMARY KEY (industry_no, size_class),
  CONSTRAINT fk_sme_threshold_industry FOREIGN KEY (industry_no) REFERENCES sme_industry (no),
  CONSTRAINT ck_sme_threshold_nonneg CHECK (
    (employees IS NULL OR employees >= 0) AND
    (revenue_10k IS NULL OR revenue_10k >= 0) AND
    (total_assets_10k IS NULL OR total_assets_10k >= 0)),
  CONSTRAINT ck_sme_threshold_some CHECK (
    employees IS NOT NULL OR revenue_10k IS NOT NULL OR total_assets_10k IS NOT NULL),
  -- The comparison is fixed by the size class (以下 = '<', 及以上 = '>=').
  CONSTRAINT ck_sme_threshold_cmp CHECK (
    (size_class IN ('sme_ceiling','micro')) = (comparison = '<'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Seed: generated from shared/reference/sme-classification.csv (the same rows as
-- tests/data/sme-classification.csv, which tests/unit/test_sme.c checks).
INSERT INTO sme_industry (no, name_zh, name_en, scope_note) VALUES
  (1, '农、林、牧、渔业', 'Agriculture, forestry, animal husbandry and fishery', ''),
  (2, '工业', 'Industry',
   'includes mining; manufacturing; production and supply of electricity, heat, gas and water'),
  (3, '建筑业', 'Construction', ''),
  (4, '批发业', 'Wholesale', ''),
  (5, '零售业', 'Retail', ''),
  (6, '交通运输业', 'Transport',
   'excludes railway transport'),
  (7, '仓储业', 'Warehousing', ''),
  (8, '邮政业', 'Postal services', ''),
  (9, '住宿业', 'Accommodation', ''),
  (10, '餐饮业', 'Catering', ''),
  (11, '信息传输业', 'Information transmission',
   'includes telecommunications, internet and related services'),
  (12, '软件和信息技术服务业', 'Software and information technology services', ''),
  (13, '房地产开发经营', 'Real estate development and operation', ''),
  (14, '物业管理', 'Property management', ''),
  (15, '租赁和商务服务业', 'Leasing and business services', ''),
  (16, '其他未列明行业', 'Other industries not listed',
   'includes scientific research and technical services; water, environment and public facilities management; resident, repair and other services; social work; culture, sports and entertainment; etc.')
ON DUPLICATE KEY UPDATE no = no;

INSERT INTO sme_threshold
  (industry_no, size_class, employees, revenue_10k, total_assets_10k, comparison, cond) VALUES
  (1, 'sme_ceiling', NULL, 20000, NULL, '<', 'single'),
  (1, 'medium', NULL, 500, NULL, '>=', 'single'),
  (1, 'small', NULL, 50, NULL, '>=', 'single'),
  (1, 'micro', NULL, 50, NULL, '<', 'single'),
  (2, 'sme_ceiling', 1000, 40000, NULL, '<', 'or'),
  (2, 'medium', 300, 2000, NULL, '>=', 'and'),
  (2, 'small', 20, 300, NULL, '>=', 'and'),
  (2, 'micro', 20, 300, NULL, '<', 'or'),
  (3, 'sme_ceiling', NULL, 80000, 80000, '<', 'or'),
  (3, 'medium', NULL, 6000, 5000, '>=', 'and'),
  (3, 'small', NULL, 300, 300, '>=', 'and'),
  (3, 'micro', NULL, 300, 300, '<', 'or'),
  (4, 'sme_ceiling', 200, 40000, NULL, '<', 'or'),
  (4, 'medium', 20, 5000, NULL, '>=', 'and'),
  (4, 'small', 5, 1000, NULL, '>=', 'and'),
  (4, 'micro', 5, 1000, NULL, '<', 'or'),
  (5, 'sme_ceiling', 300, 20000, NULL, '<', 'or'),
  (5, 'medium', 50, 500, NULL, '>=', 'and'),
  (5, 'small', 10, 100, NULL, '>=', 'and'),
  (5, 'micro', 10, 100, NULL, '<', 'or'),
  (6, 'sme_ceiling', 1000, 30000, NULL, '<', 'or'),
  (6, 'medium', 300, 3000, NULL, '>=', 'and'),
  (6, 'small', 20, 200, NULL, '>=', 'and'),
  (6, 'micro', 20, 200, NULL, '<', 'or'),
  (7, 'sme_ceiling', 200, 30000, NULL, '<', 'or'),
  (7, 'medium', 100, 1000, NULL, '>=', 'and'),
  (7, 'small', 20, 100, NULL, '>=', 'and'),
  (7, 'micro', 20, 100, NULL, '<', 'or'),
  (8, 'sme_ceiling', 1000, 30000, NULL, '<', 'or'),
  (8, 'medium', 300, 2000, NULL, '>=', 'and'),
  (8, 'small', 20, 100, NULL, '>=', 'and'),
  (8, 'micro', 20, 100, NULL, '<', 'or'),
  (9, 'sme_ceiling', 300, 10000, NULL, '<', 'or'),
  (9, 'medium', 100, 2000, NULL, '>=', 'and'),
  (9, 'small', 10, 100, NULL, '>=', 'and'),
  (9, 'micro', 10, 100, NULL, '<', 'or'),
  (10, 'sme_ceiling', 300, 10000, NULL, '<', 'or'),
  (10, 'medium', 100, 2000, NULL, '>=', 'and'),
  (10, 'small', 10, 100, NULL, '>=', 'and'),
  (10, 'micro', 10, 100, NULL, '<', 'or'),
  (11, 'sme_ceiling', 2000, 100000, NULL, '<', 'or'),
  (11, 'medium', 100, 1000, NULL, '>=', 'and'),
  (11, 'small', 10, 100, NULL, '>=', 'and'),
  (11, 'micro', 10, 100, NULL, '<', 'or'),
  (12, 'sme_ceiling', 300, 10000, NULL, '<', 'or'),
  (12, 'medium', 100, 1000, NULL, '>=', 'and'),
  (12, 'small', 10, 50, NULL, '>=', 'and'),
  (12, 'micro', 10, 50, NULL, '<', 'or'),
  (13, 'sme_ceiling', NULL, 200000, 10000, '<', 'or'),
  (13, 'medium', NULL, 1000, 5000, '>=', 'and'),
  (13, 'small', NULL, 100, 2000, '>=', 'and'),
  (13, 'micro', NULL, 100, 2000, '<', 'or'),
  (14, 'sme_ceiling', 1000, 5000, NULL, '<', 'or'),
  (14, 'medium', 300, 1000, NULL, '>=', 'and'),
  (14, 'small', 100, 500, NULL, '>=', 'and'),
  (14, 'micro', 100, 500, NULL, '<', 'or'),
  (15, 'sme_ceiling', 300, NULL, 120000, '<', 'or'),
  (15, 'medium', 100, NULL, 8000, '>=', 'and'),
  (15, 'small', 10, NULL, 100, '>=', 'and'),
  (15, 'micro', 10, NULL, 100, '<', 'or'),
  (16, 'sme_ceiling', 300, NULL, NULL, '<', 'single'),
  (16, 'medium', 100, NULL, NULL, '>=', 'single'),
  (16, 'small', 10, NULL, NULL, '>=', 'single'),
  (16, 'micro', 10, NULL, NULL, '<', 'single')
ON DUPLICATE KEY UPDATE industry_no = industry_no;
