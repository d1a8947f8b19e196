-- RiskMesh's durable ingest journal (SQLite). Idempotent: safe to apply on every start.
-- Each accepted event is one row; (source, event_id) is unique, which is what makes ingestion idempotent
-- across restarts. Rows are scoped by the Orleans service id, so services may share one database. Grains replay their rows with seq at or above their checkpoint's replay floor.
CREATE TABLE IF NOT EXISTS riskmesh_journal
(
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id  TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    event_day   INTEGER NOT NULL,
    payload     TEXT    NOT NULL,
    batch_id    INTEGER NOT NULL,
    UNIQUE (service_id, source, event_id)
);

CREATE INDEX IF NOT EXISTS ix_riskmesh_journal_entity ON riskmesh_journal (service_id, entity, seq);

-- One row per acknowledged batch; applied = 1 once every grain it touched has folded it in.
-- The lowest first_seq of an unapplied batch is the replay floor that grain checkpoints record.
CREATE TABLE IF NOT EXISTS riskmesh_batch
(
    batch_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id  TEXT    NOT NULL,
    first_seq   INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL,
    applied     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_riskmesh_batch_unapplied ON riskmesh_batch (service_id, applied, first_seq);

-- The webhook registry lists the cities whose outbox has a stored state at each of its activations (StoredGrainKeys):
-- by type, it reads those rows only, not every grain's state, which at 100,000 entities is the whole table.
CREATE INDEX IF NOT EXISTS ix_riskmesh_grain_state_type ON orleans_grain_state (service_id, grain_type);
