//! Webhooks the built-in provider sends, as a Clerk instance does through Svix: to the URLs in
//! `T2M_LOCAL_WEBHOOK_URLS`, retried on Svix's schedule (`T2M_LOCAL_WEBHOOK_RETRY_MS` shortens it for tests).

use super::{ConfigError, Vars};
use std::time::Duration;

/// Svix's schedule: the first try at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after each failure.
pub const SVIX_SCHEDULE_SECS: [u64; 8] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

/// Where and how persistently the built-in provider delivers its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalWebhookConfig {
    /// Absolute http(s) URLs; empty sends nothing.
    pub urls: Vec<String>,
    /// The wait before each try, the first included; a delivery failing them all is given up.
    pub schedule: Vec<Duration>,
}

impl LocalWebhookConfig {
    pub(super) fn from_vars<F: Fn(&str) -> Option<String>>(
        vars: &Vars<F>,
        local_identity: bool,
    ) -> Result<Self, ConfigError> {
        const URLS: &str = "T2M_LOCAL_WEBHOOK_URLS";
        const RETRY: &str = "T2M_LOCAL_WEBHOOK_RETRY_MS";
        let urls = vars
            .get(URLS)
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(|raw| match url::Url::parse(raw) {
                Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
                    Ok(url.to_string())
                }
                _ => Err(ConfigError::Invalid {
                    var: URLS,
                    reason: format!(
                        "{raw:?} is not an absolute http(s) URL (e.g. https://t2m-app.com/api/webhooks/clerk)"
                    ),
                }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !urls.is_empty() && !local_identity {
            return Err(ConfigError::Invalid {
                var: URLS,
                reason:
                    "is for the built-in provider; with CLERK_ISSUER set, Clerk sends the webhooks"
                        .into(),
            });
        }
        let schedule = match vars.get(RETRY) {
            None => SVIX_SCHEDULE_SECS.map(Duration::from_secs).to_vec(),
            Some(raw) => raw
                .split(',')
                .map(|ms| ms.trim().parse::<u64>().map(Duration::from_millis))
                .collect::<Result<Vec<_>, _>>()
                .ok()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| ConfigError::Invalid {
                    var: RETRY,
                    reason: format!("{raw:?} must be comma-separated milliseconds, e.g. 0,50,100"),
                })?,
        };
        Ok(Self { urls, schedule })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(pairs: &[(&str, &str)], local: bool) -> Result<LocalWebhookConfig, ConfigError> {
        let vars = Vars(|k: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| (*v).to_owned())
        });
        LocalWebhookConfig::from_vars(&vars, local)
    }

    #[test]
    fn urls_are_checked_and_svix_schedule_is_the_default() {
        let config = load(
            &[(
                "T2M_LOCAL_WEBHOOK_URLS",
                "http://127.0.0.1:9/hook, https://b.example/x",
            )],
            true,
        )
        .unwrap();
        assert_eq!(config.urls.len(), 2);
        assert_eq!(config.schedule.len(), 8);
        assert_eq!(config.schedule[2], Duration::from_secs(300));
        for bad in ["ftp://x/y", "/relative", "not a url"] {
            let err = load(&[("T2M_LOCAL_WEBHOOK_URLS", bad)], true).unwrap_err();
            assert!(
                err.to_string().starts_with("T2M_LOCAL_WEBHOOK_URLS"),
                "{err}"
            );
        }
        let err = load(&[("T2M_LOCAL_WEBHOOK_URLS", "http://a.example/h")], false).unwrap_err();
        assert!(err.to_string().contains("CLERK_ISSUER"), "{err}");
        let err = load(&[("T2M_LOCAL_WEBHOOK_RETRY_MS", "0,soon")], true).unwrap_err();
        assert!(
            err.to_string().starts_with("T2M_LOCAL_WEBHOOK_RETRY_MS"),
            "{err}"
        );
        let short = load(&[("T2M_LOCAL_WEBHOOK_RETRY_MS", "0,20,40")], true).unwrap();
        assert_eq!(short.schedule[2], Duration::from_millis(40));
    }
}
