//! `/api/v1/files…`: the caller's stored files (list and search, read, rename, delete), uploads and signed URLs.

pub mod signed_url;
pub mod upload;

use crate::extract::cursor::CursorPage;
use crate::extract::json::ApiJson;
use app::domain::library::RenameFileBody;
use app::error::AppError;
use app::services::auth::Identity;
use app::services::files::service;
use app::services::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// `?kind=&q=` on the list.
#[derive(Deserialize)]
pub struct KindFilter {
    kind: Option<String>,
    q: Option<String>,
}

/// `GET /api/v1/files`: the caller's files, newest first.
pub async fn list_files(
    State(state): State<AppState>,
    identity: Identity,
    page: CursorPage,
    Query(filter): Query<KindFilter>,
) -> Result<Json<Value>, AppError> {
    let kind = filter.kind.filter(|k| !k.is_empty());
    let page = service::list_files(
        &state,
        &identity,
        kind.as_deref(),
        filter.q.as_deref(),
        page.cursor.as_deref(),
        page.limit,
    )
    .await?;
    Ok(Json(json!({ "success": true, "data": page })))
}

/// `GET /api/v1/files/{id}`.
pub async fn get_file(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let file = service::get_file(&state, &identity, &id).await?;
    Ok(Json(json!({ "success": true, "data": file })))
}

/// `PATCH /api/v1/files/{id}` `{name}`: answers the renamed file's record.
pub async fn rename_file(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RenameFileBody>,
) -> Result<Json<Value>, AppError> {
    let file = service::rename_file(&state, &identity, &id, &body.name).await?;
    Ok(Json(json!({ "success": true, "data": file })))
}

/// `DELETE /api/v1/files/{id}`: removes the bytes and the record; its signed URLs answer 404 afterwards.
pub async fn delete_file(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    service::delete_file(&state, &identity, &id).await?;
    Ok((
        StatusCode::OK,
        Json(json!({ "success": true, "data": { "id": id, "deleted": true } })),
    ))
}
