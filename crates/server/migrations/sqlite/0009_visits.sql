-- "我到了": riders' visits to stations, counted per station per hour (the Unix time of the hour's
-- start). Nothing about who visited is kept beyond the hour: `visit_marks` holds, for the hour
-- only, a hash of the device id with a salt that changes daily (one visit per device, station
-- and hour) and a salted hash of the address (a limit per address), and the purge deletes it.
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
