-- PostgreSQL twin of ../sqlite/0006_safety.sql: the same tables, in PostgreSQL's words.
-- An attempt is counted before its check runs (a reservation, named by `attempt`) and taken
-- back when it succeeds, so parallel guesses cannot slip past a limit.
ALTER TABLE sign_in_failures ADD COLUMN attempt TEXT;
ALTER TABLE lookup_failures ADD COLUMN attempt TEXT;
CREATE INDEX sign_in_failures_attempt ON sign_in_failures(attempt);
CREATE INDEX lookup_failures_attempt ON lookup_failures(attempt);
CREATE INDEX sign_in_failures_at ON sign_in_failures(at);

-- What kind of device a session was opened on ("Android · WeChat"), so its owner can tell
-- their sessions apart and end the ones they do not know. A coarse label, not the user agent.
ALTER TABLE sessions ADD COLUMN device TEXT;
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);

-- Reports keep their salted address and device hashes only while rate limits need them.
CREATE INDEX reports_created ON reports(created_at);

-- Two-step sign-in. The secret is what the authenticator app holds (it must be readable to
-- check codes); `confirmed_at` is NULL while set-up waits for the first code; `last_step` is
-- the time step of the last code accepted, so each code works once.
CREATE TABLE account_totp (
    account_id    TEXT PRIMARY KEY NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    secret        TEXT NOT NULL,
    confirmed_at  BIGINT,
    last_step     BIGINT
);

-- One-time recovery codes, as SHA-256 of the code (80 random bits each).
CREATE TABLE recovery_codes (
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL,
    used_at     BIGINT,
    PRIMARY KEY (account_id, code_hash)
);

-- A status save sent again with the same Idempotency-Key (a phone retrying after a lost
-- answer) gets the first answer, not a second save. Per account; kept two days.
CREATE TABLE status_writes (
    account_id       TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    station_id       TEXT NOT NULL,
    version          BIGINT NOT NULL,
    answer           TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (account_id, idempotency_key)
);
CREATE INDEX status_writes_created ON status_writes(created_at);
