-- 006: uploaded files are stored in pieces (src/attachments.c).
--
-- A file may be 20 MiB (config upload_max_bytes) but one packet between the
-- programs and MariaDB is at most max_allowed_packet (16 MiB by default in
-- MariaDB 10.11), both when a row is inserted and when it is read back.  So
-- the bytes go into attachment_chunk, ATT_CHUNK_BYTES (1 MiB) a row, in
-- order of seq, and attachment keeps what describes the file (name, real
-- type, size, SHA-256).  attachment.content becomes optional: rows written
-- before this migration keep their bytes there and are read from it.
--
-- Safe to run twice: CREATE TABLE IF NOT EXISTS; MODIFY to the same type.
ALTER TABLE attachment MODIFY content LONGBLOB NULL;

CREATE TABLE IF NOT EXISTS attachment_chunk (
  attachment_id BIGINT NOT NULL,
  seq INT NOT NULL,
  data MEDIUMBLOB NOT NULL,
  PRIMARY KEY (attachment_id, seq),
  CONSTRAINT fk_attachment_chunk FOREIGN KEY (attachment_id) REFERENCES attachment (id)
    ON DELETE CASCADE,
  CONSTRAINT ck_attachment_chunk_seq CHECK (seq >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
