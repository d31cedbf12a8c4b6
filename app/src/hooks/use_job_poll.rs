//! Follows a job: streams its changes from `/api/v1/jobs/{id}/events` (the current view first, then each
//! change, until a final state). While the tab is hidden the stream is closed; it reopens, current view first,
//! when the tab comes back. A refused stream (most often a stale session cookie) refreshes the session and
//! tries once more; after that the hook falls back to the polling contract: the `get_job` server function
//! every 2 s while queued or processing, stopping on a final state, pausing while hidden, backing off after
//! errors (each poll refreshes an expired token and retries in place).

use super::event_source::{tab_hidden, use_tab_visible, Connection};
use crate::domain::job::JobView;
use crate::error::ApiError;
use leptos::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Poll interval while the job is live.
pub const POLL_MS: u32 = 2_000;
/// Longest wait between polls after repeated errors.
pub const MAX_BACKOFF_MS: u32 = 30_000;

/// What the follower knows.
#[derive(Clone, Copy)]
pub struct JobPoll {
    pub job: RwSignal<Option<JobView>>,
    pub error: RwSignal<Option<ApiError>>,
}

/// How a job is followed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Stream { retried: bool },
    Poll,
}

/// Follows the job whose id `job_id` holds; a new id starts over, `None` stops.
pub fn use_job_poll(job_id: Signal<Option<String>>) -> JobPoll {
    let poll = JobPoll {
        job: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    let visible = use_tab_visible();
    // The route applies to the id it names; any other id starts with the stream.
    let route = RwSignal::new((None::<String>, Route::Stream { retried: false }));
    let ended = RwSignal::new(0u32);
    // Each run bumps the epoch; a poll loop that sees a newer epoch ends, so two loops never race.
    let epoch = Arc::new(AtomicU64::new(0));
    let effect_epoch = Arc::clone(&epoch);
    Effect::new(move |previous: Option<Option<Connection>>| {
        drop(previous);
        let id = job_id.get();
        let shown = visible.get();
        ended.track();
        let (routed_id, routed) = route.get();
        let mine = effect_epoch.fetch_add(1, Ordering::SeqCst) + 1;
        let id = id?;
        let done = poll
            .job
            .get_untracked()
            .is_some_and(|j| j.id == id && j.status.is_final());
        if done || !shown {
            return None;
        }
        let how = if routed_id.as_deref() == Some(id.as_str()) {
            routed
        } else {
            Route::Stream { retried: false }
        };
        match how {
            Route::Poll => {
                leptos::task::spawn_local(poll_loop(id, poll, Arc::clone(&effect_epoch), mine));
                None
            }
            Route::Stream { retried } => open_stream(id, poll, route, ended, retried),
        }
    });
    on_cleanup(move || {
        epoch.fetch_add(1, Ordering::SeqCst);
    });
    poll
}

fn open_stream(
    id: String,
    poll: JobPoll,
    route: RwSignal<(Option<String>, Route)>,
    ended: RwSignal<u32>,
    retried: bool,
) -> Option<Connection> {
    let url = format!("/api/v1/jobs/{id}/events");
    let on_message = {
        let id = id.clone();
        move |data: String| {
            let Ok(job) = serde_json::from_str::<JobView>(&data) else {
                return;
            };
            if job.id != id {
                return;
            }
            let done = job.status.is_final();
            poll.job.set(Some(job));
            poll.error.set(None);
            if done {
                // Closes the stream before the browser reconnects to a job that will not change again.
                ended.update(|n| *n += 1);
            }
        }
    };
    let on_closed = move || {
        if retried {
            route.set((Some(id.clone()), Route::Poll));
            return;
        }
        let id = id.clone();
        leptos::task::spawn_local(async move {
            crate::hooks::clerk::refresh_session().await;
            route.set((Some(id), Route::Stream { retried: true }));
        });
    };
    Connection::open(&url, on_message, || {}, on_closed)
}

async fn poll_loop(id: String, poll: JobPoll, epoch: Arc<AtomicU64>, mine: u64) {
    let mut delay = POLL_MS;
    while epoch.load(Ordering::SeqCst) == mine {
        if !tab_hidden() {
            match crate::server_fns::jobs::get_job(id.clone()).await {
                Ok(job) => {
                    let done = job.status.is_final();
                    poll.job.set(Some(job));
                    poll.error.set(None);
                    delay = POLL_MS;
                    if done {
                        return;
                    }
                }
                Err(err) => {
                    let fatal = err.code == "not_found" || err.is_unauthenticated();
                    poll.error.set(Some(err));
                    if fatal {
                        return;
                    }
                    delay = (delay * 2).min(MAX_BACKOFF_MS);
                }
            }
        }
        gloo_timers::future::TimeoutFuture::new(delay).await;
    }
}
