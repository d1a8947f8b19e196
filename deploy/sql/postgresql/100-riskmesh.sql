-- RiskMesh's durable ingest journal (PostgreSQL). Idempotent: safe to apply more than once.
-- Each accepted event is one row; (source, event_id) is unique, which is what makes ingestion idempotent
-- across restarts. Grains replay their rows with seq at or above their checkpoint's replay floor.
CREATE TABLE IF NOT EXISTS riskmesh_journal
(
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source      TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    event_day   INTEGER NOT NULL,
    payload     TEXT    NOT NULL,
    batch_id    BIGINT  NOT NULL,
    UNIQUE (source, event_id)
);

CREATE INDEX IF NOT EXISTS ix_riskmesh_journal_entity ON riskmesh_journal (entity, seq);

-- One row per acknowledged batch; applied once every grain it touched has folded it in.
CREATE TABLE IF NOT EXISTS riskmesh_batch
(
    batch_id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_seq   BIGINT  NOT NULL,
    last_seq    BIGINT  NOT NULL,
    applied     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_riskmesh_batch_unapplied ON riskmesh_batch (applied, first_seq);
