//! What an account holds against its ceilings: stored bytes (uploads, videos, thumbnails) against the storage
//! quota, queued + processing jobs against the active-job cap, generations against the hourly rate limit.

use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::files::repo as files_repo;
use crate::services::jobs::repo as jobs_repo;
use crate::services::limits::LimitedAction;
use crate::services::AppState;
use serde::Serialize;

/// Stored bytes and the quota that applies to the caller's tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StorageUsage {
    pub used_bytes: u64,
    pub limit_bytes: u64,
}

impl StorageUsage {
    /// Bytes that may still be stored.
    pub fn room(self) -> u64 {
        self.limit_bytes.saturating_sub(self.used_bytes)
    }

    /// The refusal for storing `more` bytes when they do not fit.
    ///
    /// # Errors
    /// `QuotaExceeded` with the current figures.
    pub fn fits(self, more: u64) -> Result<(), AppError> {
        if more > self.room() {
            Err(self.exceeded())
        } else {
            Ok(())
        }
    }

    /// The 413 `quota_exceeded` for these figures.
    pub fn exceeded(self) -> AppError {
        AppError::QuotaExceeded {
            used_bytes: self.used_bytes,
            limit_bytes: self.limit_bytes,
        }
    }
}

/// Generations used in the current rate-limit window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GenerationUsage {
    pub used: u64,
    pub limit: u64,
    /// When the oldest generation in the window frees its slot (ISO 8601); `None` while none is used.
    pub resets_at: Option<String>,
}

/// Queued + processing jobs and the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ActiveJobsUsage {
    pub count: u64,
    pub limit: u64,
}

/// `GET /api/v1/me/usage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageView {
    pub generations: GenerationUsage,
    pub storage: StorageUsage,
    pub active_jobs: ActiveJobsUsage,
}

/// The caller's stored bytes against their quota.
///
/// # Errors
/// Database failures.
pub async fn storage(state: &AppState, identity: &Identity) -> Result<StorageUsage, AppError> {
    Ok(StorageUsage {
        used_bytes: files_repo::stored_bytes(&state.db, &identity.user_id).await?,
        limit_bytes: storage_limit(state, identity),
    })
}

/// The storage quota for the caller's tier.
pub fn storage_limit(state: &AppState, identity: &Identity) -> u64 {
    state
        .config
        .quotas
        .storage_bytes
        .for_tier(identity.has_premium())
}

/// The active-job cap for the caller's tier.
pub fn active_jobs_limit(state: &AppState, identity: &Identity) -> u64 {
    state
        .config
        .quotas
        .active_jobs
        .for_tier(identity.has_premium())
}

/// Everything the caller uses against their limits.
///
/// # Errors
/// Database failures; `Unavailable` when the rate limiter's Redis is down.
#[tracing::instrument(skip_all, fields(user_id = %identity.user_id))]
pub async fn usage(state: &AppState, identity: &Identity) -> Result<UsageView, AppError> {
    let window = state
        .limiter
        .peek(&identity.user_id, LimitedAction::Generate)
        .await?;
    let used = window.limit.saturating_sub(window.remaining);
    Ok(UsageView {
        generations: GenerationUsage {
            used,
            limit: window.limit,
            resets_at: (used > 0).then(|| {
                chrono::DateTime::from_timestamp(window.reset, 0)
                    .unwrap_or_default()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            }),
        },
        storage: storage(state, identity).await?,
        active_jobs: ActiveJobsUsage {
            count: jobs_repo::count_active(&state.db, &identity.user_id).await?,
            limit: active_jobs_limit(state, identity),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_fits_up_to_the_limit_and_reports_figures_beyond() {
        let usage = StorageUsage {
            used_bytes: 700,
            limit_bytes: 1000,
        };
        assert_eq!(usage.room(), 300);
        assert!(usage.fits(300).is_ok());
        let err = usage.fits(301).unwrap_err();
        assert_eq!(
            (err.code().as_str(), err.status().as_u16()),
            ("quota_exceeded", 413)
        );
        let body = serde_json::to_value(err.to_api_error()).unwrap();
        assert_eq!(
            (body["used_bytes"].as_u64(), body["limit_bytes"].as_u64()),
            (Some(700), Some(1000))
        );
        let over = StorageUsage {
            used_bytes: 1200,
            limit_bytes: 1000,
        };
        assert_eq!(over.room(), 0);
    }
}
