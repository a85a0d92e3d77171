-- 001: cities, accounts, sessions, audit.
-- Every DATETIME is Asia/Shanghai wall time (the connection sets time_zone +08:00).

CREATE TABLE IF NOT EXISTS city (
  code CHAR(6) NOT NULL PRIMARY KEY,          -- GB/T 2260
  name VARCHAR(32) NOT NULL,
  kind ENUM('city','prefecture','provincial') NOT NULL DEFAULT 'city',
  sort_order SMALLINT NOT NULL DEFAULT 0,
  active TINYINT(1) NOT NULL DEFAULT 1
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO city (code, name, kind, sort_order) VALUES
  ('230100', '哈尔滨市', 'city', 1),
  ('230200', '齐齐哈尔市', 'city', 2),
  ('230300', '鸡西市', 'city', 3),
  ('230400', '鹤岗市', 'city', 4),
  ('230500', '双鸭山市', 'city', 5),
  ('230600', '大庆市', 'city', 6),
  ('230700', '伊春市', 'city', 7),
  ('230800', '佳木斯市', 'city', 8),
  ('230900', '七台河市', 'city', 9),
  ('231000', '牡丹江市', 'city', 10),
  ('231100', '黑河市', 'city', 11),
  ('231200', '绥化市', 'city', 12),
  ('232700', '大兴安岭地区', 'prefecture', 13);

CREATE TABLE IF NOT EXISTS account (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  login VARCHAR(32) NOT NULL,
  display_name VARCHAR(64) NOT NULL,
  role ENUM('province','city','expert','enterprise') NOT NULL,
  city_code CHAR(6) NULL,
  password_hash VARCHAR(255) NOT NULL,
  must_change_password TINYINT(1) NOT NULL DEFAULT 1,
  failed_logins INT NOT NULL DEFAULT 0,
  locked_until DATETIME NULL,
  disabled TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  password_changed_at DATETIME NULL,
  last_login_at DATETIME NULL,
  UNIQUE KEY uq_account_login (login),
  KEY ix_account_city (city_code),
  CONSTRAINT fk_account_city FOREIGN KEY (city_code) REFERENCES city (code),
  -- A city bureau user is bound to exactly one city; no other role has one.
  CONSTRAINT ck_account_city CHECK ((role = 'city') = (city_code IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS session (
  token_hash BINARY(32) NOT NULL PRIMARY KEY,  -- SHA-256 of the cookie token
  account_id BIGINT NOT NULL,
  csrf_token CHAR(64) NOT NULL,
  ip VARCHAR(45) NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_seen DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ix_session_account (account_id),
  KEY ix_session_last_seen (last_seen),
  CONSTRAINT fk_session_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only: the programs' database user has no UPDATE or DELETE on it
-- (see docs/deploy.md), and each row chains the previous row's hash.
CREATE TABLE IF NOT EXISTS audit (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  account_id BIGINT NULL,
  login VARCHAR(32) NULL,
  role VARCHAR(16) NOT NULL,
  ip VARCHAR(45) NULL,
  action VARCHAR(64) NOT NULL,
  object_type VARCHAR(32) NULL,
  object_id VARCHAR(64) NULL,
  summary VARCHAR(1000) NOT NULL,
  prev_hash CHAR(64) NOT NULL,
  hash CHAR(64) NOT NULL,
  KEY ix_audit_at (at),
  KEY ix_audit_account (account_id),
  KEY ix_audit_action (action),
  KEY ix_audit_object (object_type, object_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row: the hash of the newest audit row.  Locked FOR UPDATE by each
-- writer, which orders concurrent audit writes into one chain.
CREATE TABLE IF NOT EXISTS audit_head (
  id TINYINT NOT NULL PRIMARY KEY,
  last_hash CHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO audit_head (id, last_hash)
  VALUES (1, '0000000000000000000000000000000000000000000000000000000000000000');
