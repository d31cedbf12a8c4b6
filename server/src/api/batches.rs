//! `/api/v1/batches` (premium): queue many prompts at once, follow the batch, cancel it. Owner only.

use crate::extract::json::ApiJson;
use app::domain::batch::BatchRequest;
use app::error::AppError;
use app::services::auth::Identity;
use app::services::{batches, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// Queues one job per prompt; answers 202 with the batch and job ids.
pub async fn create_batch(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(request): ApiJson<BatchRequest>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let created = batches::service::create(&state, &identity, &request).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "success": true, "data": created })),
    ))
}

/// A batch with its totals and jobs.
pub async fn get_batch(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let batch = batches::service::get(&state, &identity, &id).await?;
    Ok(Json(json!({ "success": true, "data": batch })))
}

/// Cancels every unfinished job of a batch.
pub async fn cancel_batch(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let batch = batches::service::cancel(&state, &identity, &id).await?;
    Ok(Json(json!({ "success": true, "data": batch })))
}
