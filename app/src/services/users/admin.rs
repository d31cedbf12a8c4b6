//! What administrators may see and change about users.

use super::repo;
use crate::domain::admin::{AdminUser, AdminUserPage};
use crate::domain::user::{Role, Tier};
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::db::iso8601;
use crate::services::paging::{decode_cursor, search_text, split_page};
use crate::services::AppState;

/// A page of users, newest first; `text` matches email or name, whatever the case.
///
/// # Errors
/// `Forbidden` for non-admins; `invalid_q` or `invalid_cursor` for junk.
#[tracing::instrument(skip_all, fields(admin = %identity.user_id))]
pub async fn list(
    state: &AppState,
    identity: &Identity,
    text: Option<&str>,
    cursor: Option<&str>,
    limit: i64,
) -> Result<AdminUserPage, AppError> {
    identity.require_admin()?;
    let text = search_text(text)?;
    let cursor = cursor.map(decode_cursor).transpose()?;
    let after = cursor.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut rows = repo::list(&state.db, text.as_deref(), after, limit + 1).await?;
    let next_cursor = split_page(&mut rows, limit, |u| (u.created_at, &u.id));
    let items = rows
        .into_iter()
        .map(|u| AdminUser {
            name: u.display_name(),
            role: u.role(),
            tier: u.tier(),
            created_at: iso8601(u.created_at),
            last_sign_in_at: u.last_sign_in_at.map(iso8601),
            id: u.id,
            email: u.email,
        })
        .collect();
    Ok(AdminUserPage { items, next_cursor })
}

/// Changes a user's role and tier.
///
/// # Errors
/// `Forbidden` for non-admins, `NotFound` for unknown users.
#[tracing::instrument(skip_all, fields(admin = %identity.user_id, user = %user_id))]
pub async fn set_access(
    state: &AppState,
    identity: &Identity,
    user_id: &str,
    role: Role,
    tier: Tier,
) -> Result<(), AppError> {
    identity.require_admin()?;
    repo::set_role_and_tier(&state.db, user_id, role, tier).await
}
