-- The built-in provider's Backend API keeps each user's public_metadata as Clerk does (a JSON object merged by
-- PATCH /v1/users/{id}/metadata); role, subscription_tier and permissions stay in their own columns, which
-- the metadata's keys of those names set.
ALTER TABLE users ADD COLUMN public_metadata TEXT NOT NULL DEFAULT '{}';
