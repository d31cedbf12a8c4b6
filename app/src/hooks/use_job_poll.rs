//! Follows a job: polls its status every 2 s while it is queued or processing, stops on a final state,
//! pauses while the tab is hidden (and polls at once when it comes back), and backs off after errors. Each poll
//! is the `get_job` server function, so an expired session token is refreshed and the poll retried in place.

use crate::domain::job::JobView;
use crate::error::ApiError;
use leptos::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Poll interval while the job is live.
pub const POLL_MS: u32 = 2_000;
/// Longest wait between polls after repeated errors.
pub const MAX_BACKOFF_MS: u32 = 30_000;

/// What the poller knows.
#[derive(Clone, Copy)]
pub struct JobPoll {
    pub job: RwSignal<Option<JobView>>,
    pub error: RwSignal<Option<ApiError>>,
}

fn tab_hidden() -> bool {
    document().visibility_state() == web_sys::VisibilityState::Hidden
}

/// Polls the job whose id `job_id` holds; a new id restarts polling, `None` stops it.
pub fn use_job_poll(job_id: Signal<Option<String>>) -> JobPoll {
    let poll = JobPoll {
        job: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    // Each new id bumps the epoch; a loop that sees a newer epoch ends, so two loops never race.
    let epoch = Arc::new(AtomicU64::new(0));
    let wake = RwSignal::new(0u32);
    let listener = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if !tab_hidden() {
            wake.update(|n| *n += 1);
        }
    });
    let effect_epoch = Arc::clone(&epoch);
    Effect::new(move |_| {
        let id = job_id.get();
        wake.track();
        let mine = effect_epoch.fetch_add(1, Ordering::SeqCst) + 1;
        let Some(id) = id else { return };
        if poll
            .job
            .get_untracked()
            .is_some_and(|j| j.id == id && j.status.is_final())
        {
            return;
        }
        let epoch = Arc::clone(&effect_epoch);
        leptos::task::spawn_local(async move {
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
        });
    });
    on_cleanup(move || {
        epoch.fetch_add(1, Ordering::SeqCst);
        listener.remove();
    });
    poll
}
