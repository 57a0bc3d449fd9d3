-- The queries Orleans' ADO.NET providers run, by key. Parameter names (@Name) and result column
-- names are the contract; each statement is one round trip and atomic on its own (CTEs, no
-- functions). Explicit casts pin parameter types that PostgreSQL could not infer from a NULL.
-- Re-running this file replaces the texts, so upgrades are a re-run.

INSERT INTO orleansquery (querykey, querytext) VALUES

-- ── Clustering ──────────────────────────────────────────────────────────────────────────────
('InsertMembershipVersionKey', '
WITH inserted AS (
    INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1)
SELECT count(*) FROM inserted'),

('InsertMembershipKey', '
WITH bumped AS (
    UPDATE orleansmembershipversiontable SET version = version + 1, timestamp = now()
    WHERE deploymentid = @DeploymentId AND version = @Version
      AND NOT EXISTS (SELECT 1 FROM orleansmembershiptable
                      WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deploymentid),
inserted AS (
    INSERT INTO orleansmembershiptable (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    SELECT deploymentid, @Address, @Port, @Generation, @SiloName, @HostName, @Status, coalesce(@ProxyPort::integer, 0), @StartTime, @IAmAliveTime
    FROM bumped
    RETURNING 1)
SELECT count(*) FROM inserted'),

('UpdateMembershipKey', '
WITH bumped AS (
    UPDATE orleansmembershipversiontable SET version = version + 1, timestamp = now()
    WHERE deploymentid = @DeploymentId AND version = @Version
      AND EXISTS (SELECT 1 FROM orleansmembershiptable
                  WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deploymentid),
updated AS (
    UPDATE orleansmembershiptable m
    SET status = @Status, suspecttimes = @SuspectTimes::varchar, iamalivetime = @IAmAliveTime
    FROM bumped
    WHERE m.deploymentid = bumped.deploymentid AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1)
SELECT count(*) FROM updated'),

('UpdateIAmAlivetimeKey', '
UPDATE orleansmembershiptable SET iamalivetime = @IAmAliveTime
WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation'),

('MembershipReadRowKey', '
SELECT m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime, v.version
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON m.deploymentid = v.deploymentid AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deploymentid = @DeploymentId'),

('MembershipReadAllKey', '
SELECT m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime, v.version
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId'),

('GatewaysQueryKey', '
SELECT address, proxyport, generation FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0'),

('DeleteMembershipTableEntriesKey', '
DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId'),

('CleanupDefunctSiloEntriesKey', '
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND iamalivetime < @IAmAliveTime AND status <> 3'),

-- ── Grain storage ───────────────────────────────────────────────────────────────────────────
('ReadFromStorageKey', '
SELECT payloadbinary, version FROM orleansstorage
WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
  AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1 AND graintypestring = @GrainTypeString
  AND coalesce(grainidextensionstring, '''') = coalesce(@GrainIdExtensionString::varchar, '''')
  AND serviceid = @ServiceId'),

('WriteToStorageKey', '
WITH updated AS (
    UPDATE orleansstorage SET payloadbinary = @PayloadBinary, modifiedon = now(), version = version + 1
    WHERE @GrainStateVersion::integer IS NOT NULL AND version = @GrainStateVersion::integer
      AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
      AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1 AND graintypestring = @GrainTypeString
      AND coalesce(grainidextensionstring, '''') = coalesce(@GrainIdExtensionString::varchar, '''')
      AND serviceid = @ServiceId
    RETURNING version),
inserted AS (
    INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid, payloadbinary, version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString::varchar, @ServiceId, @PayloadBinary, 1
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT (SELECT version FROM updated UNION ALL SELECT version FROM inserted LIMIT 1) AS newgrainstateversion'),

('ClearStorageKey', '
WITH cleared AS (
    UPDATE orleansstorage SET payloadbinary = NULL, modifiedon = now(), version = version + 1
    WHERE version = @GrainStateVersion::integer
      AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
      AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1 AND graintypestring = @GrainTypeString
      AND coalesce(grainidextensionstring, '''') = coalesce(@GrainIdExtensionString::varchar, '''')
      AND serviceid = @ServiceId
    RETURNING version)
SELECT (SELECT version FROM cleared) AS version'),

-- ── Reminders ───────────────────────────────────────────────────────────────────────────────
('ReadReminderRowsKey', '
SELECT grainid, remindername, starttime, period, version FROM orleansreminderstable
WHERE serviceid = @ServiceId AND grainid = @GrainId'),

('ReadReminderRowKey', '
SELECT grainid, remindername, starttime, period, version FROM orleansreminderstable
WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName'),

('ReadRangeRows1Key', '
SELECT grainid, remindername, starttime, period, version FROM orleansreminderstable
WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash'),

('ReadRangeRows2Key', '
SELECT grainid, remindername, starttime, period, version FROM orleansreminderstable
WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash)'),

('UpsertReminderRowKey', '
INSERT INTO orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
SET starttime = EXCLUDED.starttime, period = EXCLUDED.period, grainhash = EXCLUDED.grainhash,
    version = orleansreminderstable.version + 1
RETURNING version'),

('DeleteReminderRowKey', '
WITH deleted AS (
    DELETE FROM orleansreminderstable
    WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName AND version = @Version
    RETURNING 1)
SELECT count(*) FROM deleted'),

('DeleteReminderRowsKey', '
DELETE FROM orleansreminderstable WHERE serviceid = @ServiceId')

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
