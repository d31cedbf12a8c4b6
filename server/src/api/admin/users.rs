//! `GET /api/v1/admin/users`: everyone with an account.

use crate::extract::pagination::Pagination;
use app::error::AppError;
use app::services::auth::Identity;
use app::services::{users, AppState};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

/// Lists users, newest first.
pub async fn list_users(
    State(state): State<AppState>,
    identity: Identity,
    pagination: Pagination,
) -> Result<Json<Value>, AppError> {
    let rows = users::admin::list(&state, &identity, pagination.limit, pagination.offset).await?;
    Ok(Json(json!({ "success": true, "data": rows })))
}
