-- CloudSlicer on PostgreSQL, schema version 1: everything SQLite's migrations 1-7 built, in one step (there
-- was never an older PostgreSQL schema to upgrade). Column names, meanings and JSON text match the SQLite
-- schema, so the two stores read and write the same values; see Sqlite/Migrations for the why of each.
-- Times are Unix milliseconds from the application's clock. "desc" is a reserved word here: always quote it.

CREATE TABLE owners (
    id      TEXT PRIMARY KEY,
    name    TEXT,
    created BIGINT NOT NULL
);

CREATE TABLE api_keys (
    key     TEXT PRIMARY KEY,
    owner   TEXT NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created BIGINT NOT NULL
);

CREATE INDEX api_keys_owner ON api_keys (owner) WHERE enabled = 1;

-- A counter of API key changes, bumped by a trigger in the same transaction as the change: servers cache
-- each owner's keys and drop the cache when it moves.
CREATE TABLE key_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);

INSERT INTO key_version (id, version) VALUES (1, 0);

CREATE FUNCTION bump_key_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE key_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER api_keys_changed AFTER INSERT OR UPDATE OR DELETE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION bump_key_version();

CREATE TABLE jobs (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    owner         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('waiting', 'assigned', 'done', 'error', 'cancelled')),
    args          TEXT NOT NULL DEFAULT '{}',
    source        TEXT NOT NULL DEFAULT '{}',
    secrets       TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    last_start    BIGINT NOT NULL DEFAULT 0,
    finished      BIGINT NOT NULL DEFAULT 0,
    progress      TEXT NOT NULL DEFAULT '',
    percent       INTEGER NOT NULL DEFAULT 0,
    asset         TEXT,
    created       BIGINT NOT NULL,
    run_after     BIGINT NOT NULL DEFAULT 0,
    slicer        TEXT,
    lease_token   TEXT,
    lease_expires BIGINT,
    closed        BIGINT
);

CREATE INDEX jobs_waiting ON jobs (created, seq) WHERE state = 'waiting';
CREATE INDEX jobs_assigned_owner ON jobs (owner, state) WHERE state = 'assigned';
CREATE INDEX jobs_assigned_lease ON jobs (lease_expires) WHERE state = 'assigned';
CREATE INDEX jobs_owner_created ON jobs (owner, created DESC, seq DESC);
CREATE INDEX jobs_closed ON jobs (closed) WHERE state IN ('done', 'error', 'cancelled');

CREATE TABLE batches (
    id      TEXT PRIMARY KEY,
    owner   TEXT NOT NULL,
    created BIGINT NOT NULL
);

CREATE TABLE batch_jobs (
    batch TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    job   TEXT NOT NULL,
    asset TEXT NOT NULL,
    PRIMARY KEY (batch, job)
);

CREATE TABLE assets (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    owner         TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('ready', 'deleted')),
    version       INTEGER NOT NULL DEFAULT 1,
    job           TEXT,
    external_id   TEXT,
    "desc"        TEXT NOT NULL DEFAULT '',
    meta          TEXT NOT NULL DEFAULT '{}',
    duration      DOUBLE PRECISION NOT NULL DEFAULT 0,
    slice_dur     DOUBLE PRECISION NOT NULL DEFAULT 0,
    slices        INTEGER NOT NULL DEFAULT 0,
    rays          TEXT NOT NULL DEFAULT '[]',
    renditions    TEXT NOT NULL DEFAULT '[]',
    break_offsets TEXT NOT NULL DEFAULT '[]',
    poster        TEXT,
    thumbnails    TEXT NOT NULL DEFAULT '[]',
    orig_filename TEXT NOT NULL DEFAULT '',
    skip_drm      INTEGER NOT NULL DEFAULT 0,
    created       BIGINT NOT NULL,
    autoexpire    BIGINT NOT NULL DEFAULT 0,
    expires       BIGINT,
    folder        TEXT,
    locations     TEXT NOT NULL DEFAULT '{}',
    superseded    TEXT NOT NULL DEFAULT '[]',
    export        TEXT
);

CREATE UNIQUE INDEX assets_owner_external_id ON assets (owner, external_id)
    WHERE external_id IS NOT NULL AND state = 'ready';
CREATE INDEX assets_owner_created ON assets (owner, created DESC, seq DESC) WHERE state = 'ready';
CREATE INDEX assets_expires ON assets (expires) WHERE expires IS NOT NULL AND state = 'ready';
CREATE INDEX assets_deleted ON assets (seq) WHERE state = 'deleted';

CREATE TABLE notifications (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    job_id       TEXT NOT NULL,
    owner        TEXT NOT NULL,
    event        TEXT NOT NULL CHECK (event IN ('start', 'done', 'fail')),
    url          TEXT NOT NULL,
    body         TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    retry_wait   BIGINT NOT NULL,
    next_at      BIGINT NOT NULL,
    lease_token  TEXT,
    last_error   TEXT NOT NULL DEFAULT '',
    created      BIGINT NOT NULL,
    closed       BIGINT,
    UNIQUE (job_id, event)
);

CREATE INDEX notifications_due ON notifications (next_at, seq) WHERE state = 'pending';
CREATE INDEX notifications_closed ON notifications (closed) WHERE state IN ('delivered', 'failed');

CREATE TABLE slicers (
    id        TEXT PRIMARY KEY,
    host      TEXT NOT NULL,
    pid       INTEGER NOT NULL,
    kinds     TEXT NOT NULL DEFAULT '[]',
    beat_ms   BIGINT NOT NULL CHECK (beat_ms > 0),
    started   BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    job       TEXT
);

CREATE TABLE libraries (
    seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id      TEXT NOT NULL UNIQUE,
    owner   TEXT NOT NULL,
    "desc"  TEXT NOT NULL,
    created BIGINT NOT NULL
);

CREATE INDEX libraries_owner ON libraries (owner, seq);

CREATE TABLE library_assets (
    seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    library TEXT NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    asset   TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    added   BIGINT NOT NULL,
    UNIQUE (library, asset)
);

CREATE INDEX library_assets_asset ON library_assets (asset);

CREATE TABLE library_shares (
    seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    library TEXT NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    owner   TEXT NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    created BIGINT NOT NULL,
    UNIQUE (library, owner)
);

CREATE INDEX library_shares_owner ON library_shares (owner);
