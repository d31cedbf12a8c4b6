//! What administrators may see and change about users.

use super::repo;
use crate::domain::admin::AdminUser;
use crate::domain::user::{Role, Tier};
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::db::iso8601;
use crate::services::AppState;

/// Users newest first.
///
/// # Errors
/// `Forbidden` for non-admins.
#[tracing::instrument(skip_all, fields(admin = %identity.user_id))]
pub async fn list(
    state: &AppState,
    identity: &Identity,
    limit: i64,
    offset: i64,
) -> Result<Vec<AdminUser>, AppError> {
    identity.require_admin()?;
    Ok(repo::list(&state.db, limit, offset)
        .await?
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
        .collect())
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
