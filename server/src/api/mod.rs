//! REST handlers: thin adapters from HTTP to the service layer.

pub mod account;
pub mod admin;
pub mod batches;
pub mod files;
pub mod health;
pub mod job_events;
pub mod jobs;
pub mod local_backend;
pub mod local_handshake;
pub mod local_idp;
pub mod me;
pub mod me_sessions;
pub mod not_found;
pub mod password_reset;
pub mod secure_files;
pub mod shares;
pub mod sign_in_refusal;
pub mod videos;
pub mod webhooks;
