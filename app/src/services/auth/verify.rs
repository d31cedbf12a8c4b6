//! The one session-token verifier used by page rendering, server functions and the REST API.

use super::claims::{SessionClaims, API_TEMPLATE};
use super::keys::KeyStore;
use crate::error::AppError;
use base64::Engine;
use sha2::Digest;

/// Most verified tokens remembered; a browser presents the same token many times within its minute.
const CACHE_CAPACITY: usize = 10_000;

/// Checks signature, issuer, authorized party, audience and lifetime of Clerk-shaped RS256 tokens.
pub struct Verifier {
    pub(super) keys: KeyStore,
    pub(super) issuer: String,
    authorized_parties: Vec<String>,
    pub(super) leeway_secs: i64,
    /// Claims of tokens whose signature and claims already checked out, by SHA-256 of the token, with the key
    /// set generation that vouched for them. A hit re-checks the lifetime and that the key set has not lost
    /// a key since: everything else about a token is immutable.
    verified: std::sync::Mutex<std::collections::HashMap<[u8; 32], (SessionClaims, u64)>>,
}

#[derive(serde::Deserialize)]
pub(super) struct RawHeader {
    pub(super) alg: Option<String>,
    pub(super) kid: Option<String>,
}

impl Verifier {
    /// A verifier accepting tokens from `issuer` signed by a key in `keys`.
    pub fn new(
        keys: KeyStore,
        issuer: &str,
        authorized_parties: Vec<String>,
        leeway_secs: u64,
    ) -> Self {
        Self {
            keys,
            issuer: issuer.trim_end_matches('/').to_owned(),
            authorized_parties,
            leeway_secs: i64::try_from(leeway_secs).unwrap_or(i64::MAX),
            verified: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }

    fn cached(&self, digest: &[u8; 32], now: i64) -> Option<SessionClaims> {
        let generation = self.keys.current_generation()?;
        let cache = self.verified.lock().ok()?;
        cache
            .get(digest)
            .filter(|(claims, vouched_by)| {
                *vouched_by == generation && self.check_lifetime(claims, now).is_ok()
            })
            .map(|(claims, _)| claims.clone())
    }

    fn remember(&self, digest: [u8; 32], claims: &SessionClaims, generation: u64, now: i64) {
        if let Ok(mut cache) = self.verified.lock() {
            if cache.len() >= CACHE_CAPACITY {
                // Expired entries go first; if every entry is live, start over rather than grow.
                cache.retain(|_, (c, _)| c.exp.saturating_add(self.leeway_secs) > now);
                if cache.len() >= CACHE_CAPACITY {
                    cache.clear();
                }
            }
            cache.insert(digest, (claims.clone(), generation));
        }
    }

    fn check_lifetime(&self, claims: &SessionClaims, now: i64) -> Result<(), AppError> {
        // Saturating: `exp` and `nbf` are whatever the issuer signed, extremes included.
        if claims.exp.saturating_add(self.leeway_secs) <= now {
            return Err(AppError::TokenExpired {
                expired_at: claims.exp,
                current_time: now,
            });
        }
        if claims
            .nbf
            .is_some_and(|nbf| nbf.saturating_sub(self.leeway_secs) > now)
        {
            return Err(AppError::TokenNotActiveYet);
        }
        Ok(())
    }

    /// Verifies `token` at the current time.
    ///
    /// # Errors
    /// One `AppError` per contract code: `malformed_token`, `unsupported_algorithm`, `unknown_key`,
    /// `invalid_signature`, `wrong_issuer`, `unauthorized_party`, `wrong_audience`, `token_expired`,
    /// `token_not_active_yet`.
    pub async fn verify(&self, token: &str) -> Result<SessionClaims, AppError> {
        self.verify_at(token, chrono::Utc::now().timestamp()).await
    }

    /// Verifies `token` as if the time were `now` (unix seconds).
    ///
    /// # Errors
    /// As [`Verifier::verify`].
    pub async fn verify_at(&self, token: &str, now: i64) -> Result<SessionClaims, AppError> {
        let digest: [u8; 32] = sha2::Sha256::digest(token.as_bytes()).into();
        if let Some(claims) = self.cached(&digest, now) {
            crate::services::observe::token_verified("ok", true);
            return Ok(claims);
        }
        let verified = self.verify_with_keys(token, now).await;
        let outcome = verified
            .as_ref()
            .map_or_else(AppError::code, |_| "ok".into());
        crate::services::observe::token_verified(&outcome, false);
        let (claims, generation) = verified?;
        self.remember(digest, &claims, generation, now);
        Ok(claims)
    }

    /// Verifies with no cache: signature and every claim, every time (benchmarks compare the two).
    ///
    /// # Errors
    /// As [`Verifier::verify`].
    pub async fn verify_uncached(&self, token: &str, now: i64) -> Result<SessionClaims, AppError> {
        Ok(self.verify_with_keys(token, now).await?.0)
    }

    /// Full verification; also says which key set generation vouched for the signature.
    async fn verify_with_keys(
        &self,
        token: &str,
        now: i64,
    ) -> Result<(SessionClaims, u64), AppError> {
        let header = read_header(token)?;
        // Only RS256: refusing everything else closes the `none` and HS256-with-public-key tricks.
        if header.alg.as_deref() != Some("RS256") {
            return Err(AppError::UnsupportedAlgorithm);
        }
        let (key, generation) = self.keys.key_for(header.kid.as_deref()).await?;
        // `read_header` vouched for three segments; the signature covers the first two exactly as sent.
        let (signing_input, signature) = token.rsplit_once('.').ok_or(AppError::MalformedToken)?;
        let signature = decode_segment(signature)?;
        if !key.verifies_rs256(signing_input.as_bytes(), &signature) {
            return Err(AppError::InvalidSignature);
        }
        let payload = signing_input
            .split_once('.')
            .map(|(_, payload)| payload)
            .ok_or(AppError::MalformedToken)?;
        // A missing or mistyped `exp`, `iss` or `sub` fails here: the claims type requires them.
        let claims: SessionClaims = serde_json::from_slice(&decode_segment(payload)?)
            .map_err(|_| AppError::MalformedToken)?;
        if claims.iss.trim_end_matches('/') != self.issuer {
            return Err(AppError::WrongIssuer);
        }
        if let Some(azp) = &claims.azp {
            if !self.authorized_parties.iter().any(|party| party == azp) {
                return Err(AppError::UnauthorizedParty);
            }
        }
        if let Some(aud) = &claims.aud {
            if !aud.contains(API_TEMPLATE) {
                return Err(AppError::WrongAudience);
            }
        }
        self.check_lifetime(&claims, now)?;
        Ok((claims, generation))
    }
}

pub(super) fn read_header(token: &str) -> Result<RawHeader, AppError> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(AppError::MalformedToken);
    };
    serde_json::from_slice(&decode_segment(header)?).map_err(|_| AppError::MalformedToken)
}

