//! Public keys for verifying session tokens: a fixed set (PEM or the local provider's key) or a JWKS URL,
//! cached and refetched on an unknown `kid` no more often than a cooldown allows. Past its TTL the cache keeps
//! answering while a background fetch refreshes it; past `max_stale` (the issuer unreachable all along) its
//! keys verify nothing until a fetch succeeds.

use super::public_key::{PublicKeyError, RsaPublicKey};
use crate::error::AppError;
use crate::services::observe;
use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet};
use std::collections::HashMap;
use std::sync::Arc;
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
        /// How long after the last successful fetch keys are still trusted while fetches fail.
        max_stale: Duration,
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

    /// Whether a fetch was tried so recently that another must wait.
    fn cooling_down(&self, cooldown: Duration) -> bool {
        self.last_attempt.is_some_and(|at| at.elapsed() < cooldown)
    }
}

/// What a cached key may be used for, by the age of the fetch it came from.
enum Staleness {
    Fresh,
    /// Usable, but a refresh is due.
    Stale,
    /// Past `max_stale`: not to be trusted until a fetch succeeds.
    Expired,
}

fn staleness(fetched_at: Option<Instant>, ttl: Duration, max_stale: Duration) -> Staleness {
    match fetched_at.map(|at| at.elapsed()) {
        Some(age) if age < ttl => Staleness::Fresh,
        Some(age) if age < max_stale => Staleness::Stale,
        _ => Staleness::Expired,
    }
}

/// Keys by `kid`.
pub struct KeyStore {
    source: KeySource,
    // Shared with background refreshes, which outlive the request that started them.
    cache: Arc<RwLock<JwksCache>>,
    fetching: Arc<Mutex<()>>,
}

impl KeyStore {
    /// A store over `source`.
    pub fn new(source: KeySource) -> Self {
        Self {
            source,
            cache: Arc::new(RwLock::new(JwksCache::default())),
            fetching: Arc::new(Mutex::new(())),
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
    /// and nothing is cached, or only keys older than `max_stale`: the token may be good, we cannot tell.
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
                max_stale,
            } => {
                let kid = kid.ok_or(AppError::UnknownKey)?;
                {
                    let cache = self.cache.read().await;
                    if let Some(key) = cache.keys.get(kid) {
                        match staleness(cache.fetched_at, *ttl, *max_stale) {
                            Staleness::Fresh => {
                                observe::jwks_lookup("hit");
                                return Ok((key.clone(), cache.generation));
                            }
                            Staleness::Stale => {
                                observe::jwks_lookup("stale");
                                let found = (key.clone(), cache.generation);
                                if !cache.cooling_down(*cooldown) {
                                    self.refresh_in_background(url, client, *cooldown);
                                }
                                return Ok(found);
                            }
                            Staleness::Expired => {}
                        }
                    }
                }
                observe::jwks_lookup("miss");
                self.refresh(url, client, *cooldown).await?;
                let cache = self.cache.read().await;
                match (
                    cache.keys.get(kid),
                    staleness(cache.fetched_at, *ttl, *max_stale),
                ) {
                    (None, _) => Err(AppError::UnknownKey),
                    (Some(_), Staleness::Expired) => Err(AppError::Unavailable(
                        "the JWKS could not be refreshed for longer than CLERK_JWKS_MAX_STALE_SECS"
                            .into(),
                    )),
                    (Some(key), _) => Ok((key.clone(), cache.generation)),
                }
            }
        }
    }

    /// Starts a refresh that no request waits for, unless one is already running.
    fn refresh_in_background(&self, url: &str, client: &reqwest::Client, cooldown: Duration) {
        let Ok(guard) = Arc::clone(&self.fetching).try_lock_owned() else {
            return;
        };
        let (cache, url, client) = (Arc::clone(&self.cache), url.to_owned(), client.clone());
        tokio::spawn(async move {
            // Failures are logged inside; the stale keys stand until `max_stale`.
            let _ = refresh_locked(&cache, &url, &client, cooldown).await;
            drop(guard);
        });
    }

    async fn refresh(
        &self,
        url: &str,
        client: &reqwest::Client,
        cooldown: Duration,
    ) -> Result<(), AppError> {
        // One fetch at a time; callers that waited find the result of the fetch they queued behind.
        let _guard = self.fetching.lock().await;
        refresh_locked(&self.cache, url, client, cooldown).await
    }
}

/// Fetches the JWKS into `cache`; the caller holds the fetching lock.
async fn refresh_locked(
    cache_lock: &RwLock<JwksCache>,
    url: &str,
    client: &reqwest::Client,
    cooldown: Duration,
) -> Result<(), AppError> {
    // Within the cooldown the keys we have stand, stale or not: an unknown kid then fails fast.
    if cache_lock.read().await.cooling_down(cooldown) {
        return Ok(());
    }
    cache_lock.write().await.last_attempt = Some(Instant::now());
    let fetched = fetch_jwks(client, url).await;
    observe::jwks_fetched(fetched.is_ok());
    match fetched {
        Ok(keys) => {
            let mut cache = cache_lock.write().await;
            if cache.keys.keys().any(|kid| !keys.contains_key(kid)) {
                cache.generation += 1;
            }
            cache.keys = keys;
            cache.fetched_at = Some(Instant::now());
            Ok(())
        }
        Err(err) => {
            tracing::warn!(%err, "JWKS fetch failed");
            if cache_lock.read().await.keys.is_empty() {
                Err(AppError::Unavailable(format!("JWKS fetch failed: {err}")))
            } else {
                Ok(())
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
