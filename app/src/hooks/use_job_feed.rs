//! Follows all of the caller's jobs for the page that asks: one `EventSource` on `/api/v1/jobs/events`, shared
//! through context by everything on the page. Lists reload when a job appears or changes status (`changes`),
//! galleries when one finishes (`finished`); rows show progress in place (`use_live_progress`) without reloading.
//! Closed while the tab is hidden; on reopening, lists reload to catch up. A refused stream refreshes the session
//! and tries once more, then falls back to polling the unfinished jobs the page shows every 2 s.

use super::event_source::{tab_hidden, use_tab_visible, Connection};
use super::use_job_poll::POLL_MS;
use crate::domain::job::JobView;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What the page knows about the caller's jobs beyond what it loaded.
#[derive(Clone, Copy)]
pub struct JobFeed {
    /// The freshest view of each job seen, by id.
    pub latest: RwSignal<HashMap<String, JobView>>,
    /// Bumps when lists may be out of date: a job appeared or changed status, or the stream reconnected.
    pub changes: RwSignal<u32>,
    /// Bumps when a job reached a final state (a new video may be ready), or the stream reconnected.
    pub finished: RwSignal<u32>,
}

impl JobFeed {
    /// Takes in a fresh view, bumping `changes` and `finished` as it warrants.
    pub fn absorb(&self, view: JobView) {
        let before = self
            .latest
            .with_untracked(|m| m.get(&view.id).map(|j| j.status));
        let status_changed = before != Some(view.status);
        let finished = view.status.is_final() && before.is_none_or(|s| !s.is_final());
        self.latest.update(|m| {
            m.insert(view.id.clone(), view);
        });
        if status_changed {
            self.changes.update(|n| *n += 1);
        }
        if finished {
            self.finished.update(|n| *n += 1);
        }
    }

    /// Records a view a page loaded, unless a fresher one is known; nothing reloads for it.
    pub fn seed(&self, view: &JobView) {
        if self.latest.with_untracked(|m| !m.contains_key(&view.id)) {
            self.latest.update_untracked(|m| {
                m.insert(view.id.clone(), view.clone());
            });
        }
    }

    /// The freshest view of `job`, as it changes.
    pub fn view_of(&self, job: &JobView) -> Signal<JobView> {
        self.seed(job);
        let latest = self.latest;
        let job = job.clone();
        Signal::derive(move || {
            latest
                .with(|m| m.get(&job.id).cloned())
                .unwrap_or_else(|| job.clone())
        })
    }

    fn bump_all(&self) {
        self.changes.update(|n| *n += 1);
        self.finished.update(|n| *n += 1);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Stream { retried: bool },
    Poll,
}

/// The page's feed of job changes (one stream per page, however many components ask).
pub fn use_job_feed() -> JobFeed {
    if let Some(feed) = use_context::<JobFeed>() {
        return feed;
    }
    let feed = JobFeed {
        latest: RwSignal::new(HashMap::new()),
        changes: RwSignal::new(0),
        finished: RwSignal::new(0),
    };
    provide_context(feed);
    let visible = use_tab_visible();
    let route = RwSignal::new(Route::Stream { retried: false });
    let opened = RwSignal::new(0u32);
    let epoch = Arc::new(AtomicU64::new(0));
    let effect_epoch = Arc::clone(&epoch);
    Effect::new(move |previous: Option<Option<Connection>>| {
        drop(previous);
        let shown = visible.get();
        let how = route.get();
        let mine = effect_epoch.fetch_add(1, Ordering::SeqCst) + 1;
        if !shown {
            return None;
        }
        match how {
            Route::Poll => {
                leptos::task::spawn_local(poll_loop(feed, Arc::clone(&effect_epoch), mine));
                None
            }
            Route::Stream { retried } => {
                let on_message = move |data: String| {
                    if let Ok(view) = serde_json::from_str::<JobView>(&data) {
                        feed.absorb(view);
                    }
                };
                let on_open = move || {
                    // Anything may have changed while the stream was down or the tab hidden.
                    if opened.get_untracked() > 0 {
                        feed.bump_all();
                    }
                    opened.update(|n| *n += 1);
                    // The stream carries only changes made after it opened: a job that moved (or finished) between
                    // the page's load and this moment would otherwise show its stale state for good.
                    leptos::task::spawn_local(refresh_unfinished(feed));
                };
                let on_closed = move || {
                    if retried {
                        route.set(Route::Poll);
                        return;
                    }
                    leptos::task::spawn_local(async move {
                        crate::hooks::clerk::refresh_session().await;
                        route.set(Route::Stream { retried: true });
                    });
                };
                Connection::open("/api/v1/jobs/events", on_message, on_open, on_closed)
            }
        }
    });
    on_cleanup(move || {
        epoch.fetch_add(1, Ordering::SeqCst);
    });
    feed
}

/// The progress of a listed job, live: the one call a list row needs.
pub fn use_live_progress(job: &JobView) -> Signal<u8> {
    let view = use_job_feed().view_of(job);
    Signal::derive(move || view.with(|j| j.progress))
}

/// Without a stream: every 2 s, the unfinished jobs the page knows of, through the `get_job` server function.
async fn poll_loop(feed: JobFeed, epoch: Arc<AtomicU64>, mine: u64) {
    while epoch.load(Ordering::SeqCst) == mine {
        if !tab_hidden() {
            refresh_unfinished(feed).await;
        }
        gloo_timers::future::TimeoutFuture::new(POLL_MS).await;
    }
}

/// Re-reads every job the page knows of that had not finished, through the `get_job` server function.
async fn refresh_unfinished(feed: JobFeed) {
    let live: Vec<String> = feed.latest.with_untracked(|m| {
        m.values()
            .filter(|j| !j.status.is_final())
            .map(|j| j.id.clone())
            .collect()
    });
    for id in live {
        if let Ok(view) = crate::server_fns::jobs::get_job(id).await {
            feed.absorb(view);
        }
    }
}