pub(super) fn decode_segment(segment: &str) -> Result<Vec<u8>, AppError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment.trim_end_matches('='))
        .map_err(|_| AppError::MalformedToken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::auth::keys::KeySource;
    use crate::services::auth::local_idp::tokens::{mint, TokenRequest};
    use crate::services::auth::local_idp::LocalKeys;
    use std::collections::HashMap;

    fn user() -> crate::services::users::UserRow {
        crate::services::users::UserRow {
            id: "user_1".into(),
            email: None,
            password_hash: None,
            first_name: None,
            last_name: None,
            image_url: None,
            role: "user".into(),
            permissions: "[]".into(),
            subscription_tier: "free".into(),
            onboarded: 0,
            created_at: 0,
            updated_at: 0,
            last_sign_in_at: None,
            deleted_at: None,
        }
    }

    #[tokio::test]
    async fn a_cached_token_still_expires_on_time() {
        let dir =
            std::env::temp_dir().join(format!("t2m-verify-{}", uuid::Uuid::new_v4().simple()));
        let keys = LocalKeys::load_or_create(&dir).unwrap();
        let store = KeyStore::new(KeySource::Fixed(HashMap::from([(
            Some(keys.kid.clone()),
            keys.decoding.clone(),
        )])));
        let verifier = Verifier::new(
            store,
            "https://t2m.test",
            vec!["https://t2m.test".into()],
            5,
        );
        let now = 1_800_000_000;
        let request = TokenRequest {
            issuer: "https://t2m.test",
            user: &user(),
            session_id: "sess_1",
            authorized_party: "https://t2m.test",
            ttl_secs: 60,
            now,
            template: None,
        };
        let token = mint(&keys, &request).unwrap();
        assert!(verifier.verify_at(&token, now).await.is_ok());
        assert!(
            verifier.verify_at(&token, now + 30).await.is_ok(),
            "served from the cache"
        );
        let err = verifier.verify_at(&token, now + 66).await.unwrap_err();
        assert_eq!(err.code(), "token_expired");
        let _ = std::fs::remove_dir_all(dir);
    }
}
