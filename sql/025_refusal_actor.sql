-- 025: a refusal's source may name the log-in name typed by nobody logged in
-- (a failed login with an unknown name, src/core/audit.c): 32 characters.
ALTER TABLE audit_refusal_count MODIFY actor VARCHAR(40) NOT NULL;
