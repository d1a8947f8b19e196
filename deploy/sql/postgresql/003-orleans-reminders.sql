-- RiskMesh: Orleans ADO.NET reminders on PostgreSQL (invariant Npgsql).
--
-- Written by RiskMesh for the contract of Microsoft.Orleans.Reminders.AdoNet 10.4.2.
-- The provider loads every row of OrleansQuery and requires these seven keys:
--   UpsertReminderRowKey, ReadReminderRowsKey, ReadReminderRowKey, ReadRangeRows1Key,
--   ReadRangeRows2Key, DeleteReminderRowKey, DeleteReminderRowsKey.
-- Parameters it binds (by name): @ServiceId, @GrainId (text), @ReminderName, @StartTime
-- (timestamptz, UTC), @Period (milliseconds: int, or bigint past int range), @GrainHash,
-- @BeginHash, @EndHash (the uint ring hash cast to int), @Version (the reminder's etag).
-- Reminder rows are read as GrainId, ReminderName, StartTime, Period (bigint) and Version.
--
-- Idempotent: CREATE ... IF NOT EXISTS and upserts of query rows.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Each silo reads the reminders whose grain hash falls in its slice of the ring.
CREATE INDEX IF NOT EXISTS ix_orleans_reminder_ring
    ON orleans_reminder (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', $sql$
INSERT INTO orleans_reminder (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
   SET start_time = EXCLUDED.start_time,
       period_ms = EXCLUDED.period_ms,
       grain_hash = EXCLUDED.grain_hash,
       version = orleans_reminder.version + 1
RETURNING version AS Version;
$sql$),

('ReadReminderRowsKey', $sql$
SELECT grain_id      AS GrainId,
       reminder_name AS ReminderName,
       start_time    AS StartTime,
       period_ms     AS Period,
       version       AS Version
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_id = @GrainId;
$sql$),

('ReadReminderRowKey', $sql$
SELECT grain_id      AS GrainId,
       reminder_name AS ReminderName,
       start_time    AS StartTime,
       period_ms     AS Period,
       version       AS Version
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_id = @GrainId
   AND reminder_name = @ReminderName;
$sql$),

-- The slice (BeginHash, EndHash] when it does not wrap around the ring.
('ReadRangeRows1Key', $sql$
SELECT grain_id      AS GrainId,
       reminder_name AS ReminderName,
       start_time    AS StartTime,
       period_ms     AS Period,
       version       AS Version
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_hash > @BeginHash
   AND grain_hash <= @EndHash;
$sql$),

-- The slice that wraps around the ring: above BeginHash or up to EndHash.
('ReadRangeRows2Key', $sql$
SELECT grain_id      AS GrainId,
       reminder_name AS ReminderName,
       start_time    AS StartTime,
       period_ms     AS Period,
       version       AS Version
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$sql$),

-- Always one row: 1 when the reminder at that version was deleted, 0 otherwise.
('DeleteReminderRowKey', $sql$
WITH deleted AS (
    DELETE FROM orleans_reminder
     WHERE service_id = @ServiceId
       AND grain_id = @GrainId
       AND reminder_name = @ReminderName
       AND version = @Version
    RETURNING 1
)
SELECT count(*)::integer AS Deleted FROM deleted;
$sql$),

('DeleteReminderRowsKey', $sql$
DELETE FROM orleans_reminder
 WHERE service_id = @ServiceId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
