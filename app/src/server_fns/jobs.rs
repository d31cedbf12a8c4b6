//! Jobs for pages: generate, follow, cancel, retry, rename, delete, history and the dashboard summary. The writes answer a
//! plain `<form>` post with a redirect, so they work before the WASM arrives.

use crate::domain::job::{JobCreated, JobView};
use crate::domain::library::JobPage;
use crate::error::ApiError;
use crate::server_fns::client::SessionClient;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The dashboard's numbers and latest jobs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardStats {
    pub total: i64,
    pub completed: i64,
    pub in_progress: i64,
    pub failed: i64,
    pub recent: Vec<JobView>,
}

/// How many jobs one page of a list holds.
pub const JOB_PAGE_SIZE: i64 = 24;

/// A page of the caller's jobs, newest first, optionally filtered by status and search text (prompt or title),
/// continuing after `cursor`.
///
/// # Errors
/// 401 codes; `invalid_status`, `invalid_q`, `invalid_cursor`.
#[server(client = SessionClient)]
pub async fn list_jobs(
    status: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
) -> Result<JobPage, ApiError> {
    use crate::services::jobs::service::{list, ListQuery};
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let query = ListQuery {
        status: status.as_deref(),
        text: q.as_deref(),
        cursor: cursor.as_deref().filter(|c| !c.is_empty()),
    };
    list(&state, &identity, query, JOB_PAGE_SIZE)
        .await
        .map_err(ssr::fail)
}

/// Gives one of the caller's videos a title.
///
/// # Errors
/// 401 codes; `invalid_title`; `not_found`.
#[server(client = SessionClient)]
pub async fn rename_job(id: String, title: String) -> Result<JobView, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::jobs::service::rename(&state, &identity, &id, &title)
        .await
        .map_err(ssr::fail)
}

/// Deletes one of the caller's jobs with its video and thumbnail (a running one is stopped). With `then`
/// (a path on this site, e.g. `/videos`), the browser is sent there afterwards.
///
/// # Errors
/// 401 codes; `not_found`.
#[server(client = SessionClient)]
pub async fn delete_job(id: String, then: Option<String>) -> Result<(), ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::jobs::service::delete(&state, &identity, &id)
        .await
        .map_err(ssr::fail)?;
    if let Some(path) =
        then.filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'))
    {
        leptos_axum::redirect(&path);
    }
    Ok(())
}

/// Counts and the five latest jobs.
///
/// # Errors
/// 401 codes.
#[server(client = SessionClient)]
pub async fn dashboard_summary() -> Result<DashboardStats, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let counts = crate::services::jobs::repo::count_by_status(&state.db, &identity.user_id)
        .await
        .map_err(ssr::fail)?;
    let count = |names: &[&str]| {
        counts
            .iter()
            .filter(|(s, _)| names.contains(&s.as_str()))
            .map(|(_, n)| n)
            .sum()
    };
    let recent = crate::services::jobs::service::list(&state, &identity, Default::default(), 5)
        .await
        .map_err(ssr::fail)?
        .items;
    Ok(DashboardStats {
        total: counts.iter().map(|(_, n)| n).sum(),
        completed: count(&["completed"]),
        in_progress: count(&["queued", "processing"]),
        failed: count(&["failed"]),
        recent,
    })
}

/// Starts a video; the browser then follows it at `/generate?job=<id>` (a plain form post is redirected there).
///
/// # Errors
/// 401 codes; the generator's validation, quota and rate-limit codes.
#[server(client = SessionClient)]
pub async fn generate_video(
    prompt: String,
    duration: Option<u32>,
    quality: Option<String>,
    soundtrack: Option<bool>,
) -> Result<JobCreated, ApiError> {
    use crate::domain::job::GenerateRequest;
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let request = GenerateRequest {
        prompt,
        duration,
        quality,
        soundtrack: soundtrack.unwrap_or(false),
    };
    let created = crate::services::jobs::service::create(&state, &identity, &request)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("/generate?job={}", created.job_id));
    Ok(created)
}

/// One of the caller's jobs.
///
/// # Errors
/// 401 codes; `not_found` for a job that is not the caller's.
#[server(client = SessionClient)]
pub async fn get_job(id: String) -> Result<JobView, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::jobs::service::get(&state, &identity, &id)
        .await
        .map_err(ssr::fail)
}

/// Cancels one of the caller's jobs.
///
/// # Errors
/// 401 codes; `not_found`; a conflict for a job already finished.
#[server(client = SessionClient)]
pub async fn cancel_job(id: String) -> Result<JobView, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::jobs::service::cancel(&state, &identity, &id)
        .await
        .map_err(ssr::fail)
}

/// Starts a new job with the prompt, length and quality of one of the caller's earlier jobs.
///
/// # Errors
/// As [`get_job`] and [`generate_video`].
#[server(client = SessionClient)]
pub async fn retry_job(id: String) -> Result<JobCreated, ApiError> {
    use crate::domain::job::GenerateRequest;
    use crate::services::jobs::service;
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let old = service::get(&state, &identity, &id)
        .await
        .map_err(ssr::fail)?;
    let request = GenerateRequest {
        prompt: old.prompt,
        duration: Some(old.duration),
        quality: Some(old.quality.as_str().to_owned()),
        soundtrack: old.soundtrack,
    };
    service::create(&state, &identity, &request)
        .await
        .map_err(ssr::fail)
}

#[cfg(feature = "ssr")]
use super::ssr;
