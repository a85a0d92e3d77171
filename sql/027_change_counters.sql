-- 027: change counters for the workers' caches (src/core/counter.h).
-- A worker keeps what it would otherwise read on every request (the
-- working-day calendar; the public pages as rendered for anonymous
-- visitors) together with the counter it read before; one primary-key read
-- per request tells whether anything changed.  The counters are bumped by
-- triggers, in the transaction of the change, so no code path can change
-- those tables and leave a cache stale, and a change rolled back bumps
-- nothing.
--   calendar: calendar_day, calendar_year
--   public:   every table a public page shows (publicity notices and
--             items, rounds, cities, the annual lists and certificates,
--             national recommendations, announcements)
CREATE TABLE IF NOT EXISTS change_counter (
  name VARCHAR(16) NOT NULL PRIMARY KEY,
  n BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT IGNORE INTO change_counter (name) VALUES ('calendar'), ('public');
CREATE TRIGGER IF NOT EXISTS calendar_day_ins_counter AFTER INSERT ON calendar_day FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'calendar';
CREATE TRIGGER IF NOT EXISTS calendar_day_upd_counter AFTER UPDATE ON calendar_day FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'calendar';
CREATE TRIGGER IF NOT EXISTS calendar_day_del_counter AFTER DELETE ON calendar_day FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'calendar';
CREATE TRIGGER IF NOT EXISTS calendar_year_ins_counter AFTER INSERT ON calendar_year FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'calendar';
CREATE TRIGGER IF NOT EXISTS calendar_year_upd_counter AFTER UPDATE ON calendar_year FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'calendar';
CREATE TRIGGER IF NOT EXISTS calendar_year_del_counter AFTER DELETE ON calendar_year FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'calendar';
CREATE TRIGGER IF NOT EXISTS publicity_ins_counter AFTER INSERT ON publicity FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS publicity_upd_counter AFTER UPDATE ON publicity FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS publicity_del_counter AFTER DELETE ON publicity FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS publicity_item_ins_counter AFTER INSERT ON publicity_item FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS publicity_item_upd_counter AFTER UPDATE ON publicity_item FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS publicity_item_del_counter AFTER DELETE ON publicity_item FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS selection_round_ins_counter AFTER INSERT ON selection_round FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS selection_round_upd_counter AFTER UPDATE ON selection_round FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS selection_round_del_counter AFTER DELETE ON selection_round FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS city_ins_counter AFTER INSERT ON city FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS city_upd_counter AFTER UPDATE ON city FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS city_del_counter AFTER DELETE ON city FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS benchmark_ins_counter AFTER INSERT ON benchmark FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS benchmark_upd_counter AFTER UPDATE ON benchmark FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS benchmark_del_counter AFTER DELETE ON benchmark FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS national_recommendation_ins_counter AFTER INSERT ON national_recommendation FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS national_recommendation_upd_counter AFTER UPDATE ON national_recommendation FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS national_recommendation_del_counter AFTER DELETE ON national_recommendation FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS announcement_ins_counter AFTER INSERT ON announcement FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS announcement_upd_counter AFTER UPDATE ON announcement FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
CREATE TRIGGER IF NOT EXISTS announcement_del_counter AFTER DELETE ON announcement FOR EACH ROW
  UPDATE change_counter SET n = n + 1 WHERE name = 'public';
