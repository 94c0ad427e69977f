-- PostgreSQL twin of ../sqlite/0008_services.sql.
CREATE TABLE union_services (
    union_id  TEXT NOT NULL REFERENCES unions(id),
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL,
    line      TEXT NOT NULL,
    contact   TEXT NOT NULL,
    PRIMARY KEY (union_id, position)
);
