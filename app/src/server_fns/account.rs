//! The account for pages: usage, profile settings, password change and account deletion. The REST API
//! (`/api/v1/me…`) calls the same services.

use crate::domain::account::{AccountSettings, UsageSummary};
use crate::error::ApiError;
use crate::server_fns::client::SessionClient;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ssr;

/// Generations, storage and active jobs against the caller's limits.
///
/// # Errors
/// 401 codes; `unavailable` when the rate limiter's Redis is down.
#[server(client = SessionClient)]
pub async fn get_usage() -> Result<UsageSummary, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let usage = crate::services::usage::usage(&state, &identity)
        .await
        .map_err(ssr::fail)?;
    Ok(UsageSummary {
        generations_used: usage.generations.used,
        generations_limit: usage.generations.limit,
        generations_reset_at: usage.generations.resets_at,
        storage_used_bytes: usage.storage.used_bytes,
        storage_limit_bytes: usage.storage.limit_bytes,
        active_jobs: usage.active_jobs.count,
        active_jobs_limit: usage.active_jobs.limit,
    })
}

/// What the profile page may edit.
///
/// # Errors
/// 401 codes.
#[server(client = SessionClient)]
pub async fn get_account_settings() -> Result<AccountSettings, ApiError> {
    use crate::services::config::IdentityConfig;
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let stored = crate::services::users::repo::find(&state.db, &identity.user_id)
        .await
        .map_err(ssr::fail)?;
    let clerk_profile_url = match &state.config.identity {
        // Clerk's Account Portal lives beside its Frontend API: `clerk.<domain>` → `accounts.<domain>/user`.
        IdentityConfig::Clerk(clerk) => clerk
            .frontend_api
            .as_ref()
            .map(|f| format!("{}/user", f.replacen("://clerk.", "://accounts.", 1))),
        IdentityConfig::Local => None,
    };
    Ok(AccountSettings {
        local_identity: state.config.uses_local_identity(),
        first_name: stored.as_ref().and_then(|u| u.first_name.clone()),
        last_name: stored.as_ref().and_then(|u| u.last_name.clone()),
        email: identity.email.clone(),
        avatar_url: stored.and_then(|u| u.image_url),
        clerk_profile_url,
    })
}

/// Sets the caller's names (built-in provider).
///
/// # Errors
/// 401 codes; `invalid_name`.
#[server(client = SessionClient)]
pub async fn update_profile(first_name: String, last_name: String) -> Result<(), ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::users::account::update_name(
        &state,
        &identity,
        Some(&first_name),
        Some(&last_name),
    )
    .await
    .map_err(ssr::fail)
}

/// Changes the caller's password; every other session ends. Returns how many did.
///
/// # Errors
/// 401 codes; `wrong_password` (403); `invalid_password`.
#[server(client = SessionClient)]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<usize, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::auth::local_idp::password_change::change_password(
        &state,
        &identity,
        Some(&current_password),
        &new_password,
    )
    .await
    .map_err(ssr::fail)
}

/// Deletes the caller's account (password with the built-in provider, typed confirmation with Clerk).
///
/// # Errors
/// 401 codes; `invalid_password`, `wrong_password`, `invalid_confirm`, `identity_provider_error`.
#[server(client = SessionClient)]
pub async fn delete_account(password: String, confirm: String) -> Result<(), ApiError> {
    use crate::services::users::account::{self, DeleteAccount};
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let request = DeleteAccount {
        password: Some(password).filter(|p| !p.is_empty()),
        confirm: Some(confirm).filter(|c| !c.is_empty()),
    };
    account::delete_account(&state, &identity, &request)
        .await
        .map_err(ssr::fail)
}

/// Whether the caller has finished onboarding.
///
/// # Errors
/// 401 codes.
#[server(client = SessionClient)]
pub async fn get_onboarded() -> Result<bool, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let stored = crate::services::users::repo::find(&state.db, &identity.user_id)
        .await
        .map_err(ssr::fail)?;
    Ok(stored.is_some_and(|u| u.onboarded != 0))
}

/// Where the caller's picture is shown from, if they have one (the header's user button).
///
/// # Errors
/// 401 codes.
#[server(client = SessionClient)]
pub async fn get_avatar_url() -> Result<Option<String>, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    Ok(
        crate::services::users::repo::find(&state.db, &identity.user_id)
            .await
            .map_err(ssr::fail)?
            .and_then(|u| u.image_url),
    )
}
