-- Schema version 5: the slicer registry. One row per running slicer, under the id it claims jobs with
-- (jobs.slicer, "{host}:{pid}:{i}"), so a job's slicer can be looked up; kinds is a JSON array of the job
-- kinds it has handlers for. A slicer beats every beat_ms and is alive until it has missed
-- SlicerLiveness.MissedBeats (3) of its own beats: counted in its interval, so processes configured
-- differently agree. A clean stop deletes the row; a crashed process's rows go stale and are forgotten later.
-- Times are Unix milliseconds from the application's clock.

CREATE TABLE slicers (
    id        TEXT PRIMARY KEY NOT NULL,
    host      TEXT NOT NULL,
    pid       INTEGER NOT NULL,
    kinds     TEXT NOT NULL DEFAULT '[]',
    beat_ms   INTEGER NOT NULL CHECK (beat_ms > 0),
    started   INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    job       TEXT
);
