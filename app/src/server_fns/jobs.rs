//! Jobs for pages: generate, follow, cancel, retry, history and the dashboard summary. The writes answer a
//! plain `<form>` post with a redirect, so they work before the WASM arrives.

use crate::domain::job::{JobCreated, JobView};
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

/// The caller's jobs, newest first, optionally filtered by status.
///
/// # Errors
/// 401 codes; `invalid_status`.
#[server(client = SessionClient)]
pub async fn list_jobs(status: Option<String>, offset: i64) -> Result<Vec<JobView>, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let status = status.filter(|s| !s.is_empty());
    crate::services::jobs::service::list(&state, &identity, status.as_deref(), 50, offset.max(0))
        .await
        .map_err(ssr::fail)
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
    let recent = crate::services::jobs::service::list(&state, &identity, None, 5, 0)
        .await
        .map_err(ssr::fail)?;
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
) -> Result<JobCreated, ApiError> {
    use crate::domain::job::GenerateRequest;
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let request = GenerateRequest {
        prompt,
        duration,
        quality,
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
    };
    service::create(&state, &identity, &request)
        .await
        .map_err(ssr::fail)
}

#[cfg(feature = "ssr")]
use super::ssr;
