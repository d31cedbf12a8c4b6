//! `/api/v1/jobs`: list and search, status (also at `/api/status/{id}`), rename, cancel, delete. Owner only;
//! others get 404.

use crate::extract::cursor::CursorPage;
use crate::extract::json::ApiJson;
use app::domain::library::RenameJobBody;
use app::error::AppError;
use app::services::auth::Identity;
use app::services::jobs::service::ListQuery;
use app::services::{jobs, AppState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// `?status=&q=` filters.
#[derive(Deserialize)]
pub struct JobFilter {
    status: Option<String>,
    q: Option<String>,
}

/// The caller's jobs, newest first: `{items, next_cursor}`.
pub async fn list_jobs(
    State(state): State<AppState>,
    identity: Identity,
    page: CursorPage,
    Query(filter): Query<JobFilter>,
) -> Result<Json<Value>, AppError> {
    let query = ListQuery {
        status: filter.status.as_deref(),
        text: filter.q.as_deref(),
        cursor: page.cursor.as_deref(),
    };
    let page = jobs::service::list(&state, &identity, query, page.limit).await?;
    Ok(Json(json!({ "success": true, "data": page })))
}

/// One job's status.
pub async fn get_job(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let job = jobs::service::get(&state, &identity, &id).await?;
    Ok(Json(json!({ "success": true, "data": job })))
}

/// `PATCH /api/v1/jobs/{id}` `{title}`: answers the renamed job.
pub async fn rename_job(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RenameJobBody>,
) -> Result<Json<Value>, AppError> {
    let job = jobs::service::rename(&state, &identity, &id, &body.title).await?;
    Ok(Json(json!({ "success": true, "data": job })))
}

/// `DELETE /api/v1/jobs/{id}`: stops it if running, removes it with its video and thumbnail; 204.
pub async fn delete_job(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    jobs::service::delete(&state, &identity, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cancels a job.
pub async fn cancel_job(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let job = jobs::service::cancel(&state, &identity, &id).await?;
    Ok(Json(json!({ "success": true, "data": job })))
}
