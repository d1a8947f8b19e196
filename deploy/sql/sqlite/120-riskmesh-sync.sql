-- Group commit (SQLite): writers commit at synchronous = NORMAL, then one small write at synchronous = FULL
-- to this row syncs the write-ahead log, which makes every transaction committed before it durable.
-- Idempotent: safe to apply on every start.
CREATE TABLE IF NOT EXISTS riskmesh_sync
(
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    syncs  INTEGER NOT NULL
);

INSERT OR IGNORE INTO riskmesh_sync (id, syncs) VALUES (1, 0);
