//! User accounts: the local provider's sign-ups and Clerk's users mirrored by webhooks.

pub mod admin;
pub mod repo;

pub use repo::{NewUser, UserRow};
