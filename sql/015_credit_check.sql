-- 015: credit checks of recommended enterprises (第十二条: the province drafts
-- its list "根据评审组意见和企业信用情况").  Two kinds: the dishonest judgment
-- debtor list (失信被执行人) and the list of serious violations (严重违法失信名单).
-- Recorded by the city bureau or the province (recorded_role) with who did it;
-- never changed (append-only): a newer check is a new row, and the newest
-- check date of each kind is the one that counts (src/rules/credit.h).
-- Written by src/steps/recommend/recommend.c.
CREATE TABLE IF NOT EXISTS credit_check (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  application_id BIGINT NOT NULL,
  kind ENUM('dishonest_debtor','serious_violation') NOT NULL,
  result ENUM('clear','listed') NOT NULL,   -- clear: not listed
  checked_on DATE NOT NULL,
  note VARCHAR(200) NOT NULL DEFAULT '',
  recorded_by BIGINT NOT NULL,
  recorded_role ENUM('city','province') NOT NULL,
  recorded_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ix_credit_application (application_id, kind, checked_on, id),
  CONSTRAINT fk_credit_application FOREIGN KEY (application_id) REFERENCES application (id),
  CONSTRAINT fk_credit_account FOREIGN KEY (recorded_by) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER IF NOT EXISTS credit_check_no_update BEFORE UPDATE ON credit_check
  FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'credit checks are append-only';
CREATE TRIGGER IF NOT EXISTS credit_check_no_delete BEFORE DELETE ON credit_check
  FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'credit checks are append-only';
