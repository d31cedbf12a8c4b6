//! Defence-in-depth settings: how long JWKS keys are trusted while Clerk cannot be reached.

use super::{ConfigError, Vars};
use std::time::Duration;

/// Settings that bound how much T2M trusts what it can no longer check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HardeningConfig {
    /// Past this age (since the last successful fetch) cached JWKS keys verify nothing until a fetch
    /// succeeds again (`CLERK_JWKS_MAX_STALE_SECS`, default one day).
    pub jwks_max_stale: Duration,
}

impl HardeningConfig {
    pub(super) fn from_vars<F: Fn(&str) -> Option<String>>(
        vars: &Vars<F>,
    ) -> Result<Self, ConfigError> {
        let jwks_max_stale = vars.secs("CLERK_JWKS_MAX_STALE_SECS", 24 * 60 * 60)?;
        if jwks_max_stale.is_zero() {
            return Err(ConfigError::Invalid {
                var: "CLERK_JWKS_MAX_STALE_SECS",
                reason: "must be at least 1 (seconds); e.g. 86400 trusts cached keys for a day \
                         while Clerk is unreachable"
                    .into(),
            });
        }
        Ok(Self { jwks_max_stale })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(value: Option<&str>) -> Result<HardeningConfig, ConfigError> {
        let value = value.map(str::to_owned);
        HardeningConfig::from_vars(&Vars(move |k: &str| {
            (k == "CLERK_JWKS_MAX_STALE_SECS")
                .then(|| value.clone())
                .flatten()
        }))
    }

    #[test]
    fn stale_keys_are_trusted_for_a_day_by_default() {
        assert_eq!(
            load(None).unwrap().jwks_max_stale,
            Duration::from_secs(86_400)
        );
        assert_eq!(
            load(Some("600")).unwrap().jwks_max_stale,
            Duration::from_secs(600)
        );
    }

    #[test]
    fn a_zero_or_malformed_max_stale_is_refused_by_name() {
        for raw in ["0", "forever"] {
            let err = load(Some(raw)).unwrap_err();
            assert!(
                err.to_string().starts_with("CLERK_JWKS_MAX_STALE_SECS"),
                "{err}"
            );
        }
    }
}
