//! Clerk's Backend API (`CLERK_API_URL`, bearer `CLERK_SECRET_KEY`): the calls T2M makes on Clerk's side when a
//! change must happen there first. Any refusal is `IdentityProvider` (502), and the caller changes nothing
//! locally.

use crate::error::AppError;
use crate::services::config::{Config, IdentityConfig};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

/// How long one Backend API call may take before T2M gives up (and changes nothing).
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// A client for one Clerk instance's Backend API.
pub struct ClerkBackend {
    http: reqwest::Client,
    api_url: String,
    secret_key: SecretString,
}

impl ClerkBackend {
    /// The Backend API of the configured Clerk instance.
    ///
    /// # Errors
    /// `NotFound` with the built-in provider (there is no Clerk to call); `IdentityProvider` when
    /// `CLERK_SECRET_KEY` is not set.
    pub fn from_config(config: &Config) -> Result<Self, AppError> {
        let IdentityConfig::Clerk(clerk) = &config.identity else {
            return Err(AppError::NotFound);
        };
        let secret_key = clerk.secret_key.clone().ok_or_else(|| {
            AppError::IdentityProvider(
                "CLERK_SECRET_KEY is not set; Clerk's Backend API cannot be called".into(),
            )
        })?;
        let http = reqwest::Client::builder()
            .timeout(CALL_TIMEOUT)
            .build()
            .map_err(AppError::internal)?;
        Ok(Self {
            http,
            api_url: clerk.api_url.trim_end_matches('/').to_owned(),
            secret_key,
        })
    }

    /// `DELETE /v1/users/{id}`. A user Clerk no longer knows (404) is already deleted there.
    ///
    /// # Errors
    /// `IdentityProvider` when Clerk refuses or cannot be reached.
    #[tracing::instrument(skip_all, fields(user = %user_id))]
    pub async fn delete_user(&self, user_id: &str) -> Result<(), AppError> {
        let url = format!("{}/v1/users/{}", self.api_url, path_segment(user_id));
        let response = self
            .http
            .delete(url)
            .bearer_auth(self.secret_key.expose_secret())
            .send()
            .await
            .map_err(|e| AppError::IdentityProvider(format!("DELETE user: {e}")))?;
        match response.status() {
            status if status.is_success() => Ok(()),
            reqwest::StatusCode::NOT_FOUND => Ok(()),
            status => Err(AppError::IdentityProvider(format!(
                "DELETE user: HTTP {status}"
            ))),
        }
    }
}

/// A user id as one path segment: Clerk ids are `user_[A-Za-z0-9]+`, anything else is escaped.
fn path_segment(id: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'_').remove(b'-');
    percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::path_segment;

    #[test]
    fn ids_cannot_walk_out_of_their_path_segment() {
        assert_eq!(path_segment("user_2abc"), "user_2abc");
        assert_eq!(path_segment("../admin"), "%2E%2E%2Fadmin");
    }
}
