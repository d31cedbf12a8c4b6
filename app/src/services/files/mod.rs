//! Stored files: rows in `files`, bytes in a `Storage` (local disk, or an S3-compatible bucket), uploads,
//! signed URLs and the rules around them.

pub mod poster;
pub mod repo;
pub mod s3;
pub mod s3_config;
pub mod service;
pub mod signing;
pub mod signing_key;
pub mod sniff;
pub mod storage;
pub mod store;
pub mod upload;

pub use repo::{FileRow, NewFile};
pub use signing::UrlSigner;
pub use storage::Storage;
pub use store::LocalStore;
