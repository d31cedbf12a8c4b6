//! Who is signed in, their profile and onboarding.

use crate::domain::user::SessionUser;
use crate::error::ApiError;
use crate::server_fns::client::SessionClient;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What every page needs to know about the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<SessionUser>,
    /// Idle time before the browser signs out.
    pub inactivity_timeout_secs: u64,
    /// True when the built-in identity provider runs (sign-in forms are ours, not Clerk's).
    pub local_identity: bool,
}

pub use crate::domain::session::SessionSummary;

/// The profile page's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub user: SessionUser,
    pub member_since: Option<String>,
    pub sessions: Vec<SessionSummary>,
}

/// The signed-in user, if any.
///
/// # Errors
/// `token_expired` (so the browser refreshes and retries); other token problems read as signed out.
#[server(client = SessionClient)]
pub async fn get_session() -> Result<SessionInfo, ApiError> {
    use crate::error::AppError;
    let state = crate::services::state().map_err(ssr::fail)?;
    let user = match ssr::caller().await {
        Ok((_, identity)) => Some(identity.to_session_user()),
        Err(err @ (AppError::TokenExpired { .. } | AppError::TokenNotActiveYet)) => {
            return Err(ssr::fail(err));
        }
        Err(AppError::Internal(cause)) => return Err(ssr::fail(AppError::Internal(cause))),
        Err(_) => None,
    };
    Ok(SessionInfo {
        user,
        inactivity_timeout_secs: state.config.inactivity_timeout.as_secs(),
        local_identity: state.config.uses_local_identity(),
    })
}

/// The caller's profile and live sessions.
///
/// # Errors
/// 401 codes when not signed in.
#[server(client = SessionClient)]
pub async fn get_profile() -> Result<Profile, ApiError> {
    use crate::services::auth::local_idp::user_sessions;
    use crate::services::db::iso8601;
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let stored = crate::services::users::repo::find(&state.db, &identity.user_id)
        .await
        .map_err(ssr::fail)?;
    let sessions = user_sessions::list(&state, &identity)
        .await
        .map_err(ssr::fail)?;
    Ok(Profile {
        member_since: stored.map(|u| iso8601(u.created_at)),
        sessions,
        user: identity.to_session_user(),
    })
}

/// Ends one of the caller's sessions; its tokens are refused at once.
///
/// # Errors
/// 401 codes when not signed in; `not_found` for a session that is not the caller's.
#[server(client = SessionClient)]
pub async fn revoke_session(session_id: String) -> Result<(), ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::auth::local_idp::user_sessions::revoke(&state, &identity, &session_id)
        .await
        .map_err(ssr::fail)
}

/// Ends every session of the caller except this one; returns how many ended.
///
/// # Errors
/// 401 codes when not signed in.
#[server(client = SessionClient)]
pub async fn revoke_other_sessions() -> Result<usize, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::auth::local_idp::user_sessions::revoke_others(&state, &identity)
        .await
        .map_err(ssr::fail)
}

/// Marks onboarding done for the caller.
///
/// # Errors
/// 401 codes when not signed in.
#[server(client = SessionClient)]
pub async fn complete_onboarding() -> Result<(), ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::users::repo::mark_onboarded(&state.db, &identity.user_id)
        .await
        .map_err(ssr::fail)
}

#[cfg(feature = "ssr")]
use super::ssr;
