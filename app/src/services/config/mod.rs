//! Settings read once from the environment (and `.env`) into one typed struct, checked before anything starts.

mod hardening;
mod hosted_pages;
mod local_redirects;

pub use hardening::HardeningConfig;
pub use hosted_pages::HostedPages;
pub mod quotas;

use base64::Engine;
pub mod abuse;
pub mod local_webhooks;
pub mod mail;
pub mod ops;

use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A setting that is missing or wrong, naming the variable to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{var} is invalid: {reason}")]
    Invalid { var: &'static str, reason: String },
    #[error("{0}")]
    Conflict(String),
}

/// Where the app runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// Where session keys come from.
#[derive(Debug, Clone)]
pub enum IdentityConfig {
    /// The built-in Clerk-compatible provider, keys under the data directory.
    Local,
    /// A real Clerk instance.
    Clerk(ClerkConfig),
}

/// A Clerk instance's settings.
#[derive(Debug, Clone)]
pub struct ClerkConfig {
    pub issuer: String,
    pub keys: ClerkKeys,
    pub publishable_key: Option<String>,
    pub secret_key: Option<SecretString>,
    /// Clerk's Frontend API origin, where `clerk.browser.js` and hosted sign-in live.
    pub frontend_api: Option<String>,
    /// The Account Portal's sign-in and sign-up pages, when set.
    pub hosted_pages: HostedPages,
    /// Clerk's Backend API (`CLERK_API_URL`, default `https://api.clerk.com`), without a trailing slash.
    pub api_url: String,
}

/// How to obtain Clerk's public keys.
#[derive(Debug, Clone)]
pub enum ClerkKeys {
    Jwks(String),
    Pem(String),
}

/// Which process roles this binary plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// HTTP server plus in-process render workers.
    Server,
    /// Render workers only (scale-out on PostgreSQL).
    Worker,
}

/// Every setting T2M reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub dev_mode: bool,
    pub mode: Mode,
    pub listen_addr: SocketAddr,
    /// The public origin, e.g. `https://t2m-app.com`, without a trailing slash.
    pub app_url: String,
    /// False when `app_url` was derived from the listen address (and follows it when port 0 is bound).
    pub app_url_explicit: bool,
    /// Exact origins accepted for state-changing requests, `app_url` first.
    pub allowed_origins: Vec<String>,
    pub data_dir: PathBuf,
    /// Where cargo-leptos put the compiled site (`LEPTOS_SITE_ROOT`, default `target/site`).
    pub site_root: String,
    pub database_url: String,
    pub redis_url: Option<String>,
    /// Prefix of every Redis key T2M writes (`T2M_REDIS_KEY_PREFIX`), so apps can share one Redis.
    pub redis_key_prefix: String,
    pub identity: IdentityConfig,
    /// Parties allowed in `azp`; empty means the allowed origins.
    pub authorized_parties: Vec<String>,
    pub clock_leeway: Duration,
    /// How long fetched JWKS keys are trusted.
    pub jwks_ttl: Duration,
    /// Least time between JWKS fetches triggered by unknown `kid`s.
    pub jwks_cooldown: Duration,
    pub session_token_ttl: Duration,
    pub inactivity_timeout: Duration,
    pub webhook_secret: Option<SecretString>,
    /// `None` in development: a random secret is kept under the data directory.
    pub file_signing_secret: Option<SecretString>,
    pub rate_limit_per_hour: u32,
    pub max_upload_bytes: u64,
    /// An S3-compatible bucket for file bytes (`T2M_S3_BUCKET` and friends); local disk when `None`.
    pub s3: Option<crate::services::files::s3::S3Config>,
    pub request_timeout: Duration,
    pub workers: usize,
    pub render_command: Option<String>,
    /// Frames per second of built-in renders.
    pub render_fps: u32,
    /// How long a worker's claim on a job lasts without a heartbeat.
    pub job_lease: Duration,
    /// Attempts before a job that keeps crashing its worker is failed.
    pub job_max_attempts: u32,
    /// How often an idle worker looks for work nobody woke it for: jobs whose lease expired, and jobs queued
    /// while a PostgreSQL notification was lost.
    pub worker_idle_poll: Duration,
    /// Limits on trusting what can no longer be checked (`hardening.rs`).
    pub hardening: HardeningConfig,
    /// Per-account storage and active-job ceilings.
    pub quotas: quotas::QuotaConfig,
    /// Throttles, hash bound, trusted proxies and slow-client limits.
    pub abuse: abuse::AbuseConfig,
    /// Metrics token and the worker's probe address.
    pub ops: ops::OpsConfig,
    /// Outgoing mail: SMTP or the outbox directory.
    pub mail: mail::MailConfig,
    /// Webhooks the built-in provider sends (`T2M_LOCAL_WEBHOOK_URLS`).
    pub local_webhooks: local_webhooks::LocalWebhookConfig,
    /// Other apps' origins the built-in provider sends browsers back to (`T2M_LOCAL_REDIRECT_ORIGINS`).
    pub local_redirect_origins: Vec<String>,
}

