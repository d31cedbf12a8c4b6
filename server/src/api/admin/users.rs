//! `GET /api/v1/admin/users?q=&cursor=&limit=`: everyone with an account, searchable by email or name.

use crate::extract::cursor::CursorPage;
use app::error::AppError;
use app::services::auth::Identity;
use app::services::{users, AppState};
use axum::extract::{Query, State};
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
