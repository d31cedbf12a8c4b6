//! `GET /api/v1/me`: the verified caller, as the API sees it.

use app::domain::user::SessionUser;
use app::services::auth::Identity;
use axum::Json;
use serde_json::{json, Value};

/// The caller's identity.
pub async fn get_me(identity: Identity) -> Json<Value> {
    let user: SessionUser = identity.to_session_user();
    Json(json!({ "success": true, "data": user }))
}