/// Reads variables through `lookup`, so tests need not touch the process environment.
struct Vars<F: Fn(&str) -> Option<String>>(F);

impl<F: Fn(&str) -> Option<String>> Vars<F> {
    fn get(&self, var: &str) -> Option<String> {
        (self.0)(var)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn parse<T: std::str::FromStr>(&self, var: &'static str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.get(var) {
            None => Ok(default),
            Some(raw) => raw.parse().map_err(|e: T::Err| ConfigError::Invalid {
                var,
                reason: format!("{raw:?}: {e}"),
            }),
        }
    }

    fn flag(&self, var: &'static str) -> Result<bool, ConfigError> {
        match self
            .get(var)
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("false" | "0" | "no" | "off") => Ok(false),
            Some("true" | "1" | "yes" | "on") => Ok(true),
            Some(other) => Err(ConfigError::Invalid {
                var,
                reason: format!("{other:?} is not true or false"),
            }),
        }
    }

    fn secs(&self, var: &'static str, default: u64) -> Result<Duration, ConfigError> {
        self.parse(var, default).map(Duration::from_secs)
    }
}

/// Normalises an origin (`scheme://host[:port]`), rejecting paths and junk.
fn parse_origin(var: &'static str, raw: &str) -> Result<String, ConfigError> {
    let url = url::Url::parse(raw).map_err(|e| ConfigError::Invalid {
        var,
        reason: format!("{raw:?} is not a URL ({e}); expected e.g. https://t2m-app.com"),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ConfigError::Invalid {
            var,
            reason: format!("{raw:?} must be an http(s) origin such as https://t2m-app.com"),
        });
    }
    Ok(url.origin().ascii_serialization())
}

/// Whether an origin names this machine only: `localhost`, 127.0.0.0/8 or `[::1]`.
fn is_localhost_origin(origin: &str) -> bool {
    match url::Url::parse(origin)
        .ok()
        .as_ref()
        .and_then(url::Url::host)
    {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Fewest key bytes a webhook secret may have: a short key lets anyone forge Clerk's deliveries.
const MIN_WEBHOOK_KEY_BYTES: usize = 24;

fn check_webhook_secret(secret: &str) -> Result<(), ConfigError> {
    let invalid = |reason: String| ConfigError::Invalid {
        var: "CLERK_WEBHOOK_SECRET",
        reason,
    };
    let Some(encoded) = secret.strip_prefix("whsec_") else {
        return Err(invalid(
            "must start with whsec_ (copy it from Clerk's webhook settings)".into(),
        ));
    };
    let key = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|e| invalid(format!("is not whsec_<base64>: {e}")))?;
    if key.len() < MIN_WEBHOOK_KEY_BYTES {
        return Err(invalid(format!(
            "its key is {} bytes; at least {MIN_WEBHOOK_KEY_BYTES} are required (copy the whole secret from Clerk)",
            key.len()
        )));
    }
    Ok(())
}

/// Refuses a URL the Redis client could not use, so a typo fails at start rather than at the first request.
fn check_redis_url(url: &str) -> Result<(), ConfigError> {
    if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
        return Err(ConfigError::Invalid {
            var: "REDIS_URL",
            reason: "must start with redis:// or rediss:// (TLS)".into(),
        });
    }
    // Parsing only; no connection is made here.
    redis::Client::open(url)
        .map(drop)
        .map_err(|e| ConfigError::Invalid {
            var: "REDIS_URL",
            reason: e.to_string(),
        })
}

