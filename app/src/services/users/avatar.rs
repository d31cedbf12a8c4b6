//! Profile pictures of the built-in provider's users: a PNG, JPEG or WebP image of at most 2 MB, stored as a
//! file of kind `avatar` (so it counts against the quota, is exported and deleted with the account) and shown
//! through `GET /api/v1/me/avatar`, which redirects to a short-lived signed URL.

use crate::domain::file::FileView;
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::files::{repo, NewFile, Storage};
use crate::services::usage;
use crate::services::AppState;
use sha2::{Digest, Sha256};

/// Largest picture accepted.
pub const MAX_AVATAR_BYTES: usize = 2 * 1024 * 1024;
/// The file kind pictures are stored under.
pub const AVATAR_KIND: &str = "avatar";
/// How long the URL `GET /api/v1/me/avatar` redirects to works: long enough for one page's images.
const AVATAR_URL_SECS: i64 = 300;

/// The picture types accepted, by their sniffed content (the declared type is not trusted).
fn image_type(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    match infer::get(bytes)?.mime_type() {
        "image/png" => Some(("image/png", "png")),
        "image/jpeg" => Some(("image/jpeg", "jpg")),
        "image/webp" => Some(("image/webp", "webp")),
        _ => None,
    }
}

/// The URL pages show the caller's picture with; the file id makes a new picture a new URL for caches.
pub fn avatar_path(file_id: &str) -> String {
    format!("/api/v1/me/avatar?v={file_id}")
}

/// Replaces the caller's picture with `bytes`.
///
/// # Errors
/// `PayloadTooLarge` over 2 MB, `invalid_file` when empty, `UnsupportedMediaType` for anything but PNG, JPEG
/// or WebP, `QuotaExceeded`, `NotFound` with Clerk (pictures live there); storage or database failures.
#[tracing::instrument(skip_all, fields(user = %identity.user_id, size = bytes.len()))]
pub async fn set_avatar(
    state: &AppState,
    identity: &Identity,
    bytes: Vec<u8>,
) -> Result<FileView, AppError> {
    if !state.config.uses_local_identity() {
        return Err(AppError::NotFound);
    }
    if bytes.len() > MAX_AVATAR_BYTES {
        return Err(AppError::PayloadTooLarge {
            limit_bytes: MAX_AVATAR_BYTES as u64,
        });
    }
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "The file is empty."));
    }
    let (content_type, extension) = image_type(&bytes)
        .ok_or_else(|| AppError::UnsupportedMediaType("Use a PNG, JPEG or WebP image.".into()))?;
    let storage = usage::storage(state, identity).await?;
    storage.fits(bytes.len() as u64)?;
    let temp = state.store.temp_path();
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let size_bytes = bytes.len() as u64;
    tokio::fs::write(&temp, bytes).await?;
    let key = Storage::new_key();
    state.store.persist(&temp, &key).await?;
    let new = NewFile {
        user_id: identity.user_id.clone(),
        kind: AVATAR_KIND.into(),
        filename: format!("avatar.{extension}"),
        content_type: content_type.into(),
        size_bytes,
        sha256,
        storage_key: key.clone(),
        metadata: serde_json::json!({}),
    };
    let row = match repo::insert_within_quota(&state.db, &new, storage.limit_bytes).await {
        Ok(Some(row)) => row,
        outcome => {
            let _ = state.store.delete(&key).await;
            return Err(match outcome {
                Err(err) => err,
                Ok(_) => usage::storage(state, identity).await?.exceeded(),
            });
        }
    };
    crate::services::users::repo::set_image_url(
        &state.db,
        &identity.user_id,
        Some(&avatar_path(&row.id)),
    )
    .await?;
    for old in repo::delete_kind_except(&state.db, &identity.user_id, AVATAR_KIND, &row.id).await? {
        if let Err(err) = state.store.delete(&old).await {
            tracing::warn!(%err, "could not remove a replaced avatar's bytes");
        }
    }
    Ok(row.view())
}

/// A short-lived signed URL for the caller's picture.
///
/// # Errors
/// `NotFound` when they have none.
pub async fn avatar_url(state: &AppState, identity: &Identity) -> Result<String, AppError> {
    let row = repo::newest_of_kind(&state.db, &identity.user_id, AVATAR_KIND)
        .await?
        .ok_or(AppError::NotFound)?;
    let signed = crate::services::files::service::sign_file_url(
        state,
        identity,
        &row.id,
        AVATAR_URL_SECS,
        false,
    )
    .await?;
    Ok(signed.url)
}
