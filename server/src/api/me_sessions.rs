//! `/api/v1/me/sessions`: the caller's sessions of the built-in provider; list, end one, end all others.

use app::error::AppError;
use app::services::auth::local_idp::user_sessions;
use app::services::auth::Identity;
use app::services::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// `GET /api/v1/me/sessions`.
pub async fn list_sessions(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<Value>, AppError> {
    let sessions = user_sessions::list(&state, &identity).await?;
    Ok(Json(json!({ "success": true, "data": sessions })))
}

/// `DELETE /api/v1/me/sessions/{sid}` → 204; another user's or an unknown session → 404.
pub async fn revoke_session(
    State(state): State<AppState>,
    identity: Identity,
    Path(sid): Path<String>,
) -> Result<StatusCode, AppError> {
    user_sessions::revoke(&state, &identity, &sid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/me/sessions` → 204: "sign out everywhere else".
pub async fn revoke_other_sessions(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<StatusCode, AppError> {
    user_sessions::revoke_others(&state, &identity).await?;
    Ok(StatusCode::NO_CONTENT)
}
