//! Clerk webhooks: Svix signature verification, then user lifecycle events mirrored into the users table.

pub mod clerk;
pub mod svix;
