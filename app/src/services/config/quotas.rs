//! Per-account ceilings on what a user may hold at once: stored bytes and active (queued + processing) jobs.
//! Rate limits bound how fast an account acts; these bound how much it can pile up.

use super::{ConfigError, Vars};

const GIB: u64 = 1024 * 1024 * 1024;

/// A ceiling that may differ by subscription tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierLimit {
    pub free: u64,
    pub premium: u64,
}

impl TierLimit {
    /// The ceiling for a caller on the premium tier (admins count as premium) or not.
    pub fn for_tier(self, premium: bool) -> u64 {
        if premium {
            self.premium
        } else {
            self.free
        }
    }
}

/// `T2M_STORAGE_QUOTA_BYTES` / `T2M_PREMIUM_STORAGE_QUOTA_BYTES` and `T2M_MAX_ACTIVE_JOBS` /
/// `T2M_PREMIUM_MAX_ACTIVE_JOBS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaConfig {
    /// Bytes of uploads, videos and thumbnails one user may keep.
    pub storage_bytes: TierLimit,
    /// Queued + processing jobs one user may have.
    pub active_jobs: TierLimit,
}

impl Default for QuotaConfig {
    fn default() -> Self {
        Self {
            storage_bytes: TierLimit {
                free: GIB,
                premium: 50 * GIB,
            },
            active_jobs: TierLimit {
                free: 10,
                premium: 25,
            },
        }
    }
}

impl QuotaConfig {
    /// Reads the four variables. The plain one alone applies to every tier, so one setting caps everyone;
    /// the `PREMIUM_` one then sets the premium tier apart.
    pub(super) fn from_vars<F: Fn(&str) -> Option<String>>(
        vars: &Vars<F>,
    ) -> Result<Self, ConfigError> {
        let defaults = Self::default();
        Ok(Self {
            storage_bytes: tier_limit(
                vars,
                ("T2M_STORAGE_QUOTA_BYTES", "T2M_PREMIUM_STORAGE_QUOTA_BYTES"),
                defaults.storage_bytes,
            )?,
            active_jobs: tier_limit(
                vars,
                ("T2M_MAX_ACTIVE_JOBS", "T2M_PREMIUM_MAX_ACTIVE_JOBS"),
                defaults.active_jobs,
            )?,
        })
    }
}

fn tier_limit<F: Fn(&str) -> Option<String>>(
    vars: &Vars<F>,
    (all_var, premium_var): (&'static str, &'static str),
    defaults: TierLimit,
) -> Result<TierLimit, ConfigError> {
    let all = positive(vars, all_var)?;
    let premium = positive(vars, premium_var)?;
    Ok(TierLimit {
        free: all.unwrap_or(defaults.free),
        premium: premium.or(all).unwrap_or(defaults.premium),
    })
}

fn positive<F: Fn(&str) -> Option<String>>(
    vars: &Vars<F>,
    var: &'static str,
) -> Result<Option<u64>, ConfigError> {
    match vars.parse::<u64>(var, 0)? {
        0 if vars.get(var).is_none() => Ok(None),
        0 => Err(ConfigError::Invalid {
            var,
            reason: "must be at least 1; 0 would refuse every request".into(),
        }),
        value => Ok(Some(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&str, &str)]) -> Result<QuotaConfig, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        QuotaConfig::from_vars(&Vars(|k: &str| map.get(k).cloned()))
    }

    #[test]
    fn defaults_depend_on_the_tier() {
        let quotas = load(&[]).unwrap();
        assert_eq!(quotas.storage_bytes.for_tier(false), GIB);
        assert_eq!(quotas.storage_bytes.for_tier(true), 50 * GIB);
        assert_eq!(quotas.active_jobs.for_tier(false), 10);
        assert_eq!(quotas.active_jobs.for_tier(true), 25);
    }

    #[test]
    fn the_plain_variable_caps_every_tier_unless_premium_is_set_apart() {
        let quotas = load(&[
            ("T2M_STORAGE_QUOTA_BYTES", "1000"),
            ("T2M_MAX_ACTIVE_JOBS", "2"),
        ])
        .unwrap();
        assert_eq!(
            quotas.storage_bytes,
            TierLimit {
                free: 1000,
                premium: 1000
            }
        );
        assert_eq!(
            quotas.active_jobs,
            TierLimit {
                free: 2,
                premium: 2
            }
        );
        let quotas = load(&[
            ("T2M_STORAGE_QUOTA_BYTES", "1000"),
            ("T2M_PREMIUM_STORAGE_QUOTA_BYTES", "5000"),
            ("T2M_PREMIUM_MAX_ACTIVE_JOBS", "9"),
        ])
        .unwrap();
        assert_eq!(
            quotas.storage_bytes,
            TierLimit {
                free: 1000,
                premium: 5000
            }
        );
        assert_eq!(
            quotas.active_jobs,
            TierLimit {
                free: 10,
                premium: 9
            }
        );
    }

    #[test]
    fn zero_and_junk_are_refused_naming_the_variable() {
        let err = load(&[("T2M_MAX_ACTIVE_JOBS", "0")]).unwrap_err();
        assert!(err.to_string().starts_with("T2M_MAX_ACTIVE_JOBS"), "{err}");
        let err = load(&[("T2M_PREMIUM_STORAGE_QUOTA_BYTES", "lots")]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("T2M_PREMIUM_STORAGE_QUOTA_BYTES"),
            "{err}"
        );
    }
}
