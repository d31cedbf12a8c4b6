//! What administrators may see and change about users. With Clerk, role and plan live in the user's
//! `public_metadata` there: a change is written to Clerk first (so the user's next token carries it and the
//! next `user.updated` webhook agrees), and only once Clerk has accepted it here.

use super::{clerk_api, repo, UserRow};
use crate::domain::admin::{AdminUser, AdminUserPage};
use crate::domain::user::{Role, Tier};
use crate::error::AppError;
use crate::services::auth::local_idp::outbox;
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
    let items = rows.into_iter().map(view).collect();
    Ok(AdminUserPage { items, next_cursor })
}

fn view(u: UserRow) -> AdminUser {
    AdminUser {
        name: u.display_name(),
        role: u.role(),
        tier: u.tier(),
        created_at: iso8601(u.created_at),
        last_sign_in_at: u.last_sign_in_at.map(iso8601),
        id: u.id,
        email: u.email,
    }
}

/// Changes a user's role and tier (`None` keeps the current one) and answers the user as now stored. With
/// Clerk the change goes to Clerk's `public_metadata` (`role`, `subscription_tier`) first; if Clerk refuses,
/// nothing changes here.
///
/// # Errors
/// `Forbidden` for non-admins, `NotFound` for unknown users, `IdentityProvider` when Clerk refuses.
#[tracing::instrument(skip_all, fields(admin = %identity.user_id, user = %user_id))]
pub async fn set_access(
    state: &AppState,
    identity: &Identity,
    user_id: &str,
    role: Option<Role>,
    tier: Option<Tier>,
) -> Result<AdminUser, AppError> {
    identity.require_admin()?;
    let user = repo::find(&state.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = role.unwrap_or_else(|| user.role());
    let tier = tier.unwrap_or_else(|| user.tier());
    if (role, tier) == (user.role(), user.tier()) {
        return Ok(view(user));
    }
    let clerk_updated_at = if state.config.uses_local_identity() {
        None
    } else {
        let metadata = serde_json::json!({
            "role": role.as_str(),
            "subscription_tier": tier.as_str(),
        });
        let clerk_user = clerk_api::backend(state)?
            .update_user_metadata(user_id, &metadata)
            .await?;
        crate::services::webhooks::clerk_user::updated_at(&clerk_user)
    };
    repo::set_role_and_tier(&state.db, user_id, role, tier, clerk_updated_at).await?;
    outbox::user_changed(state, "user.updated", user_id).await;
    let user = repo::find(&state.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(view(user))
}
