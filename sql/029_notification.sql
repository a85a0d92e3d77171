-- 029: notices of the events that need someone's action, and the mail queue
-- behind them (src/steps/notify/notify.h).
--
-- A step writes its notices in the transaction of its change, so a notice
-- exists exactly when the change does.  The row is also the mail's place in
-- the queue: mail_state 'pending' when mail is configured and the recipient
-- has an address; `biaogan-admin mail send` (a systemd timer) delivers it
-- through the local sendmail and records the outcome here, so a mail
-- failure never blocks or undoes a step.
--
-- dedupe names a reminder that must be given once (a deadline in three
-- working days: "due:batch:7:2026-12-08 17:00"); event notices leave it NULL.
CREATE TABLE IF NOT EXISTS notification (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  kind VARCHAR(32) NOT NULL,
  subject VARCHAR(300) NOT NULL,
  link VARCHAR(200) NOT NULL,
  dedupe VARCHAR(100) NULL,
  read_at DATETIME NULL,
  mail_state ENUM('none', 'pending', 'sent', 'failed') NOT NULL DEFAULT 'none',
  mail_attempts TINYINT UNSIGNED NOT NULL DEFAULT 0,
  mail_next_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  mail_sent_at DATETIME NULL,
  mail_error VARCHAR(200) NULL,
  UNIQUE KEY uq_notification_dedupe (account_id, dedupe),
  KEY ix_notification_inbox (account_id, id),
  KEY ix_notification_unread (account_id, read_at, id),
  KEY ix_notification_mail (mail_state, mail_next_at),
  CONSTRAINT fk_notification_account FOREIGN KEY (account_id) REFERENCES account (id)
    ON DELETE CASCADE,
  CONSTRAINT ck_notification_link CHECK (link LIKE '/%')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A staff account's own mail address (biaogan-admin user email LOGIN ADDR).
-- Enterprises and experts already have theirs (enterprise.email,
-- expert.email); this one, when set, comes first.
ALTER TABLE account ADD COLUMN IF NOT EXISTS email VARCHAR(254) NULL;
