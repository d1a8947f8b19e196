-- When RiskMesh learnt each batch (SQLite). Idempotent: safe to apply on every start.
-- known_day is the RiskMesh clock's day (DateOnly.DayNumber) when the batch was accepted: its knowledge day.
-- ?asKnownOn=d reads an entity's journal rows whose batch has known_day <= d. Rows of batches journaled before this
-- table existed have no entry and count as known on their event day.
CREATE TABLE IF NOT EXISTS riskmesh_batch_known
(
    batch_id    INTEGER PRIMARY KEY,
    known_day   INTEGER NOT NULL
);
