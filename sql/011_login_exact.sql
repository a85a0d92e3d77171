-- 011: log-in names compare exactly (issue 7).
-- Until now account.login used utf8mb4_unicode_ci, so "DAQING", "daqing "
-- (PAD SPACE), "ｄａｑｉｎｇ" and "däqing" all found the account daqing.  A
-- typed name now goes through one normalisation (src/core/auth.h,
-- auth_login_canonical: ASCII blanks around it dropped, A-Z lowered) and is
-- then compared byte for byte, which this collation makes the database do
-- too (it also keeps the UNIQUE key exact).
ALTER TABLE account MODIFY login VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;

-- Every program and `biaogan-admin user add` only ever stored canonical
-- names; a row that is not lower case would be unreachable from now on, so
-- lower it.  Under the old case-insensitive UNIQUE key no two rows can
-- differ only in case, so this cannot collide.
UPDATE account SET login = LOWER(login) WHERE login <> LOWER(login);
