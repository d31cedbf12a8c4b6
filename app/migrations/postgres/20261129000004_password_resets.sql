-- Forgotten-password links of the built-in provider: only a hash of each token is kept, so a copy of the
-- database opens no account; a link works once (used_at) and until expires_at.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
