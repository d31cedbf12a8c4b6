//! Clerk's Backend API (`CLERK_API_URL`, bearer `CLERK_SECRET_KEY`): the calls T2M makes on Clerk's side when a
//! change must happen there first (account deletion, role and plan changes, ending a session). Throttling,
//! server failures and dropped connections are retried (`retry.rs`); any final refusal is `IdentityProvider`
//! (502), and the caller changes nothing locally.

mod retry;

pub use retry::RetryPolicy;

use crate::error::AppError;
use crate::services::config::{Config, IdentityConfig};
use crate::services::AppState;
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::time::Instant;

/// Why a Backend API call did not succeed. The text reaches the logs only; clients see `identity_provider_error`.
#[derive(Debug, thiserror::Error)]
pub enum ClerkApiError {
    #[error("CLERK_SECRET_KEY is not set; Clerk's Backend API cannot be called")]
    NoSecretKey,
    #[error("{call}: Clerk refused with HTTP {status} after {attempts} attempt(s): {detail}")]
    Refused {
        call: &'static str,
        status: u16,
        attempts: u32,
        detail: String,
    },
    #[error("{call}: Clerk could not be reached after {attempts} attempt(s): {source}")]
    Unreachable {
        call: &'static str,
        attempts: u32,
        #[source]
        source: reqwest::Error,
    },
    #[error("{call}: Clerk's answer is not what was expected: {reason}")]
    UnexpectedAnswer { call: &'static str, reason: String },
    #[error("could not build the Backend API's HTTP client: {0}")]
    Client(#[source] reqwest::Error),
}

impl From<ClerkApiError> for AppError {
    fn from(err: ClerkApiError) -> Self {
        Self::IdentityProvider(err.to_string())
    }
}

/// A Clerk session as the Backend API describes it (the fields T2M reads).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ClerkSession {
    pub id: String,
    pub user_id: String,
    /// `active`, `ended`, `revoked`, `removed`, `expired`, …
    pub status: String,
}

/// A client for one Clerk instance's Backend API; built once at start and shared.
pub struct ClerkBackend {
    http: reqwest::Client,
    api_url: String,
    secret_key: SecretString,
    policy: RetryPolicy,
}

/// The configured Clerk's Backend API.
///
/// # Errors
/// `NotFound` with the built-in provider (there is no Clerk to call); `IdentityProvider` when
/// `CLERK_SECRET_KEY` is not set.
pub fn backend(state: &AppState) -> Result<&ClerkBackend, AppError> {
    if state.config.uses_local_identity() {
        return Err(AppError::NotFound);
    }
    state
        .clerk_backend
        .as_deref()
        .ok_or_else(|| ClerkApiError::NoSecretKey.into())
}

impl ClerkBackend {
    /// The Backend API of the configured Clerk instance; `None` with the built-in provider or without
    /// `CLERK_SECRET_KEY` (calls then fail with `NoSecretKey`).
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn from_config(config: &Config) -> Result<Option<Self>, ClerkApiError> {
        let IdentityConfig::Clerk(clerk) = &config.identity else {
            return Ok(None);
        };
        let Some(secret_key) = clerk.secret_key.clone() else {
            return Ok(None);
        };
        Self::new(&clerk.api_url, secret_key, RetryPolicy::default()).map(Some)
    }

    /// A client for the Backend API at `api_url`.
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn new(
        api_url: &str,
        secret_key: SecretString,
        policy: RetryPolicy,
    ) -> Result<Self, ClerkApiError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("t2m/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(ClerkApiError::Client)?;
        Ok(Self {
            http,
            api_url: api_url.trim_end_matches('/').to_owned(),
            secret_key,
            policy,
        })
    }

    /// `DELETE /v1/users/{id}`. A user Clerk no longer knows (404) is already deleted there.
    ///
    /// # Errors
    /// `Refused` or `Unreachable` once retries are spent.
    #[tracing::instrument(skip_all, fields(user = %user_id))]
    pub async fn delete_user(&self, user_id: &str) -> Result<(), ClerkApiError> {
        let path = format!("/v1/users/{}", path_segment(user_id));
        self.call("DELETE user", Method::DELETE, &path, None)
            .await
            .map(drop)
    }

    /// `PATCH /v1/users/{id}/metadata` with `{public_metadata}`: Clerk merges it into the user's (a key set to
    /// `null` is removed) and every session token minted afterwards carries it. Answers the updated user.
    ///
    /// # Errors
    /// `Refused` (a 404 included: the user must exist) or `Unreachable` once retries are spent.
    #[tracing::instrument(skip_all, fields(user = %user_id))]
    pub async fn update_user_metadata(
        &self,
        user_id: &str,
        public_metadata: &Value,
    ) -> Result<Value, ClerkApiError> {
        const CALL: &str = "PATCH user metadata";
        let path = format!("/v1/users/{}/metadata", path_segment(user_id));
        let body = json!({ "public_metadata": public_metadata });
        match self.call(CALL, Method::PATCH, &path, Some(&body)).await? {
            Some(user) => Ok(user),
            None => Err(ClerkApiError::Refused {
                call: CALL,
                status: 404,
                attempts: 1,
                detail: "no such user".into(),
            }),
        }
    }

