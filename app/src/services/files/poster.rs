//! A job's poster: its stored thumbnail, through a signed URL, for the player's `poster` attribute.

use super::repo;
use crate::domain::file::SignedUrl;
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::AppState;

/// A signed URL for the thumbnail of one of the caller's jobs, living `expires_in` seconds; `None` when the job
/// has no thumbnail (still rendering, or its thumbnail was deleted).
///
/// # Errors
/// `NotFound` for an unknown job or someone else's.
pub async fn sign_job_poster_url(
    state: &AppState,
    identity: &Identity,
    job_id: &str,
    expires_in: i64,
) -> Result<Option<SignedUrl>, AppError> {
    let job = crate::services::jobs::repo::find_owned(&state.db, &identity.user_id, job_id).await?;
    let Some(thumbnail_id) = job.thumbnail_file_id else {
        return Ok(None);
    };
    let row = match repo::find_owned(&state.db, &identity.user_id, &thumbnail_id).await {
        Ok(row) => row,
        Err(AppError::NotFound) => return Ok(None),
        Err(err) => return Err(err),
    };
    let expires = chrono::Utc::now().timestamp() + expires_in;
    let path = state
        .signer
        .signed_path(&row.id, &row.user_id, expires, false);
    Ok(Some(SignedUrl {
        url: format!("{}{path}", state.config.app_url),
        expires_at: chrono::DateTime::from_timestamp(expires, 0)
            .unwrap_or_default()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }))
}
