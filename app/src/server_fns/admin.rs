//! Admin data for the admin pages; every function checks the admin role in the service it calls.

use crate::domain::user::{Role, Tier};
use crate::error::ApiError;
use crate::server_fns::client::SessionClient;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ssr;

pub use crate::domain::admin::{AdminUser, AdminUserPage, DayActivity, Overview, SystemStatus};

/// Service-wide counts.
///
/// # Errors
/// 401/403 codes.
#[server(client = SessionClient)]
pub async fn admin_overview() -> Result<Overview, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::admin::overview(&state, &identity)
        .await
        .map_err(ssr::fail)
}

/// The last 14 days of activity.
///
/// # Errors
/// 401/403 codes.
#[server(client = SessionClient)]
pub async fn admin_activity() -> Result<Vec<DayActivity>, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::admin::activity(&state, &identity, 14)
        .await
        .map_err(ssr::fail)
}

/// System health.
///
/// # Errors
/// 401/403 codes.
#[server(client = SessionClient)]
pub async fn admin_system() -> Result<SystemStatus, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::admin::system(&state, &identity)
        .await
        .map_err(ssr::fail)
}

/// A page of users, newest first, optionally those whose email or name contains `q`, after `cursor`.
///
/// # Errors
/// 401/403 codes; `invalid_q`, `invalid_cursor`.
#[server(client = SessionClient)]
pub async fn admin_users(
    q: Option<String>,
    cursor: Option<String>,
) -> Result<AdminUserPage, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let cursor = cursor.filter(|c| !c.is_empty());
    crate::services::users::admin::list(&state, &identity, q.as_deref(), cursor.as_deref(), 50)
        .await
        .map_err(ssr::fail)
}

/// Changes a user's role and plan (with Clerk, through Clerk first).
///
/// # Errors
/// 401/403 codes; `not_found`; `identity_provider_error` when Clerk refuses (nothing changed).
#[server(client = SessionClient)]
pub async fn admin_set_access(user_id: String, role: Role, tier: Tier) -> Result<(), ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::users::admin::set_access(&state, &identity, &user_id, Some(role), Some(tier))
        .await
        .map(drop)
        .map_err(ssr::fail)
}
