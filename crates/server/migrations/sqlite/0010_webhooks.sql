-- Each union's group-chat robot (群机器人): new fault reports on its stations and stations gone
-- stale are posted there (crates/server/src/webhook.rs).
CREATE TABLE union_webhooks (
    union_id    TEXT PRIMARY KEY NOT NULL REFERENCES unions(id),
    url         TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('wecom', 'dingtalk', 'json')),
    updated_at  BIGINT NOT NULL
);

-- Posts to make, made and given up. At most one per union, station and hour (the unique key;
-- a test post has no station and is never folded). A post is claimed by moving `next_at` past
-- the request's timeout, so a server that dies mid-post leaves it to be tried again.
CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    union_id     TEXT NOT NULL REFERENCES unions(id),
    station_id   TEXT REFERENCES stations(id),
    event        TEXT NOT NULL CHECK (event IN ('report', 'stale', 'test')),
    detail       TEXT NOT NULL,
    hour         BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      BIGINT NOT NULL,
    sent_at      BIGINT,
    failed_at    BIGINT,
    last_status  INTEGER,
    UNIQUE (union_id, station_id, hour)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_deliveries_union ON webhook_deliveries(union_id, created_at);

-- How far the stale scan has looked (one row): a station whose status expired after it is
-- posted on the next scan, also by another instance or after a restart.
CREATE TABLE webhook_scan (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    scanned_to  BIGINT NOT NULL
);

-- The stale scan reads the statuses that expired since the last scan.
CREATE INDEX stations_expires ON stations(expires_at);
