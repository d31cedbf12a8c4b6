//! What premium users can do with batches: queue many prompts at once, follow them as one, cancel them.

use super::repo;
use crate::domain::batch::{BatchCreated, BatchRequest, BatchView, MAX_BATCH_PROMPTS};
use crate::domain::job::{GenerateRequest, JobStatus, JobView};
use crate::error::app_error::Requirement;
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::db::iso8601;
use crate::services::jobs::repo::{self as jobs_repo, NewJob};
use crate::services::jobs::{events, service as jobs, wakeup, JobRow};
use crate::services::limits::LimitedAction;
use crate::services::{usage, AppState};

/// Checks every prompt as a single generation would be checked; the first bad one names its line.
///
/// # Errors
/// `invalid_prompts` for an empty or oversized list; the generator's field codes otherwise.
pub fn validate(
    request: &BatchRequest,
    premium: bool,
) -> Result<Vec<jobs::ValidRequest>, AppError> {
    let count = request.prompts.len();
    if count == 0 || count > MAX_BATCH_PROMPTS {
        return Err(AppError::invalid(
            "prompts",
            format!("A batch holds 1 to {MAX_BATCH_PROMPTS} prompts; this one has {count}."),
        ));
    }
    request
        .prompts
        .iter()
        .enumerate()
        .map(|(n, prompt)| {
            let single = GenerateRequest {
                prompt: prompt.clone(),
                duration: request.duration,
                quality: request.quality.clone(),
                soundtrack: false,
            };
            jobs::validate(&single, premium).map_err(|err| match err {
                AppError::InvalidInput { field, message } => AppError::InvalidInput {
                    field,
                    message: format!("Prompt {}: {message}", n + 1),
                },
                other => other,
            })
        })
        .collect()
}

/// Queues one job per prompt, all or none, and wakes the workers.
///
/// # Errors
/// `Forbidden` (premium tier) for free users; validation errors; `QuotaExceeded` when storage is full;
/// `TooManyActiveJobs` when the batch would pass the active-jobs cap; `RateLimited` when fewer generations
/// are left this hour than the batch has prompts. Nothing is queued on any error.
#[tracing::instrument(skip_all, fields(user = %identity.user_id, prompts = request.prompts.len()))]
pub async fn create(
    state: &AppState,
    identity: &Identity,
    request: &BatchRequest,
) -> Result<BatchCreated, AppError> {
    if !identity.has_premium() {
        return Err(AppError::Forbidden(Requirement::Tier("premium".into())));
    }
    let valid = validate(request, true)?;
    let storage = usage::storage(state, identity).await?;
    if storage.room() == 0 {
        return Err(storage.exceeded());
    }
    let max_active = usage::active_jobs_limit(state, identity);
    let wanted = valid.len() as u64;
    let active = jobs_repo::count_active(&state.db, &identity.user_id).await?;
    // Checked before the rate limit too, so a refused batch does not use up slots.
    if active + wanted > max_active {
        return Err(AppError::TooManyActiveJobs {
            count: active,
            limit: max_active,
        });
    }
    state
        .limiter
        .check_many(&identity.user_id, LimitedAction::Generate, wanted)
        .await?;
    let new_jobs: Vec<NewJob<'_>> = valid
        .iter()
        .map(|v| NewJob {
            user_id: &identity.user_id,
            prompt: v.prompt.as_str(),
            duration_secs: v.duration,
            quality: v.quality,
            priority: 1,
            max_attempts: i64::from(state.config.job_max_attempts),
            soundtrack: v.soundtrack,
        })
        .collect();
    let Some(batch) =
        repo::insert_with_jobs(&state.db, &identity.user_id, &new_jobs, max_active).await?
    else {
        return Err(AppError::TooManyActiveJobs {
            count: active,
            limit: max_active,
        });
    };
    wakeup::announce(state).await;
    for job_id in &batch.job_ids {
        events::publish(state, &identity.user_id, job_id).await;
    }
    Ok(BatchCreated {
        batch_id: batch.id,
        job_ids: batch.job_ids,
    })
}

/// The caller's batch with its jobs and totals.
///
/// # Errors
/// `NotFound` for unknown ids and other users' batches.
pub async fn get(state: &AppState, identity: &Identity, id: &str) -> Result<BatchView, AppError> {
    let batch = repo::find_owned(&state.db, &identity.user_id, id).await?;
    let rows = repo::jobs_of(&state.db, &identity.user_id, id).await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in &rows {
        views.push(view_of(state, row).await?);
    }
    Ok(summarise(batch.id, iso8601(batch.created_at), views))
}

/// Cancels every job of the batch that has not finished; answers the batch as it then stands.
///
/// # Errors
/// `NotFound` for unknown ids and other users' batches.
#[tracing::instrument(skip_all, fields(user = %identity.user_id, batch = %id))]
pub async fn cancel(
    state: &AppState,
    identity: &Identity,
    id: &str,
) -> Result<BatchView, AppError> {
    repo::find_owned(&state.db, &identity.user_id, id).await?;
    for row in repo::jobs_of(&state.db, &identity.user_id, id).await? {
        if row.status().is_final() {
            continue;
        }
        if jobs_repo::request_cancel(&state.db, &identity.user_id, &row.id).await? {
            events::publish(state, &identity.user_id, &row.id).await;
        }
    }
    get(state, identity, id).await
}

async fn view_of(state: &AppState, row: &JobRow) -> Result<JobView, AppError> {
    let position = jobs_repo::position_of(&state.db, row).await?;
    Ok(row.view(position))
}

/// Counts by final state and the mean progress of the jobs.
fn summarise(id: String, created_at: String, jobs: Vec<JobView>) -> BatchView {
    let count = |status: JobStatus| {
        u32::try_from(jobs.iter().filter(|j| j.status == status).count()).unwrap_or(u32::MAX)
    };
    let total = u32::try_from(jobs.len()).unwrap_or(u32::MAX);
    let sum: u32 = jobs.iter().map(|j| u32::from(j.progress)).sum();
    let progress = sum
        .checked_div(total)
        .map_or(0, |mean| u8::try_from(mean).unwrap_or(100));
    BatchView {
        id,
        total,
        completed: count(JobStatus::Completed),
        failed: count(JobStatus::Failed),
        canceled: count(JobStatus::Canceled),
        progress,
        created_at,
        jobs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(prompts: &[&str]) -> BatchRequest {
        BatchRequest {
            prompts: prompts.iter().map(|p| (*p).to_owned()).collect(),
            duration: Some(2),
            quality: None,
        }
    }

    #[test]
    fn a_batch_holds_one_to_fifty_prompts() {
        assert_eq!(
            validate(&request(&[]), true).unwrap_err().code(),
            "invalid_prompts"
        );
        assert_eq!(validate(&request(&["x"; 50]), true).unwrap().len(), 50);
        assert_eq!(
            validate(&request(&["x"; 51]), true).unwrap_err().code(),
            "invalid_prompts"
        );
    }

    #[test]
    fn a_bad_prompt_is_named_by_its_position() {
        let err = validate(&request(&["a cat", "  "]), true).unwrap_err();
        assert_eq!(err.code(), "invalid_prompt");
        assert!(err.to_string().starts_with("Prompt 2:"), "{err}");
    }
}
