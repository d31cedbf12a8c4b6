//! `POST /api/v1/videos/generate`.

use crate::extract::json::ApiJson;
use app::domain::job::GenerateRequest;
use app::error::AppError;
use app::services::auth::Identity;
use app::services::{jobs, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// Enqueues a video; answers 202 with the job id.
pub async fn generate_video(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(request): ApiJson<GenerateRequest>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let created = jobs::service::create(&state, &identity, &request).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "success": true, "data": created })),
    ))
}
