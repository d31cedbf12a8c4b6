//! `/api/v1/jobs`: list, status (also at `/api/status/{id}`), cancel. Owner only; others get 404.

use crate::extract::pagination::Pagination;
use app::error::AppError;
use app::services::auth::Identity;
use app::services::{jobs, AppState};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// `?status=` filter.
#[derive(Deserialize)]
pub struct JobFilter {
    status: Option<String>,
}

/// The caller's jobs, newest first.
pub async fn list_jobs(
    State(state): State<AppState>,
    identity: Identity,
    pagination: Pagination,
    Query(filter): Query<JobFilter>,
) -> Result<Json<Value>, AppError> {
    let items = jobs::service::list(
        &state,
        &identity,
        filter.status.as_deref(),
        pagination.limit,
        pagination.offset,
    )
    .await?;
    Ok(Json(json!({
        "success": true,
        "data": items,
        "pagination": { "limit": pagination.limit, "offset": pagination.offset },
    })))
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

/// Cancels a job.
pub async fn cancel_job(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let job = jobs::service::cancel(&state, &identity, &id).await?;
    Ok(Json(json!({ "success": true, "data": job })))
}
