-- PostgreSQL twin of ../sqlite/0001_stations.sql: the same tables, in PostgreSQL's words.
-- Unions form a tree: city → district → street.
CREATE TABLE unions (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    parent_id  TEXT REFERENCES unions(id)
);

CREATE TABLE stations (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    address       TEXT NOT NULL,
    district      TEXT NOT NULL,
    union_id      TEXT NOT NULL REFERENCES unions(id),
    lat           DOUBLE PRECISION NOT NULL,
    lng           DOUBLE PRECISION NOT NULL,
    hours         TEXT NOT NULL,
    phone         TEXT,
    status_state  TEXT NOT NULL CHECK (status_state IN ('open', 'closed', 'unknown')),
    confirmed_at  BIGINT,
    expires_at    BIGINT,
    notice        TEXT,
    version       BIGINT NOT NULL DEFAULT 1,
    hidden        BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX stations_union ON stations(union_id);

CREATE TABLE station_amenities (
    station_id  TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('ok', 'out_of_order', 'unknown')),
    position    INTEGER NOT NULL,
    PRIMARY KEY (station_id, code)
);
