-- RiskMesh: Orleans ADO.NET grain storage on PostgreSQL (invariant Npgsql).
--
-- Written by RiskMesh for the contract of Microsoft.Orleans.Persistence.AdoNet 10.4.2:
--   * the provider reads WriteToStorageKey, ReadFromStorageKey, ClearStorageKey and
--     DeleteStorageKey from OrleansQuery(QueryKey, QueryText);
--   * it binds @GrainIdHash, @GrainTypeHash (int), @GrainIdN0, @GrainIdN1 (bigint),
--     @GrainTypeString, @GrainIdExtensionString (text, may be NULL), @ServiceId (text),
--     and for writes @GrainStateVersion (int, NULL for a grain that has no row yet)
--     and @PayloadBinary (bytea);
--   * a read returns at most one row with columns PayloadBinary and Version;
--   * write, clear and delete return one row with the new version (NewGrainStateVersion)
--     when they applied, and no row when the caller's version was stale: the provider
--     then raises InconsistentStateException.
--
-- Idempotent: CREATE ... IF NOT EXISTS and upserts of query rows.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id      text        NOT NULL,
    grain_type      text        NOT NULL,
    grain_type_hash integer     NOT NULL,
    grain_id_hash   integer     NOT NULL,
    grain_id_n0     bigint      NOT NULL,
    grain_id_n1     bigint      NOT NULL,
    grain_key_ext   text        NULL,
    payload         bytea       NULL,
    version         integer     NOT NULL,
    modified_on     timestamptz NOT NULL DEFAULT now()
);

-- One row per grain. The hashes lead so a lookup narrows fast; the clear-text columns
-- settle hash collisions. A missing key extension and an empty one are the same grain
-- in Orleans, hence the COALESCE; the index also makes a racing first write conflict.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleans_grain_state_identity
    ON orleans_grain_state (grain_id_hash, grain_type_hash, service_id, grain_id_n0, grain_id_n1, grain_type, COALESCE(grain_key_ext, ''));

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
-- A write is either the first one for the grain (no version yet: insert version 1, nothing
-- if a row already exists) or an update of the exact version the grain read; one statement,
-- so both branches see the same snapshot and at most one returns a row.
('WriteToStorageKey', $sql$
WITH updated AS (
    UPDATE orleans_grain_state
       SET payload = @PayloadBinary,
           version = version + 1,
           modified_on = now()
     WHERE grain_id_hash = @GrainIdHash
       AND grain_type_hash = @GrainTypeHash
       AND service_id = @ServiceId
       AND grain_id_n0 = @GrainIdN0
       AND grain_id_n1 = @GrainIdN1
       AND grain_type = @GrainTypeString
       AND grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version
), inserted AS (
    INSERT INTO orleans_grain_state
           (service_id, grain_type, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_key_ext, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainTypeHash, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT version FROM inserted;
$sql$),

('ReadFromStorageKey', $sql$
SELECT payload AS PayloadBinary,
       version AS Version
  FROM orleans_grain_state
 WHERE grain_id_hash = @GrainIdHash
   AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_type = @GrainTypeString
   AND grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString;
$sql$),

-- Clearing keeps the row and its version history, so a stale writer still conflicts.
('ClearStorageKey', $sql$
UPDATE orleans_grain_state
   SET payload = NULL,
       version = version + 1,
       modified_on = now()
 WHERE grain_id_hash = @GrainIdHash
   AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_type = @GrainTypeString
   AND grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString
   AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;
$sql$),

-- Used when DeleteStateOnClear is set: the provider expects the deleted version + 1 back.
('DeleteStorageKey', $sql$
DELETE FROM orleans_grain_state
 WHERE grain_id_hash = @GrainIdHash
   AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_type = @GrainTypeString
   AND grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString
   AND version = @GrainStateVersion
RETURNING version + 1 AS NewGrainStateVersion;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
