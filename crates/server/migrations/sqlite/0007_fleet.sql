-- Every change to the stations riders see, in commit order: each server instance polls this
-- log and updates its in-memory index, so a status written through one instance is served by
-- every other. `station_id` NULL means "reload everything" (a seed, an import, the union tree).
-- Writers hold the write lock, so sequence order is commit order.
CREATE TABLE station_changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    station_id  TEXT,
    at          BIGINT NOT NULL
);
CREATE INDEX station_changes_at ON station_changes(at);

-- Reports in the order they arrived, for inboxes (several can share a second); set under the
-- write lock as one more than the largest.
ALTER TABLE reports ADD COLUMN seq BIGINT;
UPDATE reports SET seq = rowid;
CREATE INDEX reports_seq ON reports(seq);

-- Staff station tables page through a union's stations in (union, id) order.
CREATE INDEX stations_union_id ON stations(union_id, id);