    /// `GET /v1/sessions/{id}`; `None` when Clerk does not know it.
    ///
    /// # Errors
    /// `Refused`, `Unreachable`, or `UnexpectedAnswer` for a body that is not a session.
    #[tracing::instrument(skip_all, fields(session = %session_id))]
    pub async fn get_session(
        &self,
        session_id: &str,
    ) -> Result<Option<ClerkSession>, ClerkApiError> {
        const CALL: &str = "GET session";
        let path = format!("/v1/sessions/{}", path_segment(session_id));
        let Some(body) = self.call(CALL, Method::GET, &path, None).await? else {
            return Ok(None);
        };
        serde_json::from_value(body)
            .map(Some)
            .map_err(|e| ClerkApiError::UnexpectedAnswer {
                call: CALL,
                reason: e.to_string(),
            })
    }

    /// `POST /v1/sessions/{id}/revoke`: Clerk ends the session, so it mints no more tokens. A session Clerk
    /// does not know (404) has nothing left to revoke.
    ///
    /// # Errors
    /// `Refused` or `Unreachable` once retries are spent.
    #[tracing::instrument(skip_all, fields(session = %session_id))]
    pub async fn revoke_session(&self, session_id: &str) -> Result<(), ClerkApiError> {
        let path = format!("/v1/sessions/{}/revoke", path_segment(session_id));
        self.call("revoke session", Method::POST, &path, None)
            .await
            .map(drop)
    }

    /// One call, retried by the policy: the JSON body of a 2xx (`Null` when empty), `None` for a 404.
    async fn call(
        &self,
        call: &'static str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Option<Value>, ClerkApiError> {
        let url = format!("{}{path}", self.api_url);
        let deadline = Instant::now() + self.policy.budget;
        let mut attempt = 1;
        loop {
            let mut request = self
                .http
                .request(method.clone(), &url)
                .bearer_auth(self.secret_key.expose_secret())
                .timeout(deadline.saturating_duration_since(Instant::now()));
            if let Some(body) = body {
                request = request.json(body);
            }
            let (failure, asked_wait) =
                match request.send().await {
                    Ok(response) if response.status().is_success() => {
                        let bytes = response.bytes().await.map_err(|source| {
                            ClerkApiError::Unreachable {
                                call,
                                attempts: attempt,
                                source,
                            }
                        })?;
                        if bytes.is_empty() {
                            return Ok(Some(Value::Null));
                        }
                        return serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                            ClerkApiError::UnexpectedAnswer {
                                call,
                                reason: e.to_string(),
                            }
                        });
                    }
                    Ok(response) if response.status() == StatusCode::NOT_FOUND => return Ok(None),
                    Ok(response) => {
                        let status = response.status();
                        let wait =
                            retry::retry_after(response.headers(), chrono::Utc::now().timestamp());
                        let failure = ClerkApiError::Refused {
                            call,
                            status: status.as_u16(),
                            attempts: attempt,
                            detail: refusal_detail(&response.text().await.unwrap_or_default()),
                        };
                        if !retry::retryable(status) {
                            return Err(failure);
                        }
                        (failure, wait)
                    }
                    Err(source) => (
                        ClerkApiError::Unreachable {
                            call,
                            attempts: attempt,
                            source,
                        },
                        None,
                    ),
                };
            attempt += 1;
            let wait = self.policy.delay(attempt, asked_wait);
            if attempt > self.policy.attempts || Instant::now() + wait >= deadline {
                return Err(failure);
            }
            tracing::warn!(%failure, ?wait, "Clerk Backend API call failed; trying again");
            tokio::time::sleep(wait).await;
        }
    }
}

/// What Clerk said, from its error shape `{"errors":[{"code","message"}]}`, else the start of the body.
fn refusal_detail(body: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let first = parsed
        .as_ref()
        .and_then(|v| v.get("errors"))
        .and_then(|e| e.get(0));
    match first {
        Some(error) => format!(
            "{}: {}",
            error.get("code").and_then(Value::as_str).unwrap_or("?"),
            error.get("message").and_then(Value::as_str).unwrap_or("")
        ),
        None => body.chars().take(200).collect(),
    }
}

/// An id as one path segment: Clerk ids are `user_[A-Za-z0-9]+`, anything else is escaped.
fn path_segment(id: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'_').remove(b'-');
    percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
}

#[cfg(test)]
mod tests;
