//! Files: uploads, listing, deletion, signed URLs and how signed files are served, on local disk and S3.

mod listing;
mod quota;
mod s3;
mod serving;
mod signed_urls;
pub mod support;
mod upload;
mod upload_limits;