impl Config {
    /// Loads `.env` (when present) and reads the process environment.
    ///
    /// # Errors
    /// Names the variable that is missing or malformed.
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is the normal case; a malformed one should not be silently half-read.
        if let Err(err) = dotenvy::dotenv() {
            if !err.not_found() {
                return Err(ConfigError::Invalid {
                    var: ".env",
                    reason: err.to_string(),
                });
            }
        }
        Self::from_lookup(|var| std::env::var(var).ok())
    }

    /// Reads settings through `lookup`.
    ///
    /// # Errors
    /// Names the variable that is missing or malformed.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let vars = Vars(lookup);
        let environment = match vars.get("ENVIRONMENT").as_deref() {
            None | Some("development" | "dev" | "test") => Environment::Development,
            Some("production" | "prod") => Environment::Production,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    var: "ENVIRONMENT",
                    reason: format!("{other:?}; use development or production"),
                })
            }
        };
        let dev_mode = vars.flag("DEV_MODE")?;
        if dev_mode && environment == Environment::Production {
            return Err(ConfigError::Conflict(
                "DEV_MODE=true bypasses authentication and is refused when ENVIRONMENT=production; \
                 unset DEV_MODE or set ENVIRONMENT=development"
                    .into(),
            ));
        }
        let mode = match vars.get("T2M_MODE").as_deref() {
            None | Some("server") => Mode::Server,
            Some("worker") => Mode::Worker,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    var: "T2M_MODE",
                    reason: format!("{other:?}; use server or worker"),
                })
            }
        };
        let listen_addr: SocketAddr =
            vars.parse("LEPTOS_SITE_ADDR", SocketAddr::from(([127, 0, 0, 1], 3000)))?;
        let app_url_explicit = vars.get("APP_URL").is_some();
        let app_url = match vars.get("APP_URL") {
            Some(raw) => parse_origin("APP_URL", &raw)?,
            None => format!("http://{listen_addr}"),
        };
        if dev_mode && !(listen_addr.ip().is_loopback() && is_localhost_origin(&app_url)) {
            return Err(ConfigError::Invalid {
                var: "DEV_MODE",
                reason: format!(
                    "DEV_MODE=true bypasses authentication, so it is only allowed on a loopback LEPTOS_SITE_ADDR \
                     with a localhost APP_URL (got {listen_addr} and {app_url}); unset DEV_MODE"
                ),
            });
        }
        let mut allowed_origins = vec![app_url.clone()];
        for raw in vars.get("ALLOWED_ORIGINS").unwrap_or_default().split(',') {
            let raw = raw.trim();
            if !raw.is_empty() {
                let origin = parse_origin("ALLOWED_ORIGINS", raw)?;
                if !allowed_origins.contains(&origin) {
                    allowed_origins.push(origin);
                }
            }
        }
        let data_dir = PathBuf::from(vars.get("T2M_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = vars
            .get("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("t2m.db").display()));
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError::Invalid {
                var: "DATABASE_URL",
                reason: "must start with sqlite: or postgres://".into(),
            });
        }
        let redis_url = vars.get("REDIS_URL");
        if let Some(url) = &redis_url {
            check_redis_url(url)?;
        }
        let identity = Self::identity(&vars)?;
        if environment == Environment::Production && matches!(identity, IdentityConfig::Local) {
            tracing::warn!("ENVIRONMENT=production with the built-in identity provider; set CLERK_ISSUER to use Clerk");
        }
        let authorized_parties = match vars.get("CLERK_AUTHORIZED_PARTIES") {
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| parse_origin("CLERK_AUTHORIZED_PARTIES", p))
                .collect::<Result<_, _>>()?,
            None => allowed_origins.clone(),
        };
        let webhook_secret = vars.get("CLERK_WEBHOOK_SECRET");
        if let Some(secret) = &webhook_secret {
            check_webhook_secret(secret)?;
        }
        let file_signing_secret = vars.get("FILE_SIGNING_SECRET");
        if let Some(secret) = &file_signing_secret {
            if secret.len() < 32 {
                return Err(ConfigError::Invalid {
                    var: "FILE_SIGNING_SECRET",
                    reason: "must be at least 32 characters (e.g. `openssl rand -hex 32`)".into(),
                });
            }
        } else if environment == Environment::Production {
            return Err(ConfigError::Invalid {
                var: "FILE_SIGNING_SECRET",
                reason: "is required when ENVIRONMENT=production (e.g. `openssl rand -hex 32`)"
                    .into(),
            });
        }
        let local_webhooks = local_webhooks::LocalWebhookConfig::from_vars(
            &vars,
            matches!(identity, IdentityConfig::Local),
        )?;
        let local_redirect_origins =
            local_redirects::from_vars(&vars, matches!(identity, IdentityConfig::Local))?;
        let workers = vars.parse("T2M_WORKERS", 1usize)?;
        if !(1..=120).contains(&vars.parse("T2M_RENDER_FPS", 30u32)?) {
            return Err(ConfigError::Invalid {
                var: "T2M_RENDER_FPS",
                reason: "must be 1–120".into(),
            });
        }
        Ok(Self {
            environment,
            dev_mode,
            mode,
            listen_addr,
            app_url,
            app_url_explicit,
            allowed_origins,
            data_dir,
            site_root: vars
                .get("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| "target/site".into()),
            database_url,
            redis_url,
            redis_key_prefix: vars
                .get("T2M_REDIS_KEY_PREFIX")
                .unwrap_or_else(|| "t2m".into()),
            identity,
            authorized_parties,
            clock_leeway: vars.secs("CLERK_CLOCK_LEEWAY_SECS", 5)?,
            jwks_ttl: vars.secs("CLERK_JWKS_TTL_SECS", 300)?,
            jwks_cooldown: vars.secs("CLERK_JWKS_COOLDOWN_SECS", 30)?,
            hardening: HardeningConfig::from_vars(&vars)?,
            session_token_ttl: vars.secs("T2M_SESSION_TOKEN_TTL_SECS", 60)?,
            inactivity_timeout: match vars.secs("T2M_INACTIVITY_TIMEOUT_SECS", 30 * 60)? {
                secs if secs.is_zero() => {
                    return Err(ConfigError::Invalid {
                        var: "T2M_INACTIVITY_TIMEOUT_SECS",
                        reason: "must be at least 1 (second); the server signs idle sessions out"
                            .into(),
                    })
                }
                secs => secs,
            },
            webhook_secret: webhook_secret.map(SecretString::from),
            file_signing_secret: file_signing_secret.map(SecretString::from),
            rate_limit_per_hour: vars.parse("RATE_LIMIT_PER_HOUR", 100u32)?,
            max_upload_bytes: vars.parse("T2M_MAX_UPLOAD_BYTES", 512 * 1024 * 1024u64)?,
            s3: crate::services::files::s3::S3Config::from_lookup(|var| vars.get(var))?,
            request_timeout: vars.secs("T2M_REQUEST_TIMEOUT_SECS", 30)?,
            workers,
            render_command: vars.get("T2M_RENDER_COMMAND"),
            render_fps: vars.parse("T2M_RENDER_FPS", 30u32)?,
            job_lease: vars.secs("T2M_JOB_LEASE_SECS", 30)?,
            job_max_attempts: vars.parse("T2M_JOB_MAX_ATTEMPTS", 3u32)?,
            abuse: abuse::AbuseConfig::from_vars(&vars)?,
            ops: ops::OpsConfig::from_vars(&vars, environment)?,
            worker_idle_poll: match vars.parse("T2M_WORKER_IDLE_POLL_MS", 1000u64)? {
                ms @ 10.. => Duration::from_millis(ms),
                _ => {
                    return Err(ConfigError::Invalid {
                        var: "T2M_WORKER_IDLE_POLL_MS",
                        reason: "must be at least 10 (milliseconds); idle workers would spin"
                            .into(),
                    })
                }
            },
            quotas: quotas::QuotaConfig::from_vars(&vars)?,
            mail: mail::MailConfig::from_vars(&vars)?,
            local_webhooks,
            local_redirect_origins,
        })
    }

    fn identity<F: Fn(&str) -> Option<String>>(
        vars: &Vars<F>,
    ) -> Result<IdentityConfig, ConfigError> {
        let Some(issuer) = vars.get("CLERK_ISSUER") else {
            for var in ["CLERK_JWKS_URL", "CLERK_JWT_KEY"] {
                if vars.get(var).is_some() {
                    return Err(ConfigError::Invalid {
                        var: "CLERK_ISSUER",
                        reason: format!(
                            "must be set when {var} is (e.g. https://clerk.t2m-app.com)"
                        ),
                    });
                }
            }
            return Ok(IdentityConfig::Local);
        };
        let issuer = issuer.trim_end_matches('/').to_owned();
        let keys = match (vars.get("CLERK_JWT_KEY"), vars.get("CLERK_JWKS_URL")) {
            (Some(pem), _) => ClerkKeys::Pem(pem.replace("\\n", "\n")),
            (None, Some(url)) => ClerkKeys::Jwks(url),
            (None, None) => ClerkKeys::Jwks(format!("{issuer}/.well-known/jwks.json")),
        };
        Ok(IdentityConfig::Clerk(ClerkConfig {
            frontend_api: vars
                .get("CLERK_FRONTEND_API")
                .or_else(|| Some(issuer.clone())),
            issuer,
            keys,
            publishable_key: vars.get("CLERK_PUBLISHABLE_KEY"),
            secret_key: vars.get("CLERK_SECRET_KEY").map(SecretString::from),
            hosted_pages: HostedPages::from_vars(vars)?,
            api_url: match vars.get("CLERK_API_URL") {
                Some(raw) => parse_origin("CLERK_API_URL", &raw)?,
                None => "https://api.clerk.com".to_owned(),
            },
        }))
    }

    /// Records the address actually bound (port 0 becomes a real port) in the derived origins.
    pub fn bound_to(&mut self, addr: SocketAddr) {
        self.listen_addr = addr;
        if self.app_url_explicit {
            return;
        }
        let old = std::mem::replace(&mut self.app_url, format!("http://{addr}"));
        for list in [&mut self.allowed_origins, &mut self.authorized_parties] {
            for origin in list.iter_mut() {
                if *origin == old {
                    origin.clone_from(&self.app_url);
                }
            }
        }
    }

    /// Whether the built-in identity provider issues sessions.
    pub fn uses_local_identity(&self) -> bool {
        matches!(self.identity, IdentityConfig::Local)
    }

    /// The issuer tokens must carry.
    pub fn issuer(&self) -> &str {
        match &self.identity {
            IdentityConfig::Local => &self.app_url,
            IdentityConfig::Clerk(clerk) => &clerk.issuer,
        }
    }

    /// Clerk's Account Portal pages, when Clerk is configured with them.
    pub fn hosted_pages(&self) -> Option<&HostedPages> {
        match &self.identity {
            IdentityConfig::Clerk(clerk) => Some(&clerk.hosted_pages),
            IdentityConfig::Local => None,
        }
    }

    /// Whether the app is served over HTTPS (cookies then get `Secure`).
    pub fn is_https(&self) -> bool {
        self.app_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn empty_environment_runs_offline_on_defaults() {
        let config = load(&[]).unwrap();
        assert!(config.uses_local_identity());
        assert!(config.database_url.starts_with("sqlite:"));
        assert_eq!(config.app_url, "http://127.0.0.1:3000");
        assert_eq!(config.rate_limit_per_hour, 100);
        assert_eq!(config.session_token_ttl, Duration::from_secs(60));
    }

    #[test]
    fn the_inactivity_timeout_takes_any_whole_second_but_zero() {
        let config = load(&[("T2M_INACTIVITY_TIMEOUT_SECS", "1")]).unwrap();
        assert_eq!(config.inactivity_timeout, Duration::from_secs(1));
        let err = load(&[("T2M_INACTIVITY_TIMEOUT_SECS", "0")]).unwrap_err();
        assert!(
            err.to_string().starts_with("T2M_INACTIVITY_TIMEOUT_SECS"),
            "{err}"
        );
    }

    #[test]
    fn dev_mode_is_refused_in_production() {
        let err = load(&[("DEV_MODE", "true"), ("ENVIRONMENT", "production")]).unwrap_err();
        assert!(err.to_string().contains("DEV_MODE"), "{err}");
    }

    #[test]
    fn errors_name_the_variable() {
        let err = load(&[("RATE_LIMIT_PER_HOUR", "lots")]).unwrap_err();
        assert!(err.to_string().starts_with("RATE_LIMIT_PER_HOUR"), "{err}");
        let err = load(&[("APP_URL", "not a url")]).unwrap_err();
        assert!(err.to_string().starts_with("APP_URL"), "{err}");
        let err = load(&[("CLERK_JWT_KEY", "pem")]).unwrap_err();
        assert!(err.to_string().starts_with("CLERK_ISSUER"), "{err}");
        let err = load(&[("T2M_WORKER_IDLE_POLL_MS", "0")]).unwrap_err();
        assert!(
            err.to_string().starts_with("T2M_WORKER_IDLE_POLL_MS"),
            "{err}"
        );
    }

    #[test]
    fn origins_are_normalised_and_deduplicated() {
        let config = load(&[
            ("APP_URL", "https://t2m-app.com/"),
            (
                "ALLOWED_ORIGINS",
                "https://t2m-app.com, https://dev.t2m-app.com",
            ),
        ])
        .unwrap();
        assert_eq!(
            config.allowed_origins,
            vec!["https://t2m-app.com", "https://dev.t2m-app.com"]
        );
    }

    #[test]
    fn a_webhook_secret_with_a_short_or_empty_key_is_refused() {
        for short in ["whsec_", "whsec_dGVzdA==", "whsec_not base64!"] {
            let err = load(&[("CLERK_WEBHOOK_SECRET", short)]).unwrap_err();
            assert!(
                err.to_string().starts_with("CLERK_WEBHOOK_SECRET"),
                "{short}: {err}"
            );
        }
        // Exactly 24 bytes, the shortest accepted.
        load(&[(
            "CLERK_WEBHOOK_SECRET",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        )])
        .unwrap();
    }

    #[test]
    fn dev_mode_needs_a_loopback_address_and_a_localhost_app_url() {
        for (addr, app_url) in [
            ("0.0.0.0:3000", None),
            ("192.168.1.5:3000", None),
            ("127.0.0.1:3000", Some("https://t2m-app.com")),
            ("[::]:3000", Some("http://localhost:3000")),
        ] {
            let mut vars = vec![("DEV_MODE", "true"), ("LEPTOS_SITE_ADDR", addr)];
            vars.extend(app_url.map(|url| ("APP_URL", url)));
            let err = load(&vars).unwrap_err();
            assert!(
                err.to_string().starts_with("DEV_MODE"),
                "{addr} {app_url:?}: {err}"
            );
        }
        for (addr, app_url) in [
            ("127.0.0.1:3000", None),
            ("127.0.0.1:3000", Some("http://localhost:3000")),
            ("127.0.0.2:0", Some("http://127.9.9.9:8080")),
            ("[::1]:3000", Some("http://[::1]:3000")),
        ] {
            let mut vars = vec![("DEV_MODE", "true"), ("LEPTOS_SITE_ADDR", addr)];
            vars.extend(app_url.map(|url| ("APP_URL", url)));
            assert!(load(&vars).unwrap().dev_mode, "{addr} {app_url:?}");
        }
    }

    #[test]
    fn redis_urls_are_parsed_at_start_and_tls_is_supported() {
        let config = load(&[("REDIS_URL", "rediss://:pw@redis.example.com:6380/0")]).unwrap();
        assert!(config.redis_url.is_some());
        for bad in ["memcached://127.0.0.1", "http://127.0.0.1:6379", "redis://"] {
            let err = load(&[("REDIS_URL", bad)]).unwrap_err();
            assert!(err.to_string().starts_with("REDIS_URL"), "{bad}: {err}");
        }
    }
}
