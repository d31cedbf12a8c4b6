//! Stored files: rows in `files`, bytes in a `Storage` (local disk by default).

pub mod repo;
pub mod store;

pub use repo::{FileRow, NewFile};
pub use store::LocalStore;
