-- Tables behind Orleans' ADO.NET providers (clustering, grain storage, reminders), written for
-- this project from the providers' query contract. Idempotent: safe to run on every start.
-- DateTime values arrive as UTC and Npgsql sends them as timestamptz, so every time is timestamptz.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64)   NOT NULL PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);

-- Membership: one version row per cluster (its etag) and one row per silo incarnation.
CREATE TABLE IF NOT EXISTS orleansmembershipversiontable
(
    deploymentid varchar(150) NOT NULL PRIMARY KEY,
    timestamp    timestamptz  NOT NULL DEFAULT now(),
    version      integer      NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS orleansmembershiptable
(
    deploymentid varchar(150)  NOT NULL REFERENCES orleansmembershipversiontable (deploymentid) ON DELETE CASCADE,
    address      varchar(45)   NOT NULL,
    port         integer       NOT NULL,
    generation   integer       NOT NULL,
    siloname     varchar(150)  NOT NULL,
    hostname     varchar(150)  NOT NULL,
    status       integer       NOT NULL,
    proxyport    integer       NOT NULL DEFAULT 0,
    suspecttimes varchar(8000) NULL,
    starttime    timestamptz   NOT NULL,
    iamalivetime timestamptz   NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Grain state: string keys live in grainidextensionstring; graintypestring holds the state name.
CREATE TABLE IF NOT EXISTS orleansstorage
(
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidextensionstring varchar(512) NULL,
    serviceid              varchar(150) NOT NULL,
    payloadbinary          bytea        NULL,
    modifiedon             timestamptz  NOT NULL DEFAULT now(),
    version                integer      NULL
);

CREATE INDEX IF NOT EXISTS ix_orleansstorage_lookup ON orleansstorage (grainidhash, graintypehash);

-- One row per grain state, so that two first writes racing cannot both insert.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_identity ON orleansstorage
    (grainidhash, graintypehash, grainidn0, grainidn1, graintypestring, serviceid, coalesce(grainidextensionstring, ''));

CREATE TABLE IF NOT EXISTS orleansreminderstable
(
    serviceid    varchar(150) NOT NULL,
    grainid      varchar(150) NOT NULL,
    remindername varchar(150) NOT NULL,
    starttime    timestamptz  NOT NULL,
    period       bigint       NOT NULL,
    grainhash    integer      NOT NULL,
    version      integer      NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

CREATE INDEX IF NOT EXISTS ix_orleansreminders_hash ON orleansreminderstable (serviceid, grainhash);
