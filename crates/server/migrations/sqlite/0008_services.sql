-- Each union's services card (帮帮卡): its own items in order. A station's card is the 12351
-- hotline, then the items of every union above its own, then its own union's.
CREATE TABLE union_services (
    union_id  TEXT NOT NULL REFERENCES unions(id),
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL,
    line      TEXT NOT NULL,
    contact   TEXT NOT NULL,
    PRIMARY KEY (union_id, position)
);
