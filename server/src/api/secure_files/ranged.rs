//! Files in an S3-compatible bucket: `Range` parsed here and answered with one ranged GET, so seeking in a
//! long video fetches only the bytes asked for.

use app::error::AppError;
use app::services::files::s3::S3Store;
use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

fn unsatisfiable(size: u64) -> Response {
    (
        StatusCode::RANGE_NOT_SATISFIABLE,
        [(header::CONTENT_RANGE, format!("bytes */{size}"))],
    )
        .into_response()
}

/// Serves the object under `key`; `head_only` answers the headers of `HEAD` without fetching bytes.
///
/// # Errors
/// `NotFound` when the object is missing, `Unavailable` when the bucket cannot be reached.
pub async fn serve(
    bucket: &S3Store,
    key: &str,
    request: &HeaderMap,
    head_only: bool,
) -> Result<Response, AppError> {
    let info = bucket.head(key).await?;
    let size = info.size;
    let range = match request.get(header::RANGE).map(|v| v.to_str()) {
        None => None,
        Some(Err(_)) => return Ok(unsatisfiable(size)),
        Some(Ok(raw)) => match http_range_header::parse_range_header(raw).map(|r| r.validate(size))
        {
            Ok(Ok(ranges)) if ranges.len() == 1 => ranges.into_iter().next(),
            // Several ranges were already dropped by the caller; anything else cannot be satisfied.
            _ => return Ok(unsatisfiable(size)),
        },
    };
    let (status, start, end_inclusive) = match &range {
        Some(r) => (StatusCode::PARTIAL_CONTENT, *r.start(), *r.end()),
        None => (StatusCode::OK, 0, size.saturating_sub(1)),
    };
    let length = if size == 0 {
        0
    } else {
        end_inclusive - start + 1
    };
    let body = if head_only || length == 0 {
        Body::empty()
    } else {
        Body::from_stream(bucket.read(key, Some(start..end_inclusive + 1)).await?)
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, length.into());
    if range.is_some() {
        if let Ok(value) = format!("bytes {start}-{end_inclusive}/{size}").parse() {
            headers.insert(header::CONTENT_RANGE, value);
        }
    }
    let modified = info
        .last_modified
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    if let Ok(value) = modified.parse() {
        headers.insert(header::LAST_MODIFIED, value);
    }
    Ok(response)
}
