-- A city's response side (PostgreSQL), written by ResponseStorage instead of the ADO.NET provider's one row of JSON.
-- Idempotent: safe to apply more than once.
-- riskmesh_response holds what a city rewrites with every change (its escalation, timeline, plans and notice counters)
-- and the version that is the state's ETag; head is NULL once the state is cleared (the version goes on).
-- riskmesh_response_notice holds each kept notice as its own row, inserted when issued, updated when acknowledged and
-- deleted when it falls out of the newest 2,000: a write carries only what changed, however many notices a city keeps.
-- A city with no row here is read once from its row in orleans_grain_state (grain_type 'city/response'), which the
-- earlier versions wrote; its first write here supersedes that row.
CREATE TABLE IF NOT EXISTS riskmesh_response
(
    service_id  TEXT    NOT NULL,
    grain_id    TEXT    NOT NULL,
    version     BIGINT  NOT NULL,
    head        TEXT    NULL,
    PRIMARY KEY (service_id, grain_id)
);

CREATE TABLE IF NOT EXISTS riskmesh_response_notice
(
    service_id  TEXT    NOT NULL,
    grain_id    TEXT    NOT NULL,
    seq         BIGINT  NOT NULL,
    notice      TEXT    NOT NULL,
    PRIMARY KEY (service_id, grain_id, seq)
);
