//! A browser's client session of the local provider after sign-in: resolving its `__client` secret (where
//! server-side idleness is enforced), minting its tokens, ending it.

use super::account::{local_keys, SignedIn};
use super::sessions::{self, SessionRow};
use super::tokens::{mint, TokenRequest};
use crate::error::AppError;
use crate::services::db::now_ms;
use crate::services::users::{self, UserRow};
use crate::services::AppState;

/// After a sign-in (or sign-up) from a browser: its previous session ends, so the old `__client` secret mints
/// nothing any more (the new session came with a fresh one), and the new session notes the client's address.
///
/// # Errors
/// Database failures.
pub async fn replace_previous_session(
    state: &AppState,
    previous_secret: Option<&str>,
    signed_in: &SignedIn,
    ip: Option<&str>,
) -> Result<(), AppError> {
    if let Some(previous) = previous_secret.filter(|p| *p != signed_in.client_secret) {
        sign_out(state, previous, "replaced").await?;
    }
    if let Some(ip) = ip {
        sessions::record_ip(&state.db, &signed_in.session.id, ip).await?;
    }
    Ok(())
}

/// Why a session ended when the user stayed away too long (the browser's idle hook uses the same word).
pub const INACTIVITY: &str = "inactivity";

/// The live session and user behind a client cookie. `idle_ms` is how long ago the user last gave input,
/// as the browser reports it on token requests; `None` (a background refresh, `GET /v1/client`) records no
/// activity. A session whose user has been idle longer than `T2M_INACTIVITY_TIMEOUT_SECS` ends here.
///
/// # Errors
/// `SessionExpired` when the session idled out or outlived its lifetime, `SessionRevoked` when it was ended
/// otherwise or its user is gone.
pub async fn resolve(
    state: &AppState,
    client_secret: &str,
    idle_ms: Option<u64>,
) -> Result<(SessionRow, UserRow), AppError> {
    let session = sessions::find_by_secret(&state.db, client_secret)
        .await?
        .ok_or(AppError::SessionRevoked)?;
    if session.ended_at.is_some() {
        return Err(match session.end_reason.as_deref() {
            Some(INACTIVITY) => AppError::SessionExpired,
            _ => AppError::SessionRevoked,
        });
    }
    let now = now_ms();
    if session.expires_at <= now {
        return Err(AppError::SessionExpired);
    }
    let reported = idle_ms.map(|idle| now.saturating_sub(i64::try_from(idle).unwrap_or(i64::MAX)));
    let last_input = reported.map_or(session.last_active_at, |at| at.max(session.last_active_at));
    let timeout_ms = i64::try_from(state.config.inactivity_timeout.as_millis()).unwrap_or(i64::MAX);
    if now.saturating_sub(last_input) > timeout_ms {
        sessions::end(&state.db, &session.id, INACTIVITY).await?;
        return Err(AppError::SessionExpired);
    }
    if last_input > session.last_active_at {
        sessions::record_activity(&state.db, &session.id, last_input).await?;
    }
    let user = users::repo::find(&state.db, &session.user_id)
        .await?
        .ok_or(AppError::SessionRevoked)?;
    Ok((session, user))
}

/// Mints a session token (or the `t2m-api` template token) for a client session; `idle_ms` as for
/// [`resolve`].
///
/// # Errors
/// `SessionExpired` or `SessionRevoked` when the session is over.
pub async fn session_token(
    state: &AppState,
    client_secret: &str,
    template: Option<&str>,
    idle_ms: Option<u64>,
) -> Result<(String, SessionRow, UserRow), AppError> {
    let keys = local_keys(state)?;
    let (session, user) = resolve(state, client_secret, idle_ms).await?;
    let now = chrono::Utc::now().timestamp();
    let token = mint(
        keys,
        &TokenRequest {
            issuer: &state.config.app_url,
            user: &user,
            session_id: &session.id,
            authorized_party: &state.config.app_url,
            ttl_secs: i64::try_from(state.config.session_token_ttl.as_secs()).unwrap_or(60),
            now,
            template,
        },
    )
    .map_err(AppError::internal)?;
    Ok((token, session, user))
}

/// Ends the session behind a client cookie; unknown or ended sessions are already signed out.
///
/// # Errors
/// Database failures.
pub async fn sign_out(state: &AppState, client_secret: &str, reason: &str) -> Result<(), AppError> {
    if let Some(session) = sessions::find_active(&state.db, client_secret).await? {
        sessions::end(&state.db, &session.id, reason).await?;
        super::outbox::session_changed(state, "session.ended", &session.id).await;
    }
    Ok(())
}
