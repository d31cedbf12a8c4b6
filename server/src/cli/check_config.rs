//! `t2m-server check-config`: the settings as the server would resolve them, one `VARIABLE = value` a line,
//! with every secret replaced by whether it is set and passwords cut out of URLs.

use app::services::config::{ClerkKeys, Config, IdentityConfig};
use std::fmt::Write;

const REDACTED: &str = "(set, redacted)";
const UNSET: &str = "(unset)";

fn secret<T>(value: Option<&T>) -> &'static str {
    value.map_or(UNSET, |_| REDACTED)
}

/// A URL without its password (database and Redis URLs may carry one).
fn without_password(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("redacted"));
            url.to_string()
        }
        Ok(_) => raw.to_owned(),
        // Not a URL the parser knows (a bare SQLite path): it holds no password.
        Err(_) if !raw.contains('@') => raw.to_owned(),
        Err(_) => "(unparsable, redacted)".to_owned(),
    }
}

/// The report `check-config` prints.
pub fn report(config: &Config, log_format: crate::telemetry::LogFormat) -> String {
    let mut lines: Vec<(&str, String)> = vec![
        (
            "ENVIRONMENT",
            format!("{:?}", config.environment).to_lowercase(),
        ),
        ("DEV_MODE", config.dev_mode.to_string()),
        ("T2M_MODE", format!("{:?}", config.mode).to_lowercase()),
        ("LEPTOS_SITE_ADDR", config.listen_addr.to_string()),
        ("APP_URL", config.app_url.clone()),
        ("ALLOWED_ORIGINS", config.allowed_origins.join(",")),
        ("T2M_DATA_DIR", config.data_dir.display().to_string()),
        ("LEPTOS_SITE_ROOT", config.site_root.clone()),
        ("DATABASE_URL", without_password(&config.database_url)),
        (
            "REDIS_URL",
            config
                .redis_url
                .as_deref()
                .map_or(UNSET.into(), without_password),
        ),
        ("T2M_REDIS_KEY_PREFIX", config.redis_key_prefix.clone()),
    ];
    match &config.identity {
        IdentityConfig::Local => {
            lines.push(("identity provider", "built-in (no CLERK_ISSUER)".into()));
        }
        IdentityConfig::Clerk(clerk) => {
            lines.push(("CLERK_ISSUER", clerk.issuer.clone()));
            let keys = match &clerk.keys {
                ClerkKeys::Jwks(url) => format!("JWKS {url}"),
                ClerkKeys::Pem(_) => "CLERK_JWT_KEY (PEM public key)".into(),
            };
            lines.push(("Clerk keys", keys));
            lines.push((
                "CLERK_PUBLISHABLE_KEY",
                clerk
                    .publishable_key
                    .clone()
                    .unwrap_or_else(|| UNSET.into()),
            ));
            lines.push(("CLERK_SECRET_KEY", secret(clerk.secret_key.as_ref()).into()));
        }
    }
    lines.extend([
        (
            "CLERK_AUTHORIZED_PARTIES",
            config.authorized_parties.join(","),
        ),
        (
            "CLERK_WEBHOOK_SECRET",
            secret(config.webhook_secret.as_ref()).into(),
        ),
        (
            "FILE_SIGNING_SECRET",
            config
                .file_signing_secret
                .as_ref()
                .map_or("(unset: a random key under T2M_DATA_DIR)".into(), |_| {
                    REDACTED.into()
                }),
        ),
        (
            "RATE_LIMIT_PER_HOUR",
            config.rate_limit_per_hour.to_string(),
        ),
        ("T2M_MAX_UPLOAD_BYTES", config.max_upload_bytes.to_string()),
        (
            "T2M_S3_BUCKET",
            config
                .s3
                .as_ref()
                .map_or("(unset: local disk)".into(), |s3| {
                    format!(
                        "{} at {} ({}), secret key {}",
                        s3.bucket,
                        s3.endpoint.as_deref().unwrap_or("AWS"),
                        s3.region,
                        secret(s3.secret_access_key.as_ref())
                    )
                }),
        ),
        (
            "T2M_REQUEST_TIMEOUT_SECS",
            config.request_timeout.as_secs().to_string(),
        ),
        ("T2M_WORKERS", config.workers.to_string()),
        (
            "T2M_RENDER_COMMAND",
            config
                .render_command
                .clone()
                .unwrap_or_else(|| "(built-in renderer)".into()),
        ),
        ("T2M_RENDER_FPS", config.render_fps.to_string()),
        ("T2M_JOB_LEASE_SECS", config.job_lease.as_secs().to_string()),
        ("T2M_JOB_MAX_ATTEMPTS", config.job_max_attempts.to_string()),
        (
            "T2M_METRICS_TOKEN",
            secret(config.ops.metrics_token.as_ref()).into(),
        ),
        (
            "T2M_WORKER_HTTP_ADDR",
            config
                .ops
                .worker_http_addr
                .map_or(UNSET.into(), |a| a.to_string()),
        ),
        ("T2M_LOG_FORMAT", format!("{log_format:?}").to_lowercase()),
        ("quotas", format!("{:?}", config.quotas)),
        ("abuse limits", format!("{:?}", config.abuse)),
        ("hardening", format!("{:?}", config.hardening)),
    ]);
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::from("t2m-server: configuration is valid\n");
    for (key, value) in lines {
        let _ = writeln!(out, "{key:width$} = {value}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_cut_out() {
        let shown = without_password("postgres://t2m:hunter2@db:5432/t2m");
        assert!(
            !shown.contains("hunter2") && shown.contains("db:5432"),
            "{shown}"
        );
        assert_eq!(
            without_password("sqlite://./data/t2m.db?mode=rwc"),
            "sqlite://./data/t2m.db?mode=rwc"
        );
        assert!(!without_password("redis://:pw@cache:6379").contains("pw@"));
    }

    #[test]
    fn secrets_are_never_printed() {
        let map = std::collections::HashMap::from([
            (
                "FILE_SIGNING_SECRET",
                "0123456789abcdef0123456789abcdef-secret",
            ),
            ("T2M_METRICS_TOKEN", "scrape-token-value"),
        ]);
        let config = Config::from_lookup(|k| map.get(k).map(|v| (*v).to_owned())).unwrap();
        let out = report(&config, crate::telemetry::LogFormat::Text);
        assert!(!out.contains("0123456789abcdef"), "{out}");
        assert!(!out.contains("scrape-token-value"), "{out}");
        assert!(out.contains("T2M_METRICS_TOKEN"), "{out}");
    }
}
