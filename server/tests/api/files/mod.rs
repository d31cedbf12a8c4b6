//! Files: uploads, listing, deletion, signed URLs and how signed files are served, on local disk and S3.

mod listing;
mod s3;
mod serving;
mod signed_urls;
pub(crate) mod support;
mod upload;
mod upload_limits;
