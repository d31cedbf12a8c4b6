//! The S3 store's settings: `T2M_S3_BUCKET`, `T2M_S3_ENDPOINT`, `AWS_REGION`, `AWS_ACCESS_KEY_ID` and
//! `AWS_SECRET_ACCESS_KEY`, checked at start with errors naming the variable.

use crate::services::config::ConfigError;
use secrecy::SecretString;

/// Where the bucket is and how to sign requests to it.
#[derive(Debug, Clone)]
pub struct S3Config {
    pub bucket: String,
    /// A non-AWS endpoint such as `http://127.0.0.1:9000`; AWS itself when `None`.
    pub endpoint: Option<String>,
    pub region: String,
    /// With the secret below; both absent means the machine's own (instance) credentials.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<SecretString>,
}

fn invalid(var: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        var,
        reason: reason.into(),
    }
}

impl S3Config {
    /// Reads `T2M_S3_BUCKET`, `T2M_S3_ENDPOINT`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`
    /// through `get` (values already trimmed, empty ones absent). `None` when no bucket is named.
    ///
    /// # Errors
    /// Names the variable that is malformed or missing its partner.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, ConfigError> {
        let endpoint = get("T2M_S3_ENDPOINT");
        let Some(bucket) = get("T2M_S3_BUCKET") else {
            if endpoint.is_some() {
                return Err(invalid(
                    "T2M_S3_BUCKET",
                    "must be set when T2M_S3_ENDPOINT is (the bucket that holds T2M's files)",
                ));
            }
            return Ok(None);
        };
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
            && !bucket.starts_with(['-', '.'])
            && !bucket.ends_with(['-', '.']);
        if !valid_bucket {
            return Err(invalid(
                "T2M_S3_BUCKET",
                format!("{bucket:?} is not a bucket name (3–63 lowercase letters, digits, dots, hyphens)"),
            ));
        }
        if let Some(raw) = &endpoint {
            let ok = url::Url::parse(raw)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
            if !ok {
                return Err(invalid(
                    "T2M_S3_ENDPOINT",
                    format!("{raw:?} must be an http(s) URL such as http://127.0.0.1:9000"),
                ));
            }
        }
        let region = get("AWS_REGION").unwrap_or_else(|| "us-east-1".into());
        if !region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(invalid(
                "AWS_REGION",
                format!("{region:?} is not a region name such as us-east-1"),
            ));
        }
        let access_key_id = get("AWS_ACCESS_KEY_ID");
        let secret_access_key = get("AWS_SECRET_ACCESS_KEY");
        match (&access_key_id, &secret_access_key) {
            (Some(_), None) => {
                return Err(invalid(
                    "AWS_SECRET_ACCESS_KEY",
                    "must be set when AWS_ACCESS_KEY_ID is",
                ))
            }
            (None, Some(_)) => {
                return Err(invalid(
                    "AWS_ACCESS_KEY_ID",
                    "must be set when AWS_SECRET_ACCESS_KEY is",
                ))
            }
            _ => {}
        }
        Ok(Some(Self {
            bucket,
            endpoint,
            region,
            access_key_id,
            secret_access_key: secret_access_key.map(SecretString::from),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&str, &str)]) -> Result<Option<S3Config>, ConfigError> {
        let map: HashMap<&str, &str> = pairs.iter().copied().collect();
        S3Config::from_lookup(|k| map.get(k).map(|v| (*v).to_owned()))
    }

    #[test]
    fn no_bucket_means_local_disk() {
        assert!(load(&[]).unwrap().is_none());
    }

    #[test]
    fn a_complete_setting_is_read() {
        let config = load(&[
            ("T2M_S3_BUCKET", "t2m-files"),
            ("T2M_S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("AWS_ACCESS_KEY_ID", "id"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(config.region, "us-east-1");
        assert_eq!(config.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
    }

    #[test]
    fn errors_name_the_variable() {
        for (pairs, var) in [
            (&[("T2M_S3_ENDPOINT", "http://x")][..], "T2M_S3_BUCKET"),
            (&[("T2M_S3_BUCKET", "Bad_Bucket")][..], "T2M_S3_BUCKET"),
            (
                &[
                    ("T2M_S3_BUCKET", "ok-bucket"),
                    ("T2M_S3_ENDPOINT", "ftp://x"),
                ][..],
                "T2M_S3_ENDPOINT",
            ),
            (
                &[("T2M_S3_BUCKET", "ok-bucket"), ("AWS_REGION", "us east")][..],
                "AWS_REGION",
            ),
            (
                &[("T2M_S3_BUCKET", "ok-bucket"), ("AWS_ACCESS_KEY_ID", "id")][..],
                "AWS_SECRET_ACCESS_KEY",
            ),
            (
                &[
                    ("T2M_S3_BUCKET", "ok-bucket"),
                    ("AWS_SECRET_ACCESS_KEY", "s"),
                ][..],
                "AWS_ACCESS_KEY_ID",
            ),
        ] {
            let err = load(pairs).unwrap_err().to_string();
            assert!(err.starts_with(var), "{err} should name {var}");
        }
    }
}
