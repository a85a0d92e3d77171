-- 009: a year counts as loaded only when its arrangement is declared
-- complete (issue 7).  Until now one row of a year in calendar_day put the
-- year into calendar_year, so a single date of 2027 entered on the admin
-- page made every working-day computation trust a plain 2027 and silenced
-- the home page's warning.  Now calendar_year lists the years that have
-- dates, and only those with complete = 1 are loaded (src/steps/calendar/
-- calendar_db.c): an administrator declares a year complete on the calendar
-- page (audited; it can be reopened), and `biaogan-admin calendar import`
-- declares the whole years it imports complete.
ALTER TABLE calendar_year
  ADD COLUMN IF NOT EXISTS complete TINYINT(1) NOT NULL DEFAULT 0
    COMMENT '1: the whole arrangement is entered; only then is the year used',
  ADD COLUMN IF NOT EXISTS completed_at DATETIME NULL,
  ADD COLUMN IF NOT EXISTS completed_by BIGINT NULL
    COMMENT 'account.id of the administrator; NULL for the seed or an import';

-- The years seeded from the State Council notices (sql/002) and the years
-- imported whole by the operator tool are complete; a year that only got
-- dates on the admin page is not, until an administrator says so.
UPDATE calendar_year SET complete = 1, completed_at = loaded_at
  WHERE complete = 0
    AND (year BETWEEN 2020 AND 2026 OR source LIKE 'biaogan-admin calendar import %');
