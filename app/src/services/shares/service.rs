//! Share links: an owner makes, lists and revokes them; anyone holding one opens the video's public page.
//!
//! A link is `APP_URL/s/{token}`, the token 32 random bytes (base64url, 43 characters). Only its SHA-256 is
//! stored, so the token is told once, when the link is made. The page plays the owner's files through signed
//! URLs minted at each page load, living [`MEDIA_URL_SECS`] at most (never past the link's own expiry): the
//! existing signed-file route then serves them with ranges, and a deleted file stops at once.

use super::repo::{self, ActiveShare, NewShare};
use crate::domain::job::JobStatus;
use crate::domain::share::{
    title_from_prompt, ShareCreated, ShareView, SharedVideo, DEFAULT_SHARE_SECS, MAX_SHARE_SECS,
};
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::db::{iso8601, now_ms};
use crate::services::AppState;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The longest a page's media URLs live: long enough to watch, short enough that a revoked link's page that
/// stays open stops playing soon after.
pub const MEDIA_URL_SECS: i64 = 2 * 3600;

/// Checks a requested lifetime: `None` (absent) is the default week, `Some(None)` (JSON `null`) means until
/// revoked, else 1 second to a year. Returns the lifetime in seconds, `None` for no expiry.
///
/// # Errors
/// `invalid_expires_in` outside that range.
pub fn lifetime(requested: Option<Option<i64>>) -> Result<Option<i64>, AppError> {
    match requested {
        None => Ok(Some(DEFAULT_SHARE_SECS)),
        Some(None) => Ok(None),
        Some(Some(secs)) if (1..=MAX_SHARE_SECS).contains(&secs) => Ok(Some(secs)),
        Some(Some(_)) => Err(AppError::invalid(
            "expires_in",
            format!("expiresIn must be between 1 and {MAX_SHARE_SECS} seconds, or null for a link that works until revoked."),
        )),
    }
}

/// The stored form of a token.
fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether `token` could be one this service made, checked before touching the database.
fn plausible_token(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn view(row: &ActiveShare) -> ShareView {
    ShareView {
        id: row.id.clone(),
        job_id: row.job_id.clone(),
        title: title_from_prompt(&row.prompt),
        created_at: iso8601(row.created_at),
        expires_at: row.expires_at.map(iso8601),
    }
}

/// Makes a link to the video of one of the caller's jobs, living `lifetime_secs` (`None`: until revoked).
///
/// # Errors
/// `NotFound` for an unknown job, someone else's, or one whose video was deleted; `VideoNotReady` (409) for
/// the caller's job that has not completed.
#[tracing::instrument(skip_all, fields(user_id = %identity.user_id, job_id = %job_id))]
pub async fn create_share(
    state: &AppState,
    identity: &Identity,
    job_id: &str,
    lifetime_secs: Option<i64>,
) -> Result<ShareCreated, AppError> {
    let job = crate::services::jobs::repo::find_owned(&state.db, &identity.user_id, job_id).await?;
    if job.status() != JobStatus::Completed {
        return Err(AppError::VideoNotReady);
    }
    // A completed job whose video file was deleted has nothing to share.
    crate::services::files::repo::find_job_video(&state.db, &identity.user_id, job_id).await?;
    let token = new_token();
    let token_hash = hash_token(&token);
    let expires_at = lifetime_secs.map(|secs| now_ms() + secs * 1000);
    let (id, _) = repo::insert(
        &state.db,
        &NewShare {
            user_id: &identity.user_id,
            job_id,
            token_hash: &token_hash,
            expires_at,
        },
    )
    .await?;
    tracing::info!(share_id = %id, "share link created");
    Ok(ShareCreated {
        id,
        url: format!("{}/s/{token}", state.config.app_url),
        expires_at: expires_at.map(iso8601),
    })
}

/// The caller's active links, newest first.
///
/// # Errors
/// Database failures.
pub async fn list_shares(
    state: &AppState,
    identity: &Identity,
) -> Result<Vec<ShareView>, AppError> {
    let rows = repo::list_active(&state.db, &identity.user_id).await?;
    Ok(rows.iter().map(view).collect())
}

/// Revokes one of the caller's active links; its page answers 404 from then on.
///
/// # Errors
/// `NotFound` for someone else's link, an unknown one, or one no longer active.
#[tracing::instrument(skip_all, fields(user_id = %identity.user_id, share_id = %id))]
pub async fn revoke_share(state: &AppState, identity: &Identity, id: &str) -> Result<(), AppError> {
    repo::revoke_owned(&state.db, &identity.user_id, id).await
}

/// What the public page of `token` shows, with media URLs minted now. No session is involved.
///
/// # Errors
/// `NotFound` for an unknown, revoked or expired token, or one whose job or video is gone.
pub async fn open_share(state: &AppState, token: &str) -> Result<SharedVideo, AppError> {
    if !plausible_token(token) {
        return Err(AppError::NotFound);
    }
    let share = repo::find_active_by_hash(&state.db, &hash_token(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let now = chrono::Utc::now().timestamp();
    let until_link_ends = share
        .expires_at
        .map_or(i64::MAX, |ms| ms.div_euclid(1000) - now);
    let expires = now + MEDIA_URL_SECS.min(until_link_ends).max(1);
    let origin = &state.config.app_url;
    let sign = |file_id: &str| {
        let path = state
            .signer
            .signed_path(file_id, &share.user_id, expires, false);
        format!("{origin}{path}")
    };
    Ok(SharedVideo {
        title: title_from_prompt(&share.prompt),
        page_url: format!("{origin}/s/{token}"),
        video_url: sign(&share.video_file_id),
        poster_url: share.thumbnail_file_id.as_deref().map(sign),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_default_to_a_week_and_null_means_until_revoked() {
        assert_eq!(lifetime(None).unwrap(), Some(604_800));
        assert_eq!(lifetime(Some(None)).unwrap(), None);
        assert_eq!(lifetime(Some(Some(60))).unwrap(), Some(60));
        assert_eq!(
            lifetime(Some(Some(MAX_SHARE_SECS))).unwrap(),
            Some(MAX_SHARE_SECS)
        );
        for bad in [0, -1, MAX_SHARE_SECS + 1] {
            assert_eq!(
                lifetime(Some(Some(bad))).unwrap_err().code(),
                "invalid_expires_in"
            );
        }
    }

    #[test]
    fn tokens_carry_256_random_bits_and_only_their_hash_is_kept() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(plausible_token(&a), "{a}");
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 32);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
        assert!(!plausible_token("short"));
        assert!(!plausible_token(&format!("{}=", &a[..42])));
    }
}
