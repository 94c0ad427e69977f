-- Union membership applications from /join. Personal fields (name, phone, employer, occupation,
-- work district) are erased ('' / NULL) when the applicant withdraws; the row then keeps only
-- its reference and status `withdrawn` until the purge job deletes it. Decided applications are
-- deleted once they are older than YIZHAN_APPLICATION_RETENTION after their decision.
CREATE TABLE applications (
    id                TEXT PRIMARY KEY NOT NULL,
    -- e.g. BJ-7K3Q-9DXW: 40 random bits, never sequential.
    reference         TEXT NOT NULL UNIQUE,
    union_id          TEXT NOT NULL REFERENCES unions(id),
    station_id        TEXT REFERENCES stations(id),
    district          TEXT,
    name              TEXT NOT NULL,
    phone             TEXT NOT NULL,
    -- Salted hash of the phone: finds another pending application of the same phone at the
    -- same union without scanning plaintext. NULL once withdrawn.
    phone_hash        TEXT,
    -- Salted hash of reference + phone: lets the applicant (and only them) look the application
    -- up, also after withdrawal, without linking it to their other applications.
    lookup_hash       TEXT NOT NULL,
    employer          TEXT NOT NULL,
    employer_other    TEXT,
    occupation        TEXT NOT NULL,
    occupation_other  TEXT,
    work_district     TEXT NOT NULL,
    policy_version    TEXT NOT NULL,
    consented_at      BIGINT NOT NULL,
    status            TEXT NOT NULL
                      CHECK (status IN ('submitted', 'under_review', 'approved', 'rejected', 'withdrawn')),
    reason            TEXT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    decided_at        BIGINT,
    decided_by        TEXT,
    -- A retry with the same Idempotency-Key gets the first answer. NULLs never collide.
    idempotency_key   TEXT UNIQUE,
    -- Salted hash of the client address, for the hourly limit; cleared after a day.
    address_hash      TEXT
);

-- One pending application per phone per union: the duplicate check, race-free.
CREATE UNIQUE INDEX applications_pending_phone ON applications(union_id, phone_hash)
    WHERE status IN ('submitted', 'under_review');
CREATE INDEX applications_union ON applications(union_id, created_at);
CREATE INDEX applications_station ON applications(station_id);
CREATE INDEX applications_address ON applications(address_hash, created_at);
CREATE INDEX applications_decided ON applications(decided_at);

-- The applicant's timeline: one row per status change. `note` carries the union's reason on a
-- `rejected` step (erased on withdrawal).
CREATE TABLE application_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id  TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    at              BIGINT NOT NULL,
    status          TEXT NOT NULL,
    note            TEXT
);

CREATE INDEX application_events_application ON application_events(application_id, id);

-- Failed lookups (and refused duplicates), by salted hash of the reference or of the address,
-- for the limits that stop guessing. Rows older than a day are purged.
CREATE TABLE lookup_failures (
    key_hash  TEXT NOT NULL,
    at        BIGINT NOT NULL
);

CREATE INDEX lookup_failures_key ON lookup_failures(key_hash, at);
