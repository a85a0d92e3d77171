-- 010: the enterprise type as printed on the business licence (营业执照
-- "类型"), for article 8 (一) of the measures: an applicant must be an
-- independent legal person, which a "91" credit code does not prove
-- (branches, sole proprietorships and partnerships get 91 codes too).
-- The closed list and what each value means are src/steps/intake/enterprise.c's
-- (enterprise_types); "other" keeps the licence's words in ent_type_other and
-- goes to the city bureau for a decision.  Existing enterprises have none
-- (NULL): their eligibility checklist asks for it before a submit.
ALTER TABLE enterprise
  ADD COLUMN IF NOT EXISTS ent_type ENUM('llc','joint_stock','state_sole','collective',
    'joint_coop','foreign','branch','sole_prop','partnership','other') NULL
    AFTER uscc_check_override,
  ADD COLUMN IF NOT EXISTS ent_type_other VARCHAR(50) NULL AFTER ent_type;
