//! Placeholder until the S3 tests are written.
