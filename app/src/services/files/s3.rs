//! The S3-compatible store (AWS S3, MinIO, Ceph, moto…) through `object_store`: the scale-out option when
//! several machines serve the same files. Objects live under `objects/<2 hex>/<key>`, as on local disk.

use crate::error::AppError;
use crate::services::config::ConfigError;
use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{
    BackoffConfig, GetOptions, GetRange, ObjectStore, ObjectStoreExt, RetryConfig, WriteMultipart,
};
use secrecy::{ExposeSecret, SecretString};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use tokio::io::AsyncReadExt;

/// Bytes per uploaded part: S3 wants at least 5 MiB for every part but the last.
const PART_BYTES: usize = 8 * 1024 * 1024;

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

/// Size, time and version of a stored object.
#[derive(Debug, Clone)]
pub struct ObjectInfo {
    pub size: u64,
    pub last_modified: chrono::DateTime<chrono::Utc>,
}

/// A bucket holding T2M's file bytes.
#[derive(Debug, Clone)]
pub struct S3Store {
    store: Arc<AmazonS3>,
}

fn unavailable(err: object_store::Error) -> AppError {
    match err {
        object_store::Error::NotFound { .. } => AppError::NotFound,
        other => AppError::Unavailable(format!("object store: {other}")),
    }
}

impl S3Store {
    /// A client for the configured bucket (no request is made yet).
    ///
    /// # Errors
    /// When the settings cannot make a client.
    pub fn open(config: &S3Config) -> Result<Self, AppError> {
        // A few quick retries ride out a blip; a bucket that stays away is a 503 in seconds, not minutes.
        let retry = RetryConfig {
            backoff: BackoffConfig::default(),
            max_retries: 3,
            retry_timeout: std::time::Duration::from_secs(10),
        };
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_retry(retry);
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let (Some(id), Some(secret)) = (&config.access_key_id, &config.secret_access_key) {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret.expose_secret());
        }
        let store = builder
            .build()
            .map_err(|e| AppError::internal(format!("S3 settings: {e}")))?;
        Ok(Self {
            store: Arc::new(store),
        })
    }

    /// The object path of a key; only keys T2M issues have one.
    fn path(key: &str) -> Result<ObjectPath, AppError> {
        if !super::store::LocalStore::valid_key(key) {
            return Err(AppError::NotFound);
        }
        Ok(ObjectPath::from(format!("objects/{}/{key}", &key[..2])))
    }

    /// Uploads a completely written local file under `key`, in parts so memory stays flat.
    ///
    /// # Errors
    /// `Unavailable` when the bucket cannot be written.
    pub async fn put_file(&self, source: &Path, key: &str) -> Result<(), AppError> {
        let mut file = tokio::fs::File::open(source)
            .await
            .map_err(AppError::internal)?;
        let upload = self
            .store
            .put_multipart(&Self::path(key)?)
            .await
            .map_err(unavailable)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut buf = vec![0u8; 1024 * 1024];
        loop {
            let read = match file.read(&mut buf).await {
                Ok(read) => read,
                Err(err) => {
                    let _ = writer.abort().await;
                    return Err(AppError::internal(err));
                }
            };
            if read == 0 {
                break;
            }
            // Bounds how many parts are in flight at once, so a fast disk cannot queue the whole file.
            writer.wait_for_capacity(4).await.map_err(unavailable)?;
            writer.write(&buf[..read]);
        }
        writer.finish().await.map_err(unavailable)?;
        Ok(())
    }

    /// Removes an object; a missing one is already gone.
    ///
    /// # Errors
    /// `Unavailable` when the bucket cannot be reached.
    pub async fn delete(&self, key: &str) -> Result<(), AppError> {
        let Ok(path) = Self::path(key) else {
            return Ok(());
        };
        match self.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(other) => Err(unavailable(other)),
        }
    }

    /// The object's size and modification time.
    ///
    /// # Errors
    /// `NotFound` when it is missing, `Unavailable` when the bucket cannot be reached.
    pub async fn head(&self, key: &str) -> Result<ObjectInfo, AppError> {
        let meta = self
            .store
            .head(&Self::path(key)?)
            .await
            .map_err(unavailable)?;
        Ok(ObjectInfo {
            size: meta.size,
            last_modified: meta.last_modified,
        })
    }

    /// The bytes in `range` (the whole object when `None`) as a stream, fetched with one ranged GET.
    ///
    /// # Errors
    /// `NotFound` when it is missing, `Unavailable` when the bucket cannot be reached.
    pub async fn read(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<BoxStream<'static, std::io::Result<Bytes>>, AppError> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..GetOptions::default()
        };
        let result = self
            .store
            .get_opts(&Self::path(key)?, options)
            .await
            .map_err(unavailable)?;
        Ok(result.into_stream().map_err(std::io::Error::other).boxed())
    }

    /// Whether the bucket answers (a listing of at most one key).
    pub async fn ping(&self) -> bool {
        let prefix = ObjectPath::from("objects");
        let mut listing = self.store.list(Some(&prefix));
        !matches!(listing.next().await, Some(Err(_)))
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
