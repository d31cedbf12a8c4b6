//! The account as its owner's pages see it: usage against limits, and what the profile page may edit.

use serde::{Deserialize, Serialize};

/// What the caller uses against their limits (`GET /api/v1/me/usage`, for the usage meter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageSummary {
    pub generations_used: u64,
    pub generations_limit: u64,
    /// When the oldest generation in the window frees its slot (ISO 8601); `None` while none is used.
    pub generations_reset_at: Option<String>,
    pub storage_used_bytes: u64,
    pub storage_limit_bytes: u64,
    pub active_jobs: u64,
    pub active_jobs_limit: u64,
}

/// The profile page's editable settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSettings {
    /// True with the built-in provider: names, picture and password are edited here, not at Clerk.
    pub local_identity: bool,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    /// Where the picture is shown from, if there is one.
    pub avatar_url: Option<String>,
    /// Clerk mode: Clerk's hosted user profile.
    pub clerk_profile_url: Option<String>,
}

/// Percent of `limit` that `used` is, for meters (0 when there is no limit).
pub fn percent(used: u64, limit: u64) -> u8 {
    if limit == 0 {
        return 0;
    }
    u8::try_from((used.saturating_mul(100) / limit).min(100)).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn meters_are_capped_and_never_divide_by_zero() {
        assert_eq!(percent(1, 4), 25);
        assert_eq!(percent(9, 4), 100);
        assert_eq!(percent(3, 0), 0);
    }
}
