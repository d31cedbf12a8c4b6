//! User accounts: the local provider's sign-ups and Clerk's users mirrored by webhooks.

pub mod account;
pub mod admin;
pub mod avatar;
pub mod clerk_api;
pub mod export;
pub mod metadata;
pub mod purge;
pub mod repo;

pub use repo::{NewUser, UserRow};
