//! `GET /api/v1/admin/users?q=&cursor=&limit=`: everyone with an account, searchable by email or name;
//! `PATCH /api/v1/admin/users/{id}`: change one's role or plan.

use crate::extract::cursor::CursorPage;
use crate::extract::json::ApiJson;
use app::domain::user::{Role, Tier};
use app::error::AppError;
use app::services::auth::Identity;
use app::services::{users, AppState};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// `?q=`: search text.
#[derive(Deserialize)]
pub struct UserSearch {
    q: Option<String>,
}

/// Lists users, newest first: `{items, next_cursor}`.
pub async fn list_users(
    State(state): State<AppState>,
    identity: Identity,
    page: CursorPage,
    Query(search): Query<UserSearch>,
) -> Result<Json<Value>, AppError> {
    let page = users::admin::list(
        &state,
        &identity,
        search.q.as_deref(),
        page.cursor.as_deref(),
        page.limit,
    )
    .await?;
    Ok(Json(json!({ "success": true, "data": page })))
}

/// `{role?, subscription_tier?}`: what to change; an absent field keeps its value.
#[derive(Deserialize)]
pub struct AccessChange {
    #[serde(default)]
    role: Option<Role>,
    #[serde(default)]
    subscription_tier: Option<Tier>,
}

/// Changes a user's role and plan; answers the user. With Clerk, 502 `identity_provider_error` when Clerk
/// refuses (and nothing changed).
pub async fn update_user(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<AccessChange>,
) -> Result<Json<Value>, AppError> {
    let user = users::admin::set_access(
        &state,
        &identity,
        &id,
        change.role,
        change.subscription_tier,
    )
    .await?;
    Ok(Json(json!({ "success": true, "data": user })))
}
