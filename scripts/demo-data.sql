-- Demo data beyond the accounts (scripts/stack up --demo): the enterprise
-- profile of the demo enterprise account ent1, so the application step can be
-- tried at once.  Data only; safe to run again.  The credit code is made up
-- for Harbin (230100) and carries a valid GB 32100 check character.
INSERT IGNORE INTO enterprise (account_id, name, uscc, city_code, address, legal_rep,
                               contact_name, mobile, email, ent_type)
SELECT id, '哈尔滨示范企业有限公司', '91230100MA1B2C3D49', '230100', '哈尔滨市南岗区示范路1号',
       '张示范', '李联系', '13800000000', 'demo@example.com', 'llc'
FROM account WHERE login = 'ent1' AND role = 'enterprise';
-- A demo enterprise loaded before sql/010 has no type yet.
UPDATE enterprise e JOIN account a ON a.id = e.account_id SET e.ent_type = 'llc'
WHERE a.login = 'ent1' AND e.ent_type IS NULL;
