-- A batch groups the jobs one premium request queued together, so their progress can be followed as one.
CREATE TABLE batches (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX batches_user ON batches (user_id);

-- No foreign key: jobs outlive their batch row (a deleted user's batches go; their canceled jobs stay).
ALTER TABLE jobs ADD COLUMN batch_id TEXT;
CREATE INDEX jobs_batch ON jobs (batch_id) WHERE batch_id IS NOT NULL;
