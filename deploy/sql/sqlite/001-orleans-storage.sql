-- RiskMesh: Orleans ADO.NET grain storage on SQLite (invariant System.Data.SQLite).
--
-- Written by RiskMesh for the contract of Microsoft.Orleans.Persistence.AdoNet 10.4.2:
--   * the provider reads its SQL from OrleansQuery(QueryKey, QueryText), keys
--     WriteToStorageKey, ReadFromStorageKey, ClearStorageKey and DeleteStorageKey;
--   * it binds @GrainIdHash, @GrainTypeHash (int), @GrainIdN0, @GrainIdN1 (bigint),
--     @GrainTypeString, @GrainIdExtensionString (text, may be NULL), @ServiceId (text),
--     and for writes @GrainStateVersion (int, NULL for a grain that has no row yet)
--     and @PayloadBinary (blob);
--   * a read returns at most one row with columns PayloadBinary and Version;
--   * write, clear and delete return one row with the new version (NewGrainStateVersion)
--     when they applied, and no row when the caller's version was stale: the provider
--     then raises InconsistentStateException.
--
-- Idempotent: safe to run on every start and by several processes.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id      TEXT    NOT NULL,
    grain_type      TEXT    NOT NULL,
    grain_type_hash INTEGER NOT NULL,
    grain_id_hash   INTEGER NOT NULL,
    grain_id_n0     INTEGER NOT NULL,
    grain_id_n1     INTEGER NOT NULL,
    grain_key_ext   TEXT    NULL,
    payload         BLOB    NULL,
    version         INTEGER NOT NULL,
    modified_on     TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- One row per grain. The hashes lead so a lookup narrows fast; the clear-text columns
-- settle hash collisions. A missing key extension and an empty one are the same
-- grain in Orleans, hence the IFNULL.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleans_grain_state_identity
    ON orleans_grain_state (grain_id_hash, grain_type_hash, service_id, grain_id_n0, grain_id_n1, grain_type, IFNULL(grain_key_ext, ''));

-- Writes commit without waiting for the disk (synchronous = NORMAL, set on the connection
-- first); RiskMesh's storage then awaits a group commit (SqliteGroupCommit, table riskmesh_sync)
-- whose one fsync makes every write before it durable, before the write is reported done.
--
-- A write is either the first one for the grain (no version yet: insert version 1,
-- nothing if a row already exists) or an update of the exact version the grain read
-- (nothing if the row is missing or at another version). One statement does both: its
-- SELECT offers a row when there is no version, or when the grain's row exists (then it
-- conflicts and becomes the update, which applies only at the version read). Microsoft.Data.Sqlite
-- binds every parameter to every statement of a command by trying each name with each of
-- its prefixes, so a statement less is a third less of that work on every write.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
PRAGMA synchronous = NORMAL;
INSERT INTO orleans_grain_state
       (service_id, grain_type, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_key_ext, payload, version)
SELECT @ServiceId, @GrainTypeString, @GrainTypeHash, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
 WHERE @GrainStateVersion IS NULL
    OR EXISTS (SELECT 1 FROM orleans_grain_state
                WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
                  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
                  AND grain_key_ext IS @GrainIdExtensionString)
ON CONFLICT DO UPDATE
   SET payload = excluded.payload,
       version = orleans_grain_state.version + 1,
       modified_on = CURRENT_TIMESTAMP
 WHERE orleans_grain_state.version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT payload AS PayloadBinary,
       version AS Version
  FROM orleans_grain_state
 WHERE grain_id_hash = @GrainIdHash
   AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_type = @GrainTypeString
   AND grain_key_ext IS @GrainIdExtensionString;
');

-- Clearing keeps the row and its version history, so a stale writer still conflicts.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
PRAGMA synchronous = NORMAL;
UPDATE orleans_grain_state
   SET payload = NULL,
       version = version + 1,
       modified_on = CURRENT_TIMESTAMP
 WHERE grain_id_hash = @GrainIdHash
   AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_type = @GrainTypeString
   AND grain_key_ext IS @GrainIdExtensionString
   AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;
');

-- Used when DeleteStateOnClear is set: the provider expects the deleted version + 1 back.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', '
PRAGMA synchronous = NORMAL;
DELETE FROM orleans_grain_state
 WHERE grain_id_hash = @GrainIdHash
   AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_type = @GrainTypeString
   AND grain_key_ext IS @GrainIdExtensionString
   AND version = @GrainStateVersion
RETURNING version + 1 AS NewGrainStateVersion;
');
