-- RiskMesh's durable ingest journal (PostgreSQL). Idempotent: safe to apply more than once.
-- Each accepted event is one row; (source, event_id) is unique, which is what makes ingestion idempotent
-- across restarts. Rows are scoped by the Orleans service id, so services may share one database. Grains replay their rows with seq at or above their checkpoint's replay floor.
CREATE TABLE IF NOT EXISTS riskmesh_journal
(
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id  TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    event_day   INTEGER NOT NULL,
    payload     TEXT    NOT NULL,
    batch_id    BIGINT  NOT NULL,
    UNIQUE (service_id, source, event_id)
);

CREATE INDEX IF NOT EXISTS ix_riskmesh_journal_entity ON riskmesh_journal (service_id, entity, seq);

-- One row per acknowledged batch; applied once every grain it touched has folded it in.
CREATE TABLE IF NOT EXISTS riskmesh_batch
(
    batch_id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id  TEXT    NOT NULL,
    first_seq   BIGINT  NOT NULL,
    last_seq    BIGINT  NOT NULL,
    applied     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_riskmesh_batch_unapplied ON riskmesh_batch (service_id, applied, first_seq);

-- The webhook registry lists the cities whose outbox has a stored state at each of its activations (StoredGrainKeys):
-- by type, it reads those rows only, not every grain's state, which at 100,000 entities is the whole table.
CREATE INDEX IF NOT EXISTS ix_riskmesh_grain_state_type ON orleans_grain_state (service_id, grain_type);
