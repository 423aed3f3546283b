-- Schema version 7: versions that share files. A job that changes an asset (a new audio or caption track, an
-- export) stores only what it makes under the new version's own `folder` ('v2-1a2b3c4d': unique to the attempt,
-- so racing jobs never share one; NULL means 'v{version}'); `locations` says which earlier folder holds each
-- other top-level name ({"a": "v1", "poster.jpg": "v1"}), so no slice is ever copied. `superseded` lists the
-- files the version stopped using ("v1/sub0/"), removed once the version after it is published (players still
-- reading the previous version keep working until then). `export` describes the asset's MP4 export.

ALTER TABLE assets ADD COLUMN folder TEXT;
ALTER TABLE assets ADD COLUMN locations TEXT NOT NULL DEFAULT '{}';
ALTER TABLE assets ADD COLUMN superseded TEXT NOT NULL DEFAULT '[]';
ALTER TABLE assets ADD COLUMN export TEXT;

-- /batch/copy-from-library: a batch is a record of its jobs; its states are read from them.
CREATE TABLE batches (
    id       TEXT PRIMARY KEY,
    owner    TEXT NOT NULL,
    created  INTEGER NOT NULL
);

CREATE TABLE batch_jobs (
    batch    TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    job      TEXT NOT NULL,
    asset    TEXT NOT NULL,
    PRIMARY KEY (batch, job)
);
