-- Station managers and union admins. Passwords are Argon2id PHC strings, never the password.
CREATE TABLE accounts (
    id             TEXT PRIMARY KEY NOT NULL,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('manager', 'admin')),
    union_id       TEXT NOT NULL REFERENCES unions(id),
    password_hash  TEXT NOT NULL,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     BIGINT NOT NULL
);

CREATE TABLE account_stations (
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    station_id  TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, station_id)
);

-- Sessions are looked up by the SHA-256 of the cookie, so a leaked database cannot be replayed.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY NOT NULL,
    account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL
);

CREATE INDEX sessions_account ON sessions(account_id);

-- Failed sign-ins, by salted hash of the username and of the address, for the lockouts.
CREATE TABLE sign_in_failures (
    key_hash  TEXT NOT NULL,
    at        BIGINT NOT NULL
);

CREATE INDEX sign_in_failures_key ON sign_in_failures(key_hash, at);

-- Every change to a station, account or setting: who, when, before and after (JSON).
-- Append-only: the triggers refuse to change or remove history.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         BIGINT NOT NULL,
    union_id   TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    before     TEXT,
    after      TEXT
);

CREATE INDEX audit_log_union ON audit_log(union_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
