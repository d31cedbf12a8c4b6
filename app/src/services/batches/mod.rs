//! Batches (premium): many prompts queued together as jobs that share a `batch_id`, followed as one.

pub mod repo;
pub mod service;
