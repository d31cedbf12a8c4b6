-- Clerk's own updated_at (ms) of the last applied user event, so a late delivery cannot undo a newer one.
ALTER TABLE users ADD COLUMN clerk_updated_at INTEGER;

-- Where a session signed in from, shown on the profile page.
ALTER TABLE sessions ADD COLUMN ip TEXT;

-- Session ids whose tokens are refused although they have lifetime left (Clerk session events, sign-out,
-- revocation from the profile page). Rows outlive any token of the session, then are purged.
CREATE TABLE revoked_sessions (
    sid TEXT PRIMARY KEY NOT NULL,
    user_id TEXT,
    reason TEXT NOT NULL,
    revoked_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX revoked_sessions_expiry ON revoked_sessions (expires_at);
