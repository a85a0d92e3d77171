-- 028: the life of each application as it happened (src/steps/intake/app_status.h).
-- app_status_move() writes one row per change of application.status, in the
-- transaction of the change, so the timeline on the application's page can
-- never show a step that was rolled back or miss one that was made.  The
-- actor is the organisation's part in the lifecycle (enterprise, city,
-- province, chair), not a person: the page is the enterprise's too, and who
-- did what by name is in the audit log.
CREATE TABLE IF NOT EXISTS application_event (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  application_id BIGINT NOT NULL,
  at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  event VARCHAR(24) NOT NULL,
  from_status VARCHAR(24) NOT NULL,
  to_status VARCHAR(24) NOT NULL,
  actor VARCHAR(16) NOT NULL,
  KEY ix_application_event_app (application_id, id),
  CONSTRAINT fk_application_event_app FOREIGN KEY (application_id) REFERENCES application (id)
    ON DELETE CASCADE,
  CONSTRAINT ck_application_event_actor CHECK (actor IN ('enterprise', 'city', 'province', 'chair'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
