//! Receiving an upload: bytes stream into a temp file while being counted, hashed and sampled for sniffing;
//! only a complete, accepted file is persisted and recorded. Dropping an unfinished upload (the client went
//! away) removes its temp file.

use super::repo::{self, FileRow, NewFile};
use super::sniff::{self, SNIFF_BYTES};
use crate::error::app_error::RateLimitInfo;
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::limits::LimitedAction;
use crate::services::usage::StorageUsage;
use crate::services::AppState;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;

/// Most extra form fields kept as metadata, and their sizes.
const MAX_FIELDS: usize = 32;
const MAX_FIELD_NAME: usize = 64;
const MAX_FIELD_VALUE: usize = 4096;

/// A temp file that deletes itself unless it was persisted.
struct TempFile {
    path: PathBuf,
    armed: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            // Synchronous on purpose: drop may run while the runtime unwinds a cancelled request.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// An upload in progress.
pub struct Upload {
    temp: TempFile,
    file: tokio::fs::File,
    hasher: Sha256,
    size: u64,
    limit: u64,
    /// The owner's storage when the upload began; the bytes must fit in its room.
    storage: StorageUsage,
    head: Vec<u8>,
}

/// What the client said about the file.
#[derive(Debug, Clone, Default)]
pub struct Declared {
    pub filename: Option<String>,
    pub content_type: Option<String>,
    /// The other form fields, kept as the file's metadata.
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

impl Declared {
    /// Records an extra form field as metadata.
    ///
    /// # Errors
    /// `invalid_metadata` beyond the field count or sizes.
    pub fn add_field(&mut self, name: &str, value: String) -> Result<(), AppError> {
        if self.metadata.len() >= MAX_FIELDS {
            return Err(AppError::invalid(
                "metadata",
                format!("At most {MAX_FIELDS} extra fields are kept."),
            ));
        }
        if name.is_empty()
            || name.chars().count() > MAX_FIELD_NAME
            || value.chars().count() > MAX_FIELD_VALUE
        {
            return Err(AppError::invalid(
                "metadata",
                format!("Field names must be 1–{MAX_FIELD_NAME} characters and values at most {MAX_FIELD_VALUE}."),
            ));
        }
        self.metadata
            .insert(name.to_owned(), serde_json::Value::String(value));
        Ok(())
    }
}

impl Upload {
    /// Starts an upload into a fresh temp file, for an owner whose storage is `storage`.
    ///
    /// # Errors
    /// When the temp file cannot be created.
    pub async fn start(state: &AppState, storage: StorageUsage) -> Result<Self, AppError> {
        let path = state.store.temp_path();
        let file = tokio::fs::File::create(&path)
            .await
            .map_err(AppError::from)?;
        Ok(Self {
            temp: TempFile { path, armed: true },
            file,
            hasher: Sha256::new(),
            size: 0,
            limit: state.config.max_upload_bytes,
            storage,
            head: Vec::with_capacity(SNIFF_BYTES),
        })
    }

    /// Appends a chunk.
    ///
    /// # Errors
    /// `PayloadTooLarge` as soon as the size limit is passed, `QuotaExceeded` as soon as the owner's storage
    /// quota is; I/O failures.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), AppError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(AppError::PayloadTooLarge {
                limit_bytes: self.limit,
            });
        }
        self.storage.fits(self.size)?;
        if self.head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        self.file.write_all(chunk).await.map_err(AppError::from)
    }

    /// Checks the content, takes the upload's rate-limit slot, persists the bytes and records the file for
    /// `identity`. The slot is taken only here, so an upload refused for its type, size or quota costs none.
    ///
    /// # Errors
    /// `invalid_file` when empty, `UnsupportedMediaType`, `RateLimited`, `QuotaExceeded` when concurrent uploads
    /// filled the quota meanwhile, storage or database failures (the bytes are removed again if no row is
    /// written).
    #[tracing::instrument(skip_all, fields(user_id = %identity.user_id, size = self.size))]
    pub async fn finish(
        mut self,
        state: &AppState,
        identity: &Identity,
        declared: Declared,
    ) -> Result<(FileRow, RateLimitInfo), AppError> {
        if self.size == 0 {
            return Err(AppError::invalid("file", "The file is empty."));
        }
        let detected = sniff::detect(&self.head, declared.content_type.as_deref())?;
        let rate = state
            .limiter
            .check(&identity.user_id, LimitedAction::Upload)
            .await?;
        self.file.flush().await.map_err(AppError::from)?;
        self.file.sync_all().await.map_err(AppError::from)?;
        drop(self.file);
        let key = super::Storage::new_key();
        state.store.persist(&self.temp.path, &key).await?;
        self.temp.armed = false;
        let new = NewFile {
            user_id: identity.user_id.clone(),
            kind: detected.kind.to_owned(),
            filename: sanitize_filename(declared.filename.as_deref().unwrap_or_default()),
            content_type: detected.content_type.to_owned(),
            size_bytes: self.size,
            sha256: hex::encode(self.hasher.finalize()),
            storage_key: key.clone(),
            metadata: serde_json::Value::Object(declared.metadata),
        };
        let limit_bytes = self.storage.limit_bytes;
        let refused = match repo::insert_within_quota(&state.db, &new, limit_bytes).await {
            Ok(Some(row)) => {
                crate::services::observe::upload_stored(new.size_bytes);
                return Ok((row, rate));
            }
            Ok(None) => StorageUsage {
                used_bytes: repo::stored_bytes(&state.db, &identity.user_id).await?,
                limit_bytes,
            }
            .exceeded(),
            Err(err) => err,
        };
        let _ = state.store.delete(&key).await;
        Err(refused)
    }
}

/// A filename safe to store and to put in `Content-Disposition`: no directories, control or reserved
/// characters, no leading dots, at most 200 bytes; `upload` when nothing is left.
pub fn sanitize_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| match c {
            c if c.is_control() => '_',
            '"' | '<' | '>' | ':' | '|' | '?' | '*' | ';' | '%' => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let mut name = String::new();
    for c in trimmed.chars() {
        if name.len() + c.len_utf8() > 200 {
            break;
        }
        name.push(c);
    }
    if name.is_empty() {
        "upload".into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_lose_paths_and_dangerous_characters() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("C:\\Users\\me\\clip.mp4"), "clip.mp4");
        assert_eq!(sanitize_filename("a\"b\r\nc.txt"), "a_b__c.txt");
        assert_eq!(sanitize_filename("..."), "upload");
        assert_eq!(sanitize_filename(""), "upload");
        assert_eq!(sanitize_filename(".hidden"), "hidden");
        assert_eq!(sanitize_filename("vidéo été.mp4"), "vidéo été.mp4");
        assert!(sanitize_filename(&"é".repeat(300)).len() <= 200);
    }

    #[test]
    fn metadata_fields_are_bounded() {
        let mut declared = Declared::default();
        declared.add_field("title", "My clip".into()).unwrap();
        assert!(declared.add_field("", "x".into()).is_err());
        assert!(declared.add_field("big", "x".repeat(5000)).is_err());
        for i in 1..MAX_FIELDS {
            declared.add_field(&format!("f{i}"), "v".into()).unwrap();
        }
        assert_eq!(
            declared
                .add_field("one_more", "v".into())
                .unwrap_err()
                .code(),
            "invalid_metadata"
        );
    }
}
