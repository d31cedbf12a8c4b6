//! `GET|HEAD /api/files/secure/{file_id}?user_id=&expires=&signature=[&download=1]`: serves a file to whoever
//! holds a valid signed URL, no session needed. Ranges, `HEAD` and conditional requests are honoured.

mod headers;
mod local;
mod ranged;

use app::error::AppError;
use app::services::files::service;
use app::services::files::signing::SignedQuery;
use app::services::files::Storage;
use app::services::AppState;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};

/// Serves the file a signed URL grants.
pub async fn serve_secure_file(
    State(state): State<AppState>,
    Path(file_id): Path<String>,
    query: Result<Query<SignedQuery>, axum::extract::rejection::QueryRejection>,
    request: Request,
) -> Result<Response, AppError> {
    let Query(query) = query.map_err(|_| AppError::SignedUrlIncomplete)?;
    let (row, grant) = service::resolve_signed(&state, &file_id, &query).await?;
    let common = headers::for_file(&row, &grant, chrono::Utc::now().timestamp());
    if headers::not_modified(request.headers(), &row) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().extend(common);
        return Ok(response);
    }
    let (mut parts, body) = request.into_parts();
    headers::drop_stale_range(&mut parts.headers, &row);
    let mut response = match &state.store {
        Storage::Local(_) => {
            let path = state
                .store
                .path_of(&row.storage_key)
                .ok_or(AppError::NotFound)?;
            local::serve(&path, Request::from_parts(parts, body)).await?
        }
        Storage::S3 { bucket, .. } => {
            let head_only = parts.method == Method::HEAD;
            ranged::serve(bucket, &row.storage_key, &parts.headers, head_only).await?
        }
    };
    // The stored type wins over anything guessed from the (extension-less) object path.
    response.headers_mut().remove(header::CONTENT_TYPE);
    response.headers_mut().extend(common);
    response.extensions_mut().insert(ByteExact);
    Ok(response)
}

/// Marks a response whose bytes must reach the client as stored: ranges and `Content-Length` refer to them, so
/// the compression layer leaves it alone.
#[derive(Debug, Clone, Copy)]
pub struct ByteExact;
