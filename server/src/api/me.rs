//! `GET /api/v1/me` and `/api/v1/me/usage`: the verified caller, and what they use against their limits.

use app::domain::user::SessionUser;
use app::error::AppError;
use app::services::auth::Identity;
use app::services::{usage, AppState};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

/// The caller's identity.
pub async fn get_me(identity: Identity) -> Json<Value> {
    let user: SessionUser = identity.to_session_user();
    Json(json!({ "success": true, "data": user }))
}

/// Generations this hour, stored bytes and active jobs, each against its limit.
pub async fn get_usage(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<Value>, AppError> {
    let usage = usage::usage(&state, &identity).await?;
    Ok(Json(json!({ "success": true, "data": usage })))
}
