//! Jobs for pages rendered on the server: history and the dashboard summary.

use crate::domain::job::JobView;
use crate::error::ApiError;
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
#[server]
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
#[server]
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

#[cfg(feature = "ssr")]
use super::ssr;
