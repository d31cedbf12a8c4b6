//! Per-user rate limits for expensive actions (generations, uploads): a sliding one-hour window, kept in
//! process memory on one machine or in Redis when `REDIS_URL` shares it between machines.

pub mod memory;
pub mod redis;

use crate::error::app_error::RateLimitInfo;
use crate::error::AppError;
use crate::services::config::Config;
use crate::services::observe;
use std::time::Duration;

/// An action whose use is limited per user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitedAction {
    /// Starting a video generation.
    Generate,
    /// Uploading a file.
    Upload,
    /// A sign-in or sign-up attempt, counted per account.
    SignInAccount,
    /// A sign-in or sign-up attempt, counted per client IP.
    SignInIp,
}

impl LimitedAction {
    /// The stable name used in storage keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Generate => "generate",
            Self::Upload => "upload",
            Self::SignInAccount => "sign_in_account",
            Self::SignInIp => "sign_in_ip",
        }
    }
}

/// The outcome of taking a slot from a window, in the units both backends share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WindowState {
    /// Whether a slot was taken.
    pub allowed: bool,
    /// Slots in use after this call.
    pub used: u64,
    /// Milliseconds since the epoch of the oldest slot still in the window (now when empty).
    pub oldest_ms: i64,
    /// Milliseconds since the epoch, as the backend saw it.
    pub now_ms: i64,
}

enum Backend {
    Memory(memory::MemoryWindow),
    Redis(redis::RedisWindow),
}

/// The limiter every handler asks before doing limited work.
pub struct Limiter {
    backend: Backend,
    limit: u32,
    window: Duration,
}

impl Limiter {
    /// An in-process limiter.
    pub fn memory(limit: u32, window: Duration) -> Self {
        Self {
            backend: Backend::Memory(memory::MemoryWindow::new(window)),
            limit,
            window,
        }
    }

    /// A limiter shared through Redis; connects lazily, so a Redis that is down at start is reported by
    /// health checks and answered with 503 instead of stopping the server.
    ///
    /// # Errors
    /// When the URL cannot be parsed.
    pub fn redis(url: &str, prefix: &str, limit: u32, window: Duration) -> Result<Self, AppError> {
        Ok(Self {
            backend: Backend::Redis(redis::RedisWindow::connect(url, prefix, window)?),
            limit,
            window,
        })
    }

    /// The limiter the configuration asks for: Redis when `REDIS_URL` is set, memory otherwise.
    ///
    /// # Errors
    /// When `REDIS_URL` cannot be parsed.
    pub fn from_config(config: &Config) -> Result<Self, AppError> {
        let window = Duration::from_secs(3600);
        match &config.redis_url {
            Some(url) => Self::redis(
                url,
                &config.redis_key_prefix,
                config.rate_limit_per_hour,
                window,
            ),
            None => Ok(Self::memory(config.rate_limit_per_hour, window)),
        }
    }

    /// Takes one slot of `action` for `user_id`.
    ///
    /// # Errors
    /// `RateLimited` when the window is full; `Unavailable` when Redis cannot be reached (never allows
    /// silently).
    pub async fn check(
        &self,
        user_id: &str,
        action: LimitedAction,
    ) -> Result<RateLimitInfo, AppError> {
        self.check_many(user_id, action, 1).await
    }

    /// Takes `count` slots of `action` for `user_id` together: all of them, or none when fewer are free.
    ///
    /// # Errors
    /// `RateLimited` when fewer than `count` slots are free; `Unavailable` when Redis cannot be reached.
    pub async fn check_many(
        &self,
        user_id: &str,
        action: LimitedAction,
        count: u64,
    ) -> Result<RateLimitInfo, AppError> {
        let limit = u64::from(self.limit);
        let state = match &self.backend {
            Backend::Memory(window) => window.take_many(user_id, action, limit, count, now_ms()),
            Backend::Redis(window) => window
                .take_many(user_id, action, limit, count)
                .await
                .inspect_err(|_| {
                    observe::limiter_decision(action.as_str(), "unavailable");
                })?,
        };
        let decision = if state.allowed { "allowed" } else { "refused" };
        observe::limiter_decision(action.as_str(), decision);
        let info = self.info(state);
        if state.allowed {
            Ok(info)
        } else {
            Err(AppError::RateLimited(info))
        }
    }

