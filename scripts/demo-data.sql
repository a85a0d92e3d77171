-- Demo data beyond the accounts (scripts/stack up --demo): the enterprise
-- profile of the demo enterprise account ent1, so the application step can be
-- tried at once.  Data only; safe to run again.  The credit code is made up
-- for Harbin (230100) and carries a valid GB 32100 check character.
INSERT IGNORE INTO enterprise (account_id, name, uscc, city_code, address, legal_rep,
                               contact_name, mobile, email)
SELECT id, '哈尔滨示范企业有限公司', '91230100MA1B2C3D49', '230100', '哈尔滨市南岗区示范路1号',
       '张示范', '李联系', '13800000000', 'demo@example.com'
FROM account WHERE login = 'ent1' AND role = 'enterprise';
