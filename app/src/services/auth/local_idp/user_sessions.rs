//! What users do with their own sessions of the local provider: list them, end one, end all but this one.
//! Ending a session also refuses its live tokens at once (`session_revoked`).

use super::sessions;
use crate::domain::session::SessionSummary;
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::db::iso8601;
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
    if sessions::end_owned(&state.db, &identity.user_id, sid, REVOKED_BY_USER).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
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
