//! The service layer: everything the REST handlers and server functions call. Server-only.

pub mod admin;
pub mod allocator;
pub mod auth;
pub mod batches;
pub mod config;
pub mod db;
pub mod files;
pub mod jobs;
pub mod key_file;
pub mod limits;
pub mod mail;
pub mod observe;
pub mod paging;
pub mod render;
pub mod shares;
pub mod state;
pub mod usage;
pub mod users;
pub mod webhooks;

pub use state::{state, AppState, Handles};
