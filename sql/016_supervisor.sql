-- 纪检监督 (annex part two, issue 11): a role that confirms expert draws with
-- its own password and reads draw records and the audit log, changing
-- nothing else.  Like every other account it has no city.
ALTER TABLE account
  MODIFY role ENUM('province','city','expert','enterprise','supervisor') NOT NULL;
