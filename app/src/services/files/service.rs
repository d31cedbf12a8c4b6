//! The file rules the REST handlers call: listing, reading and deleting one's own files, issuing signed URLs,
//! and resolving a signed URL back to the file it grants.

use super::repo::{self, FileRow};
use super::signing::{Grant, SignedQuery};
use super::sniff::KINDS;
use crate::domain::file::{FilePage, FileView, SignedUrl};
use crate::domain::library::FileName;
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::paging::{decode_cursor, search_text, split_page};
use crate::services::AppState;

/// Signed URLs live an hour unless asked otherwise, and a week at most.
pub const DEFAULT_EXPIRES_IN: i64 = 3600;
/// The longest lifetime a signed URL may be given.
pub const MAX_EXPIRES_IN: i64 = 7 * 24 * 3600;

/// A page of the caller's files, newest first; `text` keeps names containing it, whatever the case.
///
/// # Errors
/// `invalid_kind`, `invalid_q` or `invalid_cursor` for junk, database failures.
#[tracing::instrument(skip_all, fields(user_id = %identity.user_id))]
pub async fn list_files(
    state: &AppState,
    identity: &Identity,
    kind: Option<&str>,
    text: Option<&str>,
    cursor: Option<&str>,
    limit: i64,
) -> Result<FilePage, AppError> {
    if let Some(kind) = kind {
        if !KINDS.contains(&kind) {
            return Err(AppError::invalid(
                "kind",
                format!("kind must be one of {}.", KINDS.join(", ")),
            ));
        }
    }
    let text = search_text(text)?;
    let cursor = cursor.map(decode_cursor).transpose()?;
    // One extra row tells whether another page exists without a count query.
    let mut rows = repo::list_owned(
        &state.db,
        &identity.user_id,
        kind,
        text.as_deref(),
        cursor.as_ref().map(|(at, id)| (*at, id.as_str())),
        limit + 1,
    )
    .await?;
    let next_cursor = split_page(&mut rows, limit, |row| (row.created_at, &row.id));
    Ok(FilePage {
        next_cursor,
        items: rows.iter().map(FileRow::view).collect(),
    })
}

/// One of the caller's files.
///
/// # Errors
/// `NotFound` for ids that do not exist or belong to someone else.
pub async fn get_file(
    state: &AppState,
    identity: &Identity,
    id: &str,
) -> Result<FileView, AppError> {
    Ok(repo::find_owned(&state.db, &identity.user_id, id)
        .await?
        .view())
}

/// Renames one of the caller's files.
///
/// # Errors
/// `invalid_name` for an empty or unsafe name; `NotFound` as for [`get_file`].
#[tracing::instrument(skip_all, fields(user_id = %identity.user_id, file_id = %id))]
pub async fn rename_file(
    state: &AppState,
    identity: &Identity,
    id: &str,
    name: &str,
) -> Result<FileView, AppError> {
    let name = FileName::parse(name).map_err(|why| AppError::invalid("name", why))?;
    Ok(
        repo::rename_owned(&state.db, &identity.user_id, id, name.as_str())
            .await?
            .view(),
    )
}

/// Deletes one of the caller's files: the row first, so its signed URLs stop working at once, then the bytes.
///
/// # Errors
/// `NotFound` as for [`get_file`]; database failures.
#[tracing::instrument(skip_all, fields(user_id = %identity.user_id, file_id = %id))]
pub async fn delete_file(state: &AppState, identity: &Identity, id: &str) -> Result<(), AppError> {
    let row = repo::delete_owned(&state.db, &identity.user_id, id).await?;
    if let Err(err) = state.store.delete(&row.storage_key).await {
        // The row is gone, so nothing can reach the bytes; they are only wasted space now.
        tracing::warn!(%err, "could not remove a deleted file's bytes");
    }
    Ok(())
}

/// Checks a requested lifetime in seconds (`None`: the default).
///
/// # Errors
/// `invalid_expires_in` outside 1–604800.
pub fn expires_in(requested: Option<i64>) -> Result<i64, AppError> {
    let secs = requested.unwrap_or(DEFAULT_EXPIRES_IN);
    if (1..=MAX_EXPIRES_IN).contains(&secs) {
        Ok(secs)
    } else {
        Err(AppError::invalid(
            "expires_in",
            format!("expiresIn must be between 1 and {MAX_EXPIRES_IN} seconds."),
        ))
    }
}

fn sign(state: &AppState, row: &FileRow, expires_in: i64, download: bool) -> SignedUrl {
    let expires = chrono::Utc::now().timestamp() + expires_in;
    let path = state
        .signer
        .signed_path(&row.id, &row.user_id, expires, download);
    SignedUrl {
        url: format!("{}{path}", state.config.app_url),
        expires_at: chrono::DateTime::from_timestamp(expires, 0)
            .unwrap_or_default()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

/// A signed URL for one of the caller's files.
///
/// # Errors
/// `NotFound` as for [`get_file`].
pub async fn sign_file_url(
    state: &AppState,
    identity: &Identity,
    id: &str,
    expires_in: i64,
    download: bool,
) -> Result<SignedUrl, AppError> {
    let row = repo::find_owned(&state.db, &identity.user_id, id).await?;
    Ok(sign(state, &row, expires_in, download))
}

/// A signed URL for the video one of the caller's jobs produced; `download` makes it an attachment.
///
/// # Errors
/// `NotFound` for someone else's job, an unknown one, or one without a video yet.
pub async fn sign_job_video_url(
    state: &AppState,
    identity: &Identity,
    job_id: &str,
    expires_in: i64,
    download: bool,
) -> Result<SignedUrl, AppError> {
    let row = repo::find_job_video(&state.db, &identity.user_id, job_id).await?;
    Ok(sign(state, &row, expires_in, download))
}

/// The file a signed URL grants, checked in the contract's order: 400, 410, 403, then 404 for an unknown
/// file or one the signing user does not own.
///
/// # Errors
/// `SignedUrlIncomplete`, `SignedUrlExpired`, `SignedUrlForged`, `NotFound`.
pub async fn resolve_signed(
    state: &AppState,
    file_id: &str,
    query: &SignedQuery,
) -> Result<(FileRow, Grant), AppError> {
    let grant = state
        .signer
        .verify(file_id, query, chrono::Utc::now().timestamp())?;
    let row = repo::find(&state.db, file_id)
        .await?
        .filter(|row| row.user_id == grant.user_id)
        .ok_or(AppError::NotFound)?;
    Ok((row, grant))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_bounded() {
        assert_eq!(expires_in(None).unwrap(), 3600);
        assert_eq!(expires_in(Some(604_800)).unwrap(), 604_800);
        for bad in [0, -5, 604_801] {
            assert_eq!(
                expires_in(Some(bad)).unwrap_err().code(),
                "invalid_expires_in"
            );
        }
    }
}
