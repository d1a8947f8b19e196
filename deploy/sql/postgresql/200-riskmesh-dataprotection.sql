-- The ASP.NET data-protection key ring of a cluster (PostgreSQL). Idempotent: safe to apply more than once.
-- One row per key or revocation XML element, written by whichever node creates it and read by every node, so a
-- session cookie issued by one API node reads on another and webhook secrets encrypted by one silo decrypt on any.
-- Rows are scoped by the Orleans service id, like the journal. Keys are kept unencrypted here, as they were in the
-- file ring before: only RiskMesh's own role (the owner of these tables) may read them, never PUBLIC.
CREATE TABLE IF NOT EXISTS riskmesh_dataprotection_keys
(
    service_id    TEXT        NOT NULL,
    friendly_name TEXT        NOT NULL,
    xml           TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, friendly_name)
);

REVOKE ALL ON riskmesh_dataprotection_keys FROM PUBLIC;
