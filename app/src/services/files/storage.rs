//! `Storage`: where file bytes live, local disk or an S3-compatible bucket, behind one set of calls.
//! Uploads are always written to a local temp file first (hashed and sniffed as they stream), then persisted.

use super::s3::{ObjectInfo, S3Config, S3Store};
use super::store::LocalStore;
use crate::error::AppError;
use std::path::{Path, PathBuf};

/// The configured store.
#[derive(Debug, Clone)]
pub enum Storage {
    /// Files under `T2M_DATA_DIR/files`.
    Local(LocalStore),
    /// Files in a bucket; temp files still go under `T2M_DATA_DIR/files/tmp`.
    S3 { bucket: S3Store, temp: LocalStore },
}

impl Storage {
    /// The store the configuration asks for; `root` holds local objects and temp files.
    ///
    /// # Errors
    /// When the directory cannot be created or the S3 settings cannot make a client.
    pub fn open(root: &Path, s3: Option<&S3Config>) -> Result<Self, AppError> {
        let local = LocalStore::open(root).map_err(|e| {
            AppError::internal(format!("creating the file store {}: {e}", root.display()))
        })?;
        local.sweep_temp();
        match s3 {
            None => Ok(Self::Local(local)),
            Some(config) => Ok(Self::S3 {
                bucket: S3Store::open(config)?,
                temp: local,
            }),
        }
    }

    fn local(&self) -> &LocalStore {
        match self {
            Self::Local(local) | Self::S3 { temp: local, .. } => local,
        }
    }

    /// A fresh, unguessable storage key.
    pub fn new_key() -> String {
        LocalStore::new_key()
    }

    /// The local directory for work in progress (renders, uploads) before [`Storage::persist`].
    pub fn temp_dir(&self) -> PathBuf {
        self.local().temp_dir()
    }

    /// A local path to write an incoming file to before [`Storage::persist`].
    pub fn temp_path(&self) -> PathBuf {
        self.local().temp_path()
    }

    /// The local path of a stored object; `None` on S3 or for a key T2M never issues.
    pub fn path_of(&self, key: &str) -> Option<PathBuf> {
        match self {
            Self::Local(local) => local.path_of(key),
            Self::S3 { .. } => None,
        }
    }

    /// Stores a completely written temp file under `key` and removes the temp file.
    ///
    /// # Errors
    /// When the bytes cannot be moved or uploaded (the temp file is removed either way).
    pub async fn persist(&self, temp: &Path, key: &str) -> Result<(), AppError> {
        let result = match self {
            Self::Local(local) => local.persist(temp, key).await.map_err(AppError::from),
            Self::S3 { bucket, .. } => bucket.put_file(temp, key).await,
        };
        if matches!(self, Self::S3 { .. }) || result.is_err() {
            remove_quietly(temp).await;
        }
        result
    }

    /// `None` on local disk; otherwise whether the bucket answers right now.
    pub async fn remote_healthy(&self) -> Option<bool> {
        match self {
            Self::Local(_) => None,
            Self::S3 { bucket, .. } => Some(bucket.ping().await),
        }
    }

    /// Whether files can be stored right now: the bucket answers, or the local store's directory is there.
    pub async fn healthy(&self) -> bool {
        match self {
            Self::Local(local) => tokio::fs::metadata(local.temp_dir())
                .await
                .is_ok_and(|meta| meta.is_dir()),
            Self::S3 { bucket, .. } => bucket.ping().await,
        }
    }

    /// Removes an object; a missing one is already gone.
    ///
    /// # Errors
    /// When the store cannot be reached.
    pub async fn delete(&self, key: &str) -> Result<(), AppError> {
        match self {
            Self::Local(local) => local.delete(key).await.map_err(AppError::internal),
            Self::S3 { bucket, .. } => bucket.delete(key).await,
        }
    }

    /// The object's size and modification time.
    ///
    /// # Errors
    /// `NotFound` when it is missing.
    pub async fn head(&self, key: &str) -> Result<ObjectInfo, AppError> {
        match self {
            Self::Local(local) => {
                let path = local.path_of(key).ok_or(AppError::NotFound)?;
                let meta = tokio::fs::metadata(&path)
                    .await
                    .map_err(|_| AppError::NotFound)?;
                Ok(ObjectInfo {
                    size: meta.len(),
                    last_modified: meta
                        .modified()
                        .map(chrono::DateTime::<chrono::Utc>::from)
                        .unwrap_or_default(),
                })
            }
            Self::S3 { bucket, .. } => bucket.head(key).await,
        }
    }
}

async fn remove_quietly(path: &Path) {
    if let Err(err) = tokio::fs::remove_file(path).await {
        if err.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(%err, path = %path.display(), "could not remove a temp file");
        }
    }
}
