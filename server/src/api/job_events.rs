//! `GET /api/v1/jobs/{id}/events` and `GET /api/v1/jobs/events`: jobs as server-sent events, each event's data a
//! job view. Mounted outside the request timeout: a stream lasts as long as the client follows it.

use app::domain::job::JobView;
use app::error::AppError;
use app::services::auth::Identity;
use app::services::{jobs, AppState};
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};

/// One job: its current view, then each change; the stream ends after the job's final state.
pub async fn follow_job(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, axum::Error>>>, AppError> {
    let views = jobs::live::follow_job(&state, &identity, &id).await?;
    Ok(events(views))
}

/// Every change to any of the caller's jobs, for as long as the client listens.
pub async fn follow_jobs(
    State(state): State<AppState>,
    identity: Identity,
) -> Sse<impl Stream<Item = Result<Event, axum::Error>>> {
    events(jobs::live::follow_all(&state, &identity))
}

/// Keep-alive comments let proxies and clients tell a quiet stream from a dead one.
fn events(
    views: impl Stream<Item = JobView> + Send + 'static,
) -> Sse<impl Stream<Item = Result<Event, axum::Error>>> {
    Sse::new(views.map(|view| Event::default().json_data(view))).keep_alive(KeepAlive::default())
}
