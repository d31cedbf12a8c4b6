//! Clerk webhooks: Svix signature verification, then user and session lifecycle events applied to the database.

pub mod clerk;
pub mod clerk_user;
pub mod repo;
pub mod svix;
