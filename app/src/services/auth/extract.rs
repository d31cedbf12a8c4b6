//! Getting the `Identity` out of a request: the token from `Authorization: Bearer` or the `__session` cookie
//! (never the query string), verified by the one `Verifier`.

use super::identity::Identity;
use super::revocations;
use crate::error::AppError;
use crate::services::observe::RequestUser;
use crate::services::{users, AppState};
use axum::extract::{FromRef, FromRequestParts};
use http::request::Parts;
use http::HeaderMap;

use super::cookies;

/// The token a request carries; a malformed `Authorization` header is an error, not an absence.
///
/// # Errors
/// `MalformedToken` for an `Authorization` header that is not `Bearer <token>`.
pub fn token_from(headers: &HeaderMap) -> Result<Option<&str>, AppError> {
    if let Some(value) = headers.get(http::header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| AppError::MalformedToken)?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AppError::MalformedToken)?;
        return Ok(Some(token));
    }
    Ok(cookies::get(headers, cookies::SESSION).filter(|t| !t.is_empty()))
}

/// Verifies the caller of a request.
///
/// # Errors
/// `MissingToken` when none is carried, `UserDeleted` or `SessionRevoked` for a token whose user or session
/// is gone, otherwise the verifier's code.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Identity, AppError> {
    if state.config.dev_mode {
        return Ok(Identity::dev_user());
    }
    let token = token_from(headers)?.ok_or(AppError::MissingToken)?;
    let claims = state.verifier.verify(token).await?;
    let user_id = claims.user_id.as_deref().unwrap_or(&claims.sub);
    // After the verifier and its cache: a cached verdict vouches for the signature, never for the user or
    // session still standing, so this runs for every request.
    revocations::check_standing(&state.db, user_id, claims.sid.as_deref()).await?;
    if Identity::claims_are_complete(&claims) {
        return Ok(Identity::from_claims(claims, None));
    }
    let stored = users::repo::find(&state.db, user_id).await?;
    Ok(Identity::from_claims(claims, stored.as_ref()))
}

/// The outcome of authenticating one request, computed once and kept in its extensions.
#[derive(Debug, Clone)]
pub struct AuthOutcome(pub Result<Identity, AppError>);

impl AuthOutcome {
    /// Keeps the outcome in the request's extensions, and names its user for the access log.
    pub fn remember(extensions: &mut http::Extensions, outcome: Result<Identity, AppError>) {
        if let (Ok(identity), Some(user)) = (&outcome, extensions.get::<RequestUser>()) {
            user.set(&identity.user_id);
        }
        extensions.insert(Self(outcome));
    }
}

impl<S> FromRequestParts<S> for Identity
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(AuthOutcome(outcome)) = parts.extensions.get::<AuthOutcome>() {
            return outcome.clone();
        }
        let state = AppState::from_ref(state);
        let outcome = authenticate(&state, &parts.headers).await;
        AuthOutcome::remember(&mut parts.extensions, outcome.clone());
        outcome
    }
}
