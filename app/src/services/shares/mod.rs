//! Public share links to a job's video: the `shares` table and the rules around it.

pub mod repo;
pub mod service;
