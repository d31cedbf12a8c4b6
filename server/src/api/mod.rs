//! REST handlers: thin adapters from HTTP to the service layer.

pub mod admin;
pub mod health;
pub mod jobs;
pub mod local_idp;
pub mod me;
pub mod videos;
