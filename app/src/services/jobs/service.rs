//! What users can do with jobs: ask for a video, follow it, list and search them, rename, cancel, delete. Tier rules live here.

use super::repo::{self, NewJob};
use crate::domain::job::{
    GenerateRequest, JobCreated, JobStatus, JobView, Prompt, Quality, DEFAULT_DURATION,
    DURATION_RANGE, FREE_MAX_DURATION, SOUNDTRACK_FREE,
};
use crate::domain::library::{JobPage, JobTitle};
use crate::error::app_error::Requirement;
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::files::repo as files_repo;
use crate::services::limits::LimitedAction;
use crate::services::paging::{decode_cursor, search_text, split_page};
use crate::services::usage;
use crate::services::AppState;

/// A generate request that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRequest {
    pub prompt: Prompt,
    pub duration: u32,
    pub quality: Quality,
    pub soundtrack: bool,
}

/// Checks a request against the contract and the caller's tier.
///
/// # Errors
/// `invalid_prompt`, `invalid_duration`, `invalid_quality` (400), or `Forbidden` naming the premium tier.
pub fn validate(request: &GenerateRequest, premium: bool) -> Result<ValidRequest, AppError> {
    let prompt = Prompt::parse(&request.prompt).map_err(|why| AppError::invalid("prompt", why))?;
    let duration = request.duration.unwrap_or(DEFAULT_DURATION);
    if !DURATION_RANGE.contains(&duration) {
        return Err(AppError::invalid(
            "duration",
            format!(
                "Duration must be between {} and {} seconds.",
                DURATION_RANGE.start(),
                DURATION_RANGE.end()
            ),
        ));
    }
    let quality = match request.quality.as_deref() {
        None => Quality::default(),
        Some(raw) => Quality::parse(raw).ok_or_else(|| {
            AppError::invalid("quality", "Quality must be one of 480p, 720p or 1080p.")
        })?,
    };
    let extras_allowed = !request.soundtrack || SOUNDTRACK_FREE;
    if !premium && (!quality.free_tier_allows() || duration > FREE_MAX_DURATION || !extras_allowed)
    {
        return Err(AppError::Forbidden(Requirement::Tier("premium".into())));
    }
    Ok(ValidRequest {
        prompt,
        duration,
        quality,
        soundtrack: request.soundtrack,
    })
}

/// Enqueues a video for the caller and wakes a worker.
///
/// # Errors
/// Validation and tier errors, `QuotaExceeded` when the caller's storage is already full (the video would not
/// fit), `TooManyActiveJobs`, `RateLimited`, database failures.
#[tracing::instrument(skip_all, fields(user = %identity.user_id))]
pub async fn create(
    state: &AppState,
    identity: &Identity,
    request: &GenerateRequest,
) -> Result<JobCreated, AppError> {
    let valid = validate(request, identity.has_premium())?;
    let storage = usage::storage(state, identity).await?;
    if storage.room() == 0 {
        return Err(storage.exceeded());
    }
    let max_active = usage::active_jobs_limit(state, identity);
    let too_many = |count| AppError::TooManyActiveJobs {
        count,
        limit: max_active,
    };
    // Checked before the rate limit too, so a refused request does not use up a slot.
    let active = repo::count_active(&state.db, &identity.user_id).await?;
    if active >= max_active {
        return Err(too_many(active));
    }
    state
        .limiter
        .check(&identity.user_id, LimitedAction::Generate)
        .await?;
    let new_job = NewJob {
        user_id: &identity.user_id,
        prompt: valid.prompt.as_str(),
        duration_secs: valid.duration,
        quality: valid.quality,
        priority: i64::from(identity.has_premium()),
        max_attempts: i64::from(state.config.job_max_attempts),
        soundtrack: valid.soundtrack,
    };
    // The count above is advisory; this insert re-counts atomically, so racing requests cannot pass the cap.
    let Some(job) = repo::insert_within_cap(&state.db, &new_job, max_active).await? else {
        return Err(too_many(max_active));
    };
    super::wakeup::announce(state).await;
    super::events::publish(state, &identity.user_id, &job.id).await;
    Ok(JobCreated {
        job_id: job.id,
        status: JobStatus::Queued,
    })
}

/// The caller's job with its queue position.
///
/// # Errors
/// `NotFound` for unknown ids and other users' jobs.
pub async fn get(state: &AppState, identity: &Identity, id: &str) -> Result<JobView, AppError> {
    let job = repo::find_owned(&state.db, &identity.user_id, id).await?;
    let position = repo::position_of(&state.db, &job).await?;
    Ok(job.view(position))
}

/// What the caller asks of their job list: `status` and `text` narrow it, `cursor` continues a previous page.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListQuery<'a> {
    pub status: Option<&'a str>,
    pub text: Option<&'a str>,
    pub cursor: Option<&'a str>,
}

