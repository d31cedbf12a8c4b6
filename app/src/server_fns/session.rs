//! Who is signed in, their profile and onboarding.

use crate::domain::user::SessionUser;
use crate::error::ApiError;
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

/// One of the caller's sessions, for the profile page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub id: String,
    pub user_agent: Option<String>,
    pub created_at: String,
    pub last_active_at: String,
    pub expires_at: String,
    pub current: bool,
}

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
#[server]
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
#[server]
pub async fn get_profile() -> Result<Profile, ApiError> {
    use crate::services::auth::local_idp::sessions;
    use crate::services::db::iso8601;
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let stored = crate::services::users::repo::find(&state.db, &identity.user_id)
        .await
        .map_err(ssr::fail)?;
    let rows = sessions::list_active(&state.db, &identity.user_id)
        .await
        .map_err(ssr::fail)?;
    Ok(Profile {
        member_since: stored.map(|u| iso8601(u.created_at)),
        sessions: rows
            .into_iter()
            .map(|s| SessionSummary {
                current: identity.session_id.as_deref() == Some(s.id.as_str()),
                id: s.id,
                user_agent: s.user_agent,
                created_at: iso8601(s.created_at),
                last_active_at: iso8601(s.last_active_at),
                expires_at: iso8601(s.expires_at),
            })
            .collect(),
        user: identity.to_session_user(),
    })
}

/// Marks onboarding done for the caller.
///
/// # Errors
/// 401 codes when not signed in.
#[server]
pub async fn complete_onboarding() -> Result<(), ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::users::repo::mark_onboarded(&state.db, &identity.user_id)
        .await
        .map_err(ssr::fail)
}

#[cfg(feature = "ssr")]
use super::ssr;
