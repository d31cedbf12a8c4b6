//! The S3-compatible store (AWS S3, MinIO, Ceph, moto…) through `object_store`: the scale-out option when
//! several machines serve the same files. Objects live under `objects/<2 hex>/<key>`, as on local disk.

use crate::error::AppError;
use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{
    BackoffConfig, GetOptions, GetRange, ObjectStore, ObjectStoreExt, RetryConfig, WriteMultipart,
};
use secrecy::ExposeSecret;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use tokio::io::AsyncReadExt;

pub use super::s3_config::S3Config;

/// Bytes per uploaded part: S3 wants at least 5 MiB for every part but the last.
const PART_BYTES: usize = 8 * 1024 * 1024;

/// Size and modification time of a stored object.
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
        let first = tokio::time::timeout(std::time::Duration::from_secs(5), listing.next()).await;
        matches!(first, Ok(None | Some(Ok(_))))
    }
}
