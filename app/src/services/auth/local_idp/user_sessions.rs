//! What users do with their own sessions of the local provider: list them, end one, end all but this one.
//! Ending a session also refuses its live tokens at once (`session_revoked`). With Clerk, ending one is asked
//! of Clerk first (`POST /v1/sessions/{id}/revoke`), so the session mints no more tokens there either.

use super::sessions;
use crate::domain::session::SessionSummary;
use crate::error::AppError;
use crate::services::auth::{revocations, Identity};
use crate::services::db::iso8601;
use crate::services::users::clerk_api;
use crate::services::AppState;

/// Why a session ended when its owner ended it from another one.
const REVOKED_BY_USER: &str = "revoked";

/// The caller's live sessions, most recently active first.
///
/// # Errors
/// Database failures.
#[tracing::instrument(skip_all, fields(user = %identity.user_id))]
pub async fn list(state: &AppState, identity: &Identity) -> Result<Vec<SessionSummary>, AppError> {
    Ok(sessions::list_active(&state.db, &identity.user_id)
        .await?
        .into_iter()
        .map(|s| SessionSummary {
            current: identity.session_id.as_deref() == Some(s.id.as_str()),
            id: s.id,
            user_agent: s.user_agent,
            ip: s.ip,
            created_at: iso8601(s.created_at),
            last_active_at: iso8601(s.last_active_at),
            expires_at: iso8601(s.expires_at),
        })
        .collect())
}

/// Ends one of the caller's sessions (their current one too, if they ask).
///
/// # Errors
/// `NotFound` for a session that is not the caller's or is already over.
#[tracing::instrument(skip_all, fields(user = %identity.user_id))]
pub async fn revoke(state: &AppState, identity: &Identity, sid: &str) -> Result<(), AppError> {
    if !state.config.uses_local_identity() {
        return revoke_at_clerk(state, identity, sid).await;
    }
    if sessions::end_owned(&state.db, &identity.user_id, sid, REVOKED_BY_USER).await? {
        super::outbox::session_changed(state, "session.revoked", sid).await;
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Clerk mode: a session that is not the caller's current one is first looked up at Clerk, so nobody ends
/// (or learns of) another user's session; then Clerk revokes it, then its tokens are refused here at once
/// rather than when the `session.revoked` webhook arrives.
async fn revoke_at_clerk(state: &AppState, identity: &Identity, sid: &str) -> Result<(), AppError> {
    let backend = clerk_api::backend(state)?;
    if identity.session_id.as_deref() != Some(sid) {
        match backend.get_session(sid).await? {
            Some(session) if session.user_id == identity.user_id && session.status == "active" => {}
            _ => return Err(AppError::NotFound),
        }
    }
    backend.revoke_session(sid).await?;
    let mut conn = state.db.pool.acquire().await?;
    revocations::revoke(&mut conn, sid, Some(&identity.user_id), REVOKED_BY_USER).await
}

/// "Sign out everywhere else": ends every session of the caller but the one the request came from.
///
/// # Errors
/// Database failures.
#[tracing::instrument(skip_all, fields(user = %identity.user_id))]
pub async fn revoke_others(state: &AppState, identity: &Identity) -> Result<usize, AppError> {
    sessions::end_all_except(
        &state.db,
        &identity.user_id,
        identity.session_id.as_deref(),
        REVOKED_BY_USER,
    )
    .await
}
