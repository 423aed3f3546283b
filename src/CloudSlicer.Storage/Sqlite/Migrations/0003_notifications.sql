-- CloudSlicer schema, version 3: the notification outbox (Slicebot's start_url, done_url, fail_url).
-- A row is written in the same transaction as the job transition that causes it, so a job can never reach
-- done or error without its notification queued. Rows are self-contained snapshots (URL without query, the
-- form body): deleting or erasing the job changes nothing about what is sent.

CREATE TABLE notifications (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    job_id       TEXT NOT NULL,
    owner        TEXT NOT NULL,
    event        TEXT NOT NULL CHECK (event IN ('start', 'done', 'fail')),
    url          TEXT NOT NULL,
    body         TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    retry_wait   INTEGER NOT NULL,
    -- A pending row is sent at or after this time. A claim moves it to the lease's expiry, so a row whose
    -- sender died becomes due again by itself, and the due scan needs no second condition.
    next_at      INTEGER NOT NULL,
    -- The claim generation; every write from a sender carries it (fencing), as with jobs.
    lease_token  TEXT,
    last_error   TEXT NOT NULL DEFAULT '',
    created      INTEGER NOT NULL,
    -- When the row reached delivered or failed; retention counts from here.
    closed       INTEGER,
    -- Each event at most once per job, even if a job is claimed for a "first" attempt twice (a clean
    -- shutdown gives the attempt back).
    UNIQUE (job_id, event)
);

CREATE INDEX notifications_due ON notifications (next_at, seq) WHERE state = 'pending';
CREATE INDEX notifications_closed ON notifications (closed) WHERE state IN ('delivered', 'failed');