    /// The caller's window for `action` without taking a slot: `remaining` and `reset` as a slot would see them.
    ///
    /// # Errors
    /// `Unavailable` when Redis cannot be reached.
    pub async fn peek(
        &self,
        user_id: &str,
        action: LimitedAction,
    ) -> Result<RateLimitInfo, AppError> {
        let limit = u64::from(self.limit);
        let state = match &self.backend {
            Backend::Memory(window) => window.peek(user_id, action, limit, now_ms()),
            Backend::Redis(window) => window.peek(user_id, action, limit).await?,
        };
        Ok(self.info(state))
    }

    /// Refuses, without taking a slot, when the window is already full: for work whose slot is taken only once
    /// it is accepted (an upload is checked for type, size and quota first).
    ///
    /// # Errors
    /// `RateLimited` when no slot is free; `Unavailable` when Redis cannot be reached.
    pub async fn ensure_room(&self, user_id: &str, action: LimitedAction) -> Result<(), AppError> {
        let info = self.peek(user_id, action).await?;
        if info.remaining == 0 {
            Err(AppError::RateLimited(info))
        } else {
            Ok(())
        }
    }

    /// `None` without Redis; otherwise whether Redis answers right now.
    pub async fn redis_healthy(&self) -> Option<bool> {
        match &self.backend {
            Backend::Memory(_) => None,
            Backend::Redis(window) => Some(window.ping().await),
        }
    }

    fn info(&self, state: WindowState) -> RateLimitInfo {
        let window_ms = i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX);
        // The oldest slot leaves the window at `oldest + window`: that is when one frees up.
        let frees_at_ms = state.oldest_ms.saturating_add(window_ms);
        let wait_ms = (frees_at_ms - state.now_ms).max(0);
        let limit = u64::from(self.limit);
        RateLimitInfo {
            limit,
            remaining: limit.saturating_sub(state.used),
            reset: ceil_div(frees_at_ms, 1000),
            retry_after_secs: u64::try_from(ceil_div(wait_ms, 1000)).unwrap_or(0),
        }
    }
}

fn ceil_div(value: i64, by: i64) -> i64 {
    (value + by - 1).div_euclid(by)
}

fn now_ms() -> i64 {
    crate::services::db::now_ms()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_slot_after_the_limit_is_refused_with_the_wait() {
        let limiter = Limiter::memory(2, Duration::from_secs(3600));
        let first = limiter.check("u1", LimitedAction::Upload).await.unwrap();
        assert_eq!((first.limit, first.remaining), (2, 1));
        limiter.check("u1", LimitedAction::Upload).await.unwrap();
        let Err(AppError::RateLimited(info)) = limiter.check("u1", LimitedAction::Upload).await
        else {
            panic!("third upload should be limited");
        };
        assert_eq!(info.remaining, 0);
        assert!((3595..=3600).contains(&info.retry_after_secs), "{info:?}");
        assert!(info.reset > chrono::Utc::now().timestamp());
    }

    #[tokio::test]
    async fn users_and_actions_have_separate_windows() {
        let limiter = Limiter::memory(1, Duration::from_secs(3600));
        limiter.check("u1", LimitedAction::Upload).await.unwrap();
        limiter.check("u1", LimitedAction::Generate).await.unwrap();
        limiter.check("u2", LimitedAction::Upload).await.unwrap();
        assert!(limiter.check("u1", LimitedAction::Upload).await.is_err());
    }

    #[tokio::test]
    async fn memory_limiter_reports_no_redis() {
        assert_eq!(
            Limiter::memory(1, Duration::from_secs(1))
                .redis_healthy()
                .await,
            None
        );
    }
}
