-- The built-in provider's Backend API keeps each user's public_metadata as Clerk does (a JSON object merged by
-- PATCH /v1/users/{id}/metadata); role, subscription_tier and permissions stay in their own columns, which
-- the metadata's keys of those names set.
ALTER TABLE users ADD COLUMN public_metadata TEXT NOT NULL DEFAULT '{}';

-- Webhooks the built-in provider sends (T2M_LOCAL_WEBHOOK_URLS): one row per event and URL, kept until
-- delivered or given up after Svix's retry schedule, so a restart resumes pending deliveries.
CREATE TABLE local_webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    message_id TEXT NOT NULL,
    url TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at INTEGER,
    failed_at INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX local_webhook_deliveries_due ON local_webhook_deliveries (next_attempt_at);
