-- Schema version 2: long sources split into parts (docs/parts.md), as SQLite's 0008_job_parts.sql. A part is a
-- job of the internal kind 'slice_part' whose parent is the create job it belongs to; owners never see parts,
-- a cancel of the parent cancels its parts, and a part is claimed only while its parent is assigned.
ALTER TABLE jobs ADD COLUMN parent TEXT;

CREATE INDEX jobs_parent ON jobs (parent, seq) WHERE parent IS NOT NULL;
