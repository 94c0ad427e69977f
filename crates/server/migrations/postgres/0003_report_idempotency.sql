-- PostgreSQL twin of ../sqlite/0003_report_idempotency.sql: the same tables, in PostgreSQL's words.
-- A report sent again with the same Idempotency-Key (an offline outbox retrying) gets the
-- first answer instead of a second report. NULLs (no key) never collide.
ALTER TABLE reports ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX reports_idempotency ON reports(idempotency_key);
