//! Who is calling: session-token verification (Clerk or the local provider), the `Identity` it yields, CSRF.

pub mod claims;
pub mod cookies;
pub mod csrf;
pub mod extract;
pub mod handshake;
pub mod identity;
pub mod keys;
pub mod local_idp;
pub mod public_key;
pub mod revocations;
pub mod verify;

pub use identity::Identity;
pub use verify::Verifier;

use crate::services::config::{ClerkKeys, Config, IdentityConfig};
use keys::{KeySource, KeyStore};
use local_idp::LocalKeys;
use std::collections::HashMap;
use std::sync::Arc;

/// Why the verifier could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum AuthSetupError {
    #[error("CLERK_JWT_KEY is not an RSA public key in PEM form: {0}")]
    BadPem(String),
    #[error(transparent)]
    LocalKeys(#[from] local_idp::keys::KeyError),
    #[error("could not build the HTTP client for CLERK_JWKS_URL: {0}")]
    Http(String),
}

/// The verifier for this configuration, and the local provider's keys when it is the issuer.
///
/// # Errors
/// When keys cannot be loaded.
pub fn build(config: &Config) -> Result<(Verifier, Option<Arc<LocalKeys>>), AuthSetupError> {
    let leeway = config.clock_leeway.as_secs();
    match &config.identity {
        IdentityConfig::Local => {
            let local = Arc::new(LocalKeys::load_or_create(&config.data_dir)?);
            // The same verifier as for Clerk, fed the provider's public key instead of a fetched JWKS.
            let store = KeyStore::new(KeySource::Fixed(HashMap::from([(
                Some(local.kid.clone()),
                local.decoding.clone(),
            )])));
            let verifier = Verifier::new(
                store,
                &config.app_url,
                config.authorized_parties.clone(),
                leeway,
            );
            Ok((verifier, Some(local)))
        }
        IdentityConfig::Clerk(clerk) => {
            let store = match &clerk.keys {
                ClerkKeys::Pem(pem) => {
                    KeyStore::from_pem(pem).map_err(|e| AuthSetupError::BadPem(e.to_string()))?
                }
                ClerkKeys::Jwks(url) => KeyStore::new(KeySource::Jwks {
                    url: url.clone(),
                    client: reqwest::Client::builder()
                        .user_agent(concat!("t2m/", env!("CARGO_PKG_VERSION")))
                        .build()
                        .map_err(|e| AuthSetupError::Http(e.to_string()))?,
                    ttl: config.jwks_ttl,
                    cooldown: config.jwks_cooldown,
                    max_stale: config.hardening.jwks_max_stale,
                }),
            };
            let verifier = Verifier::new(
                store,
                &clerk.issuer,
                config.authorized_parties.clone(),
                leeway,
            );
            Ok((verifier, None))
        }
    }
}
