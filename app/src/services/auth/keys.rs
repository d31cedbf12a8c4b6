//! Public keys for verifying session tokens: a fixed set (PEM or the local provider's key) or a JWKS URL,
//! cached and refetched on an unknown `kid` no more often than a cooldown allows.

use super::public_key::{PublicKeyError, RsaPublicKey};
use crate::error::AppError;
use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, RwLock};

/// Where keys come from.
pub enum KeySource {
    /// Keys known at start; `None` as `kid` matches a token without one (a single PEM).
    Fixed(HashMap<Option<String>, RsaPublicKey>),
    /// A JWKS document over HTTPS, trusted for `ttl`; unknown `kid`s refetch it at most once per `cooldown`
    /// so a flood of bad tokens cannot hammer the issuer.
    Jwks {
        url: String,
        client: reqwest::Client,
        ttl: Duration,
        cooldown: Duration,
    },
}

#[derive(Default)]
struct JwksCache {
    keys: HashMap<String, RsaPublicKey>,
    fetched_at: Option<Instant>,
    last_attempt: Option<Instant>,
    /// Bumped whenever a refetch drops a `kid`, so verdicts reached with the old set can be told apart.
    generation: u64,
}

impl JwksCache {
    /// Whether the last fetch is recent enough to trust without asking the issuer again.
    fn is_fresh(&self, ttl: Duration) -> bool {
        self.fetched_at.is_some_and(|at| at.elapsed() < ttl)
    }
}

/// Keys by `kid`.
pub struct KeyStore {
    source: KeySource,
    cache: RwLock<JwksCache>,
    fetching: Mutex<()>,
}

impl KeyStore {
    /// A store over `source`.
    pub fn new(source: KeySource) -> Self {
        Self {
            source,
            cache: RwLock::new(JwksCache::default()),
            fetching: Mutex::new(()),
        }
    }

    /// A store holding one PEM public key (`CLERK_JWT_KEY`), matched whatever the token's `kid`.
    ///
    /// # Errors
    /// When the PEM is not an RSA public key.
    pub fn from_pem(pem: &str) -> Result<Self, PublicKeyError> {
        let key = RsaPublicKey::from_pem(pem)?;
        Ok(Self::new(KeySource::Fixed(HashMap::from([(None, key)]))))
    }

    /// Which key set verdicts are being reached with now: `None` when that cannot be vouched for without a
    /// refetch (the JWKS is stale or being refreshed), so a cached verdict must be earned again.
    pub fn current_generation(&self) -> Option<u64> {
        match &self.source {
            KeySource::Fixed(_) => Some(0),
            KeySource::Jwks { ttl, .. } => {
                let cache = self.cache.try_read().ok()?;
                cache.is_fresh(*ttl).then_some(cache.generation)
            }
        }
    }

    /// The key for a token's `kid`, with the generation of the key set it came from.
    ///
    /// # Errors
    /// `UnknownKey` when no key matches even after a refetch; `Unavailable` when the JWKS cannot be fetched
    /// and nothing is cached.
    pub async fn key_for(&self, kid: Option<&str>) -> Result<(RsaPublicKey, u64), AppError> {
        match &self.source {
            KeySource::Fixed(keys) => kid
                .and_then(|kid| keys.get(&Some(kid.to_owned())))
                .or_else(|| keys.get(&None))
                .map(|key| (key.clone(), 0))
                .ok_or(AppError::UnknownKey),
            KeySource::Jwks {
                url,
                client,
                ttl,
                cooldown,
            } => {
                let kid = kid.ok_or(AppError::UnknownKey)?;
                {
                    let cache = self.cache.read().await;
                    if cache.is_fresh(*ttl) {
                        if let Some(key) = cache.keys.get(kid) {
                            return Ok((key.clone(), cache.generation));
                        }
                    }
                }
                self.refresh(url, client, *cooldown).await?;
                let cache = self.cache.read().await;
                cache
                    .keys
                    .get(kid)
                    .map(|key| (key.clone(), cache.generation))
                    .ok_or(AppError::UnknownKey)
            }
        }
    }

    async fn refresh(
        &self,
        url: &str,
        client: &reqwest::Client,
        cooldown: Duration,
    ) -> Result<(), AppError> {
        // One fetch at a time; callers that waited find the result of the fetch they queued behind.
        let _guard = self.fetching.lock().await;
        // Within the cooldown the keys we have stand, stale or not: an unknown kid then fails fast.
        if self
            .cache
            .read()
            .await
            .last_attempt
            .is_some_and(|at| at.elapsed() < cooldown)
        {
            return Ok(());
        }
        self.cache.write().await.last_attempt = Some(Instant::now());
        match fetch_jwks(client, url).await {
            Ok(keys) => {
                let mut cache = self.cache.write().await;
                if cache.keys.keys().any(|kid| !keys.contains_key(kid)) {
                    cache.generation += 1;
                }
                cache.keys = keys;
                cache.fetched_at = Some(Instant::now());
                Ok(())
            }
            Err(err) => {
                tracing::warn!(%err, "JWKS fetch failed");
                if self.cache.read().await.keys.is_empty() {
                    Err(AppError::Unavailable(format!("JWKS fetch failed: {err}")))
                } else {
                    Ok(())
                }
            }
        }
    }
}

async fn fetch_jwks(
    client: &reqwest::Client,
    url: &str,
) -> Result<HashMap<String, RsaPublicKey>, String> {
    let set: JwkSet = client
        .get(url)
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let mut keys = HashMap::new();
    for jwk in &set.keys {
        let (Some(kid), AlgorithmParameters::RSA(rsa)) = (&jwk.common.key_id, &jwk.algorithm)
        else {
            continue;
        };
        // Parsed here, once per kid, rather than on every token.
        match RsaPublicKey::from_components(&rsa.n, &rsa.e) {
            Ok(key) => {
                keys.insert(kid.clone(), key);
            }
            Err(err) => tracing::warn!(%kid, %err, "skipping unusable JWK"),
        }
    }
    Ok(keys)
}
