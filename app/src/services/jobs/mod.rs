//! Generation jobs: validated requests, a durable queue in the database, and the workers that render them.

pub mod events;
pub mod live;
pub mod queue;
pub mod repo;
pub mod service;
pub mod wakeup;
pub mod worker;

pub use repo::JobRow;
