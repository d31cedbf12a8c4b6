//! What stands between a sign-in/sign-up post and a 19 MiB Argon2 hash: a throttle per account and per client
//! IP, then a bounded number of hashing slots. A refused attempt never reaches the hasher.

use super::passwords;
use crate::error::AppError;
use crate::services::config::Config;
use crate::services::limits::{LimitedAction, Limiter};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Longest password accepted, in bytes: Argon2 takes any length, so without a cap one post could make the
/// server hash megabytes.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// What a client is told to wait when every hashing slot is taken: slots free up within a hash's time.
const BUSY_RETRY_AFTER_SECS: u64 = 1;

/// Throttles and the hashing bound, shared by every request.
pub struct SignInGuard {
    per_account: Limiter,
    per_ip: Limiter,
    hashing_slots: Arc<Semaphore>,
    hashes_run: AtomicU64,
}

impl SignInGuard {
    /// Throttles in Redis when `REDIS_URL` is set (so every machine counts together), in memory otherwise.
    ///
    /// # Errors
    /// When `REDIS_URL` cannot be parsed.
    pub fn from_config(config: &Config) -> Result<Self, AppError> {
        let abuse = &config.abuse;
        let limiter = |limit: u32| match &config.redis_url {
            Some(url) => Limiter::redis(url, &config.redis_key_prefix, limit, abuse.sign_in_window),
            None => Ok(Limiter::memory(limit, abuse.sign_in_window)),
        };
        Ok(Self {
            per_account: limiter(abuse.sign_in_per_account)?,
            per_ip: limiter(abuse.sign_in_per_ip)?,
            hashing_slots: Arc::new(Semaphore::new(abuse.max_concurrent_hashes)),
            hashes_run: AtomicU64::new(0),
        })
    }

    /// Takes one attempt from the client IP's and the account's windows, in that order, so a client already
    /// over its own limit cannot use up a victim's account window.
    ///
    /// # Errors
    /// `RateLimited` (with the wait) when either window is full; `Unavailable` when Redis cannot be asked
    /// (never lets the attempt through unchecked).
    pub async fn admit(&self, normalised_email: &str, client_ip: IpAddr) -> Result<(), AppError> {
        self.per_ip
            .check(&client_ip.to_string(), LimitedAction::SignInIp)
            .await?;
        // Hashed so Redis keys and memory never hold people's addresses.
        let account = hex::encode(&Sha256::digest(normalised_email.as_bytes())[..16]);
        self.per_account
            .check(&account, LimitedAction::SignInAccount)
            .await?;
        Ok(())
    }

    /// Takes one attempt from the account's window only: for a signed-in user confirming their own password
    /// (the session already passed sign-in, so no IP window applies), which still caps guesses by a stolen one.
    ///
    /// # Errors
    /// As [`SignInGuard::admit`].
    pub async fn admit_account(&self, normalised_email: &str) -> Result<(), AppError> {
        let account = hex::encode(&Sha256::digest(normalised_email.as_bytes())[..16]);
        self.per_account
            .check(&account, LimitedAction::SignInAccount)
            .await?;
        Ok(())
    }

    /// Runs `work` (a password hash or verification) on the blocking pool if a hashing slot is free.
    ///
    /// # Errors
    /// `Overloaded` at once when every slot is busy: waiting in line would let a flood grow memory and
    /// latency without bound.
    pub async fn hash<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let slot = Arc::clone(&self.hashing_slots)
            .try_acquire_owned()
            .map_err(|_| AppError::Overloaded {
                retry_after_secs: BUSY_RETRY_AFTER_SECS,
            })?;
        self.hashes_run.fetch_add(1, Ordering::Relaxed);
        // The slot moves into the task: a client that disconnects mid-hash does not free it early.
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop(slot);
            result
        })
        .await
        .map_err(AppError::internal)
    }

    /// How many hashes this guard has let run (tests check that refused attempts cost none).
    pub fn hashes_run(&self) -> u64 {
        self.hashes_run.load(Ordering::Relaxed)
    }
}

/// Refuses a password too long to hash.
///
/// # Errors
/// `invalid_password` over [`MAX_PASSWORD_BYTES`].
pub fn check_length(password: &str) -> Result<(), AppError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::invalid(
            "password",
            format!("Use a password of at most {MAX_PASSWORD_BYTES} bytes."),
        ));
    }
    Ok(())
}

/// The verification an unknown email gets, against a fixed hash, so timing does not reveal which accounts
/// exist. Building the decoy is itself a hash, so it happens inside a slot too.
pub fn verify_or_decoy(password: &str, stored: Option<&str>) -> bool {
    match stored {
        Some(stored) => passwords::verify(password, stored),
        None => {
            let _ = passwords::verify(password, passwords::decoy_hash());
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn guard(pairs: &[(&str, &str)]) -> SignInGuard {
        let map: std::collections::HashMap<&str, &str> = pairs.iter().copied().collect();
        let config = Config::from_lookup(|k| map.get(k).map(|v| (*v).to_owned())).expect("config");
        SignInGuard::from_config(&config).expect("guard")
    }

    #[tokio::test]
    async fn the_account_window_is_shared_across_addresses() {
        let guard = guard(&[("T2M_SIGN_IN_ACCOUNT_LIMIT", "2")]);
        let ip = |n: u8| IpAddr::from([10, 0, 0, n]);
        guard.admit("a@x.io", ip(1)).await.unwrap();
        guard.admit("a@x.io", ip(2)).await.unwrap();
        let err = guard.admit("a@x.io", ip(3)).await.unwrap_err();
        assert_eq!(err.code(), "rate_limited");
        guard.admit("b@x.io", ip(3)).await.unwrap();
    }

    #[tokio::test]
    async fn a_full_set_of_slots_refuses_at_once() {
        let guard = Arc::new(guard(&[("T2M_MAX_CONCURRENT_HASHES", "1")]));
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let busy = tokio::spawn({
            let guard = Arc::clone(&guard);
            async move {
                guard
                    .hash(move || {
                        started_tx.send(()).unwrap();
                        release_rx.recv_timeout(Duration::from_secs(5)).ok();
                    })
                    .await
            }
        });
        tokio::task::spawn_blocking(move || started_rx.recv().unwrap())
            .await
            .unwrap();
        let refused = guard.hash(|| ()).await.unwrap_err();
        assert_eq!(refused.code(), "server_busy");
        release_tx.send(()).unwrap();
        busy.await.unwrap().unwrap();
        guard.hash(|| ()).await.unwrap();
        assert_eq!(guard.hashes_run(), 2);
    }

    #[test]
    fn passwords_over_one_kibibyte_are_refused() {
        assert!(check_length(&"x".repeat(MAX_PASSWORD_BYTES)).is_ok());
        let err = check_length(&"x".repeat(MAX_PASSWORD_BYTES + 1)).unwrap_err();
        assert_eq!(err.code(), "invalid_password");
    }
}
