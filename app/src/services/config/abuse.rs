//! Abuse limits: sign-in/sign-up throttles, the bound on concurrent password hashes, which proxies may name
//! the client, and how long slow clients may hold a connection or an upload.

use super::{ConfigError, Vars};
use ipnet::IpNet;
use std::time::Duration;

/// Settings that keep one client from exhausting the server.
#[derive(Debug, Clone)]
pub struct AbuseConfig {
    /// Sign-in/sign-up attempts per account (normalised email) per window (`T2M_SIGN_IN_ACCOUNT_LIMIT`).
    pub sign_in_per_account: u32,
    /// Sign-in/sign-up attempts per client IP per window (`T2M_SIGN_IN_IP_LIMIT`).
    pub sign_in_per_ip: u32,
    /// The sliding window both throttles count in (`T2M_SIGN_IN_WINDOW_SECS`).
    pub sign_in_window: Duration,
    /// Password hashes running at once (`T2M_MAX_CONCURRENT_HASHES`, default the CPU count).
    pub max_concurrent_hashes: usize,
    /// Peers whose `X-Forwarded-For` is believed (`T2M_TRUSTED_PROXIES`, comma-separated CIDRs).
    pub trusted_proxies: Vec<IpNet>,
    /// How long a client may take to send its request headers (`T2M_HEADER_READ_TIMEOUT_SECS`).
    pub header_read_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog (`T2M_MAX_CONNECTIONS`).
    pub max_connections: usize,
    /// The slowest average upload rate accepted once the grace period is over
    /// (`T2M_UPLOAD_MIN_BYTES_PER_SEC`).
    pub upload_min_bytes_per_sec: u64,
    /// How long an upload may run before its average rate is checked (`T2M_UPLOAD_GRACE_SECS`).
    pub upload_grace: Duration,
}

impl AbuseConfig {
    pub(super) fn from_vars<F: Fn(&str) -> Option<String>>(
        vars: &Vars<F>,
    ) -> Result<Self, ConfigError> {
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Ok(Self {
            sign_in_per_account: at_least_one(vars, "T2M_SIGN_IN_ACCOUNT_LIMIT", 10)?,
            sign_in_per_ip: at_least_one(vars, "T2M_SIGN_IN_IP_LIMIT", 100)?,
            sign_in_window: Duration::from_secs(at_least_one(
                vars,
                "T2M_SIGN_IN_WINDOW_SECS",
                900,
            )?),
            max_concurrent_hashes: at_least_one(vars, "T2M_MAX_CONCURRENT_HASHES", cpus)?,
            trusted_proxies: trusted_proxies(vars.get("T2M_TRUSTED_PROXIES").as_deref())?,
            header_read_timeout: Duration::from_secs(at_least_one(
                vars,
                "T2M_HEADER_READ_TIMEOUT_SECS",
                10,
            )?),
            max_connections: at_least_one(vars, "T2M_MAX_CONNECTIONS", 10_000)?,
            upload_min_bytes_per_sec: vars.parse("T2M_UPLOAD_MIN_BYTES_PER_SEC", 8 * 1024)?,
            upload_grace: vars.secs("T2M_UPLOAD_GRACE_SECS", 30)?,
        })
    }
}

fn at_least_one<F, T>(vars: &Vars<F>, var: &'static str, default: T) -> Result<T, ConfigError>
where
    F: Fn(&str) -> Option<String>,
    T: std::str::FromStr + PartialOrd + From<u8>,
    T::Err: std::fmt::Display,
{
    let value = vars.parse(var, default)?;
    if value < T::from(1) {
        return Err(ConfigError::Invalid {
            var,
            reason: "must be at least 1".into(),
        });
    }
    Ok(value)
}

/// A bare address counts as a one-address network (`10.0.0.1` is `10.0.0.1/32`).
fn trusted_proxies(raw: Option<&str>) -> Result<Vec<IpNet>, ConfigError> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| ConfigError::Invalid {
                    var: "T2M_TRUSTED_PROXIES",
                    reason: format!("{s:?} is not a CIDR such as 10.0.0.0/8 or an IP address"),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&str, &str)]) -> Result<AbuseConfig, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        AbuseConfig::from_vars(&Vars(|k: &str| map.get(k).cloned()))
    }

    #[test]
    fn defaults_are_safe_without_settings() {
        let config = load(&[]).unwrap();
        assert_eq!(config.sign_in_per_account, 10);
        assert_eq!(config.sign_in_per_ip, 100);
        assert_eq!(config.sign_in_window, Duration::from_secs(900));
        assert!(config.max_concurrent_hashes >= 1);
        assert!(config.trusted_proxies.is_empty());
        assert_eq!(config.header_read_timeout, Duration::from_secs(10));
        assert_eq!(config.max_connections, 10_000);
    }

    #[test]
    fn trusted_proxies_take_cidrs_and_bare_addresses() {
        let config = load(&[("T2M_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7 ,::1")]).unwrap();
        let nets: Vec<String> = config
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(nets, ["10.0.0.0/8", "192.168.1.7/32", "::1/128"]);
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (var, value) in [
            ("T2M_TRUSTED_PROXIES", "10.0.0.0/33"),
            ("T2M_TRUSTED_PROXIES", "proxy.local"),
            ("T2M_MAX_CONCURRENT_HASHES", "0"),
            ("T2M_MAX_CONNECTIONS", "0"),
            ("T2M_HEADER_READ_TIMEOUT_SECS", "0"),
            ("T2M_SIGN_IN_IP_LIMIT", "many"),
        ] {
            let err = load(&[(var, value)]).unwrap_err();
            assert!(err.to_string().starts_with(var), "{var}={value}: {err}");
        }
    }
}