/// A page of the caller's jobs, newest first; `text` matches prompts and titles whatever the case.
///
/// # Errors
/// `invalid_status`, `invalid_q` or `invalid_cursor` for junk; database failures.
pub async fn list(
    state: &AppState,
    identity: &Identity,
    query: ListQuery<'_>,
    limit: i64,
) -> Result<JobPage, AppError> {
    let status = query.status.filter(|s| !s.is_empty());
    if let Some(status) = status {
        JobStatus::parse(status)
            .ok_or_else(|| AppError::invalid("status", format!("Unknown status {status:?}.")))?;
    }
    let text = search_text(query.text)?;
    let cursor = query.cursor.map(decode_cursor).transpose()?;
    let filter = repo::JobFilter {
        status,
        text: text.as_deref(),
        after: cursor.as_ref().map(|(at, id)| (*at, id.as_str())),
    };
    let mut rows = repo::list_owned(&state.db, &identity.user_id, filter, limit + 1).await?;
    let next_cursor = split_page(&mut rows, limit, |row| (row.created_at, &row.id));
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let position = repo::position_of(&state.db, &row).await?;
        items.push(row.view(position));
    }
    Ok(JobPage { items, next_cursor })
}

/// Gives one of the caller's jobs a title.
///
/// # Errors
/// `invalid_title` for an empty, overlong or multi-line title; `NotFound` for other users' jobs.
#[tracing::instrument(skip_all, fields(user = %identity.user_id, job = %id))]
pub async fn rename(
    state: &AppState,
    identity: &Identity,
    id: &str,
    title: &str,
) -> Result<JobView, AppError> {
    let title = JobTitle::parse(title).map_err(|why| AppError::invalid("title", why))?;
    repo::set_title(&state.db, &identity.user_id, id, title.as_str()).await?;
    get(state, identity, id).await
}

/// Deletes one of the caller's jobs with its video and thumbnail. Rows go in one transaction, bytes after it
/// commits, so no row ever names missing bytes. A worker still rendering it loses its lease at the next
/// heartbeat and stops; one completing it right now finds no job to complete and removes what it stored.
///
/// # Errors
/// `NotFound` for other users' jobs; database failures.
#[tracing::instrument(skip_all, fields(user = %identity.user_id, job = %id))]
pub async fn delete(state: &AppState, identity: &Identity, id: &str) -> Result<(), AppError> {
    let mut tx = state.db.pool.begin().await?;
    let file_ids = repo::delete_owned_in(&mut tx, &identity.user_id, id).await?;
    let keys = files_repo::delete_ids_in(&mut tx, &identity.user_id, &file_ids).await?;
    tx.commit().await?;
    // Open streams re-read the job, find it gone and end (per job) or drop it (all jobs).
    super::events::publish(state, &identity.user_id, id).await;
    for key in keys {
        if let Err(err) = state.store.delete(&key).await {
            // The rows are gone, so nothing can reach the bytes; they are only wasted space now.
            tracing::warn!(%err, "could not remove a deleted video's bytes");
        }
    }
    Ok(())
}

/// Cancels the caller's job: a queued one at once, a running one within a heartbeat or two.
///
/// # Errors
/// `NotFound` for other users' jobs; `Conflict` when it already finished.
#[tracing::instrument(skip_all, fields(user = %identity.user_id, job = %id))]
pub async fn cancel(state: &AppState, identity: &Identity, id: &str) -> Result<JobView, AppError> {
    let job = repo::find_owned(&state.db, &identity.user_id, id).await?;
    if job.status() == JobStatus::Canceled {
        return Ok(job.view(None));
    }
    if !repo::request_cancel(&state.db, &identity.user_id, id).await? {
        return Err(AppError::Conflict(format!(
            "This job already {}.",
            job.status().as_str()
        )));
    }
    super::events::publish(state, &identity.user_id, id).await;
    get(state, identity, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(prompt: &str, duration: Option<u32>, quality: Option<&str>) -> GenerateRequest {
        GenerateRequest {
            prompt: prompt.into(),
            duration,
            quality: quality.map(Into::into),
            soundtrack: false,
        }
    }

    #[test]
    fn defaults_fill_in_duration_and_quality() {
        let valid = validate(&request("a red circle", None, None), false).unwrap();
        assert_eq!((valid.duration, valid.quality), (10, Quality::P720));
    }

    #[test]
    fn each_bad_field_is_named() {
        assert_eq!(
            validate(&request("  ", None, None), false)
                .unwrap_err()
                .code(),
            "invalid_prompt"
        );
        assert_eq!(
            validate(&request("x", Some(0), None), false)
                .unwrap_err()
                .code(),
            "invalid_duration"
        );
        assert_eq!(
            validate(&request("x", Some(61), None), true)
                .unwrap_err()
                .code(),
            "invalid_duration"
        );
        assert_eq!(
            validate(&request("x", None, Some("4k")), false)
                .unwrap_err()
                .code(),
            "invalid_quality"
        );
    }

    #[test]
    fn free_tier_is_capped_at_720p_and_30_seconds() {
        assert_eq!(
            validate(&request("x", Some(31), None), false)
                .unwrap_err()
                .code(),
            "forbidden"
        );
        assert_eq!(
            validate(&request("x", None, Some("1080p")), false)
                .unwrap_err()
                .code(),
            "forbidden"
        );
        assert!(validate(&request("x", Some(60), Some("1080p")), true).is_ok());
        assert!(validate(&request("x", Some(30), Some("720p")), false).is_ok());
    }

    #[test]
    fn the_soundtrack_is_premium() {
        let mut asked = request("a calm night", None, None);
        asked.soundtrack = true;
        assert_eq!(validate(&asked, false).unwrap_err().code(), "forbidden");
        assert!(validate(&asked, true).unwrap().soundtrack);
    }
}
