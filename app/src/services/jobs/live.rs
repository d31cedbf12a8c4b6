//! Following jobs as they change: streams of job views driven by the change feed (`events`). A stream
//! re-reads a job only when a notice names it, ends when the client goes away (the stream is dropped), at
//! shutdown, and when the caller's session is revoked or account deleted.

use super::events::Change;
use super::{repo, service, JobRow};
use crate::domain::job::JobView;
use crate::error::AppError;
use crate::services::auth::{revocations, Identity};
use crate::services::db::now_ms;
use crate::services::AppState;
use futures_util::stream::{self, Stream};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::{interval_at, Instant, Interval};
use tokio_util::sync::CancellationToken;

/// How often an open stream checks that its caller's session and account still stand.
const STANDING_CHECK: Duration = Duration::from_secs(15);
/// After missed notices, jobs changed this long before the last notice are re-read too (machines' clocks,
/// which stamp `updated_at`, may disagree a little).
const RESYNC_MARGIN_MS: i64 = 5_000;
/// The most jobs one resynchronisation re-sends.
const RESYNC_LIMIT: i64 = 100;

/// A subscription to the feed on behalf of one caller.
struct Watch {
    state: AppState,
    identity: Identity,
    receiver: broadcast::Receiver<Change>,
    closing: CancellationToken,
    standing: Interval,
}

impl Watch {
    fn new(state: &AppState, identity: &Identity) -> Self {
        Self {
            state: state.clone(),
            identity: identity.clone(),
            receiver: state.job_events.subscribe(),
            closing: state.job_events.closing(),
            standing: interval_at(Instant::now() + STANDING_CHECK, STANDING_CHECK),
        }
    }

    /// The next notice; `None` when the stream should end.
    async fn next(&mut self) -> Option<Change> {
        loop {
            tokio::select! {
                () = self.closing.cancelled() => return None,
                _ = self.standing.tick() => {
                    let standing = revocations::check_standing(
                        &self.state.db,
                        &self.identity.user_id,
                        self.identity.session_id.as_deref(),
                    )
                    .await;
                    if matches!(standing, Err(AppError::UserDeleted | AppError::SessionRevoked)) {
                        return None;
                    }
                }
                received = self.receiver.recv() => return match received {
                    Ok(change) => Some(change),
                    Err(RecvError::Lagged(_)) => Some(Change::Resync),
                    Err(RecvError::Closed) => None,
                },
            }
        }
    }
}

/// The caller's job now, then each time it changes; ends after its final state.
///
/// # Errors
/// `NotFound` for unknown ids and other users' jobs (before anything is streamed).
pub async fn follow_job(
    state: &AppState,
    identity: &Identity,
    id: &str,
) -> Result<impl Stream<Item = JobView> + Send + 'static, AppError> {
    // Subscribed before the first read, so a change between the two is not lost.
    let watch = Watch::new(state, identity);
    let first = service::get(state, identity, id).await?;
    let id = id.to_owned();
    let start = Some((watch, Some(first), None::<JobView>));
    Ok(stream::unfold(start, move |step| {
        let id = id.clone();
        async move {
            let (mut watch, mut pending, last) = step?;
            loop {
                let view = match pending.take() {
                    Some(view) => view,
                    None => match watch.next().await? {
                        Change::Job { job_id, .. } if job_id != id => continue,
                        _ => service::get(&watch.state, &watch.identity, &id)
                            .await
                            .ok()?,
                    },
                };
                if last.as_ref() == Some(&view) {
                    continue;
                }
                let next = (!view.status.is_final()).then(|| (watch, None, Some(view.clone())));
                return Some((view, next));
            }
        }
    }))
}

/// Each of the caller's jobs as it changes, until the client leaves or the session ends.
pub fn follow_all(
    state: &AppState,
    identity: &Identity,
) -> impl Stream<Item = JobView> + Send + 'static {
    let watch = Watch::new(state, identity);
    let start = (watch, VecDeque::<JobView>::new(), now_ms());
    stream::unfold(start, |(mut watch, mut pending, mut since)| async move {
        loop {
            if let Some(view) = pending.pop_front() {
                return Some((view, (watch, pending, since)));
            }
            let change = watch.next().await?;
            let reread_from = since - RESYNC_MARGIN_MS;
            since = now_ms();
            match change {
                Change::Job { user_id, job_id } if user_id == watch.identity.user_id => {
                    if let Ok(view) = service::get(&watch.state, &watch.identity, &job_id).await {
                        pending.push_back(view);
                    }
                }
                Change::Job { .. } => {}
                Change::Resync => {
                    let user = &watch.identity.user_id;
                    let rows =
                        repo::changed_since(&watch.state.db, user, reread_from, RESYNC_LIMIT)
                            .await
                            .unwrap_or_default();
                    for row in rows {
                        if let Ok(view) = view_of(&watch.state, &row).await {
                            pending.push_back(view);
                        }
                    }
                }
            }
        }
    })
}

async fn view_of(state: &AppState, row: &JobRow) -> Result<JobView, AppError> {
    let position = repo::position_of(&state.db, row).await?;
    Ok(row.view(position))
}
