-- PostgreSQL twin of ../sqlite/0009_visits.sql.
CREATE TABLE visits (
    station_id  TEXT NOT NULL REFERENCES stations(id),
    hour        BIGINT NOT NULL,
    count       BIGINT NOT NULL,
    PRIMARY KEY (station_id, hour)
);
CREATE TABLE visit_marks (
    mark          TEXT PRIMARY KEY NOT NULL,
    address_hash  TEXT NOT NULL,
    hour          BIGINT NOT NULL
);
CREATE INDEX visit_marks_address ON visit_marks(address_hash, hour);
