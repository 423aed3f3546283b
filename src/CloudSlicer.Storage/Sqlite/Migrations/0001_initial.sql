-- CloudSlicer schema, version 1. Applied once inside one transaction; PRAGMA user_version records it.
-- Times are Unix milliseconds supplied by the application's clock (0 or NULL until set).

CREATE TABLE owners (
    id      TEXT PRIMARY KEY NOT NULL,
    name    TEXT,
    created INTEGER NOT NULL
);

CREATE TABLE api_keys (
    key     TEXT PRIMARY KEY NOT NULL,
    owner   TEXT NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created INTEGER NOT NULL
);

CREATE INDEX api_keys_owner ON api_keys (owner) WHERE enabled = 1;

-- seq orders jobs created in the same millisecond; AUTOINCREMENT so a seq is never reused after erasure.
-- jobs.owner has no foreign key on purpose: the queue is usable (and tested) without the owner store,
-- and the API checks the owner before it enqueues.
CREATE TABLE jobs (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    owner         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('waiting', 'assigned', 'done', 'error', 'cancelled')),
    args          TEXT NOT NULL DEFAULT '{}',
    source        TEXT NOT NULL DEFAULT '{}',
    secrets       TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    last_start    INTEGER NOT NULL DEFAULT 0,
    finished      INTEGER NOT NULL DEFAULT 0,
    progress      TEXT NOT NULL DEFAULT '',
    percent       INTEGER NOT NULL DEFAULT 0,
    asset         TEXT,
    created       INTEGER NOT NULL,
    -- A waiting job is not claimed before this time: failed attempts back off instead of retrying at once.
    run_after     INTEGER NOT NULL DEFAULT 0,
    slicer        TEXT,
    -- The claim generation: set by each claim, checked by every write from a slicer (fencing). Kept on a
    -- cancelled job so the holder's next heartbeat learns of the cancel.
    lease_token   TEXT,
    lease_expires INTEGER,
    -- When the job reached done, error or cancelled; retention counts from here.
    closed        INTEGER
);

-- The claim scans only waiting jobs, oldest first.
CREATE INDEX jobs_waiting ON jobs (created, seq) WHERE state = 'waiting';

-- Fairness counts each owner's assigned jobs; the reaper looks for expired leases among them.
-- state is a key column (though implied by the WHERE) so the planner sees two equalities and prefers this
-- covering index over jobs_owner_created, which would walk every job the owner ever had.
CREATE INDEX jobs_assigned_owner ON jobs (owner, state) WHERE state = 'assigned';
CREATE INDEX jobs_assigned_lease ON jobs (lease_expires) WHERE state = 'assigned';

-- An owner's listing, newest first.
CREATE INDEX jobs_owner_created ON jobs (owner, created DESC, seq DESC);

-- Retention erases finished jobs by age.
CREATE INDEX jobs_closed ON jobs (closed) WHERE state IN ('done', 'error', 'cancelled');
