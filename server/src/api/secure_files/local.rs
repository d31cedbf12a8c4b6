//! Local-disk files through tower-http's `ServeFile`, which already implements `Range` (single and suffix),
//! `416`, `HEAD` and `If-Modified-Since` by the book.

use app::error::AppError;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::path::Path;
use tower_http::services::ServeFile;

/// Reads in 256 KiB chunks: far fewer wakeups than the 64 KiB default for large videos.
const CHUNK_BYTES: usize = 256 * 1024;

/// Serves `path` for `request` (method and headers only matter).
///
/// # Errors
/// `NotFound` when the bytes are missing on disk; `Internal` for other I/O failures.
pub async fn serve(path: &Path, request: Request) -> Result<Response, AppError> {
    let response = ServeFile::new(path)
        .with_buf_chunk_size(CHUNK_BYTES)
        .try_call(request)
        .await
        .map_err(AppError::internal)?;
    if response.status() == StatusCode::NOT_FOUND {
        tracing::warn!("a file row points at bytes missing from disk");
        return Err(AppError::NotFound);
    }
    Ok(response.into_response())
}
