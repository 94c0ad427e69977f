-- PostgreSQL twin of ../sqlite/0002_reports.sql: the same tables, in PostgreSQL's words.
-- Rider reports on a station ("this is right", or a fault), kept for the manager's inbox.
-- Reports are anonymous: the device and the address are stored only as salted hashes, which is
-- all the hourly rate limits need.
CREATE TABLE reports (
    id            TEXT PRIMARY KEY NOT NULL,
    station_id    TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL
                  CHECK (kind IN ('confirm', 'closed_when_open', 'amenity_broken', 'other')),
    amenity       TEXT,
    text          TEXT,
    device_hash   TEXT,
    address_hash  TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    resolved_at   BIGINT,
    reply         TEXT
);

-- One report per device per station per hour; also serves a station's inbox.
CREATE INDEX reports_device ON reports(station_id, device_hash, created_at);
-- At most so many reports per address per hour.
CREATE INDEX reports_address ON reports(address_hash, created_at);

-- Server-side secrets made once per database, e.g. the salt for the hashes above. Kept in the
-- database so a restart neither forgets rate limits nor needs a new setting.
CREATE TABLE secrets (
    name   TEXT PRIMARY KEY NOT NULL,
    value  BYTEA NOT NULL
);

-- 32 random bytes: two version-4 UUIDs (122 random bits each, from a strong source).
INSERT INTO secrets (name, value)
    VALUES ('report_salt', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
