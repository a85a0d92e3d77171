-- 026: the second factor's secret sealed with a key the database never
-- holds (config totp_seal_key; src/steps/accounts/mfa.c): version, nonce,
-- ciphertext and tag take 61 bytes; an unsealed one stays 20.
ALTER TABLE account_totp MODIFY secret VARBINARY(96) NOT NULL;
