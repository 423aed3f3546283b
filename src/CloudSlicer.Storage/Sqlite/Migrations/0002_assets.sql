-- Schema version 2: assets as records. The row is the asset: the publisher writes it after every file of
-- a version is stored, so content serving and the asset API see only whole assets. A later version of the
-- same asset replaces the row's contents in one conditional UPDATE (version = version + 1).
-- JSON columns hold what the API reports as lists and dictionaries; times are Unix milliseconds.

CREATE TABLE assets (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    owner         TEXT NOT NULL,
    -- 'ready' (live) or 'deleted' (a tombstone whose blobs are being removed; invisible to every reader).
    state         TEXT NOT NULL CHECK (state IN ('ready', 'deleted')),
    version       INTEGER NOT NULL DEFAULT 1,
    job           TEXT,
    external_id   TEXT,
    desc          TEXT NOT NULL DEFAULT '',
    meta          TEXT NOT NULL DEFAULT '{}',
    duration      REAL NOT NULL DEFAULT 0,
    slice_dur     REAL NOT NULL DEFAULT 0,
    slices        INTEGER NOT NULL DEFAULT 0,
    rays          TEXT NOT NULL DEFAULT '[]',
    renditions    TEXT NOT NULL DEFAULT '[]',
    break_offsets TEXT NOT NULL DEFAULT '[]',
    poster        TEXT,
    thumbnails    TEXT NOT NULL DEFAULT '[]',
    orig_filename TEXT NOT NULL DEFAULT '',
    skip_drm      INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL,
    autoexpire    INTEGER NOT NULL DEFAULT 0,
    expires       INTEGER
);

-- An external id names one live asset per owner; a tombstone gives its id up at once.
CREATE UNIQUE INDEX assets_owner_external_id ON assets (owner, external_id)
    WHERE external_id IS NOT NULL AND state = 'ready';

-- An owner's listing, newest first.
CREATE INDEX assets_owner_created ON assets (owner, created DESC, seq DESC) WHERE state = 'ready';

-- The autoexpire sweep, and the sweep that finishes deletes a crash interrupted.
CREATE INDEX assets_expires ON assets (expires) WHERE expires IS NOT NULL AND state = 'ready';
CREATE INDEX assets_deleted ON assets (seq) WHERE state = 'deleted';
