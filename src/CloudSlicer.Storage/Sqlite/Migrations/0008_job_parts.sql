-- Schema version 8: long sources split into parts (docs/parts.md). A part is a job of the internal kind
-- 'slice_part' whose `parent` is the create job it belongs to; owners never see parts (get and list skip rows
-- with a parent), a cancel of the parent cancels its parts, and a part is claimed only while its parent is
-- assigned (a parent between attempts or finished leaves its parts alone).
ALTER TABLE jobs ADD COLUMN parent TEXT;

CREATE INDEX jobs_parent ON jobs (parent, seq) WHERE parent IS NOT NULL;
