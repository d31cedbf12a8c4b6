-- Public share links to a job's video. Only the SHA-256 of each token is kept, so the table cannot be used to
-- open a link. No foreign key to `jobs`: every lookup joins the job and its video file, so a link whose job or
-- video is gone reads as "not found" however the job was removed.
CREATE TABLE shares (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX shares_user_created ON shares (user_id, created_at DESC);
CREATE INDEX shares_job ON shares (job_id);
