//! The job change feed: every change to a job (created, claimed, progress, finished, canceled, retried) is
//! announced as ids only, so live streams re-read the job once per change instead of each polling the
//! database. In one process a `broadcast` channel carries the notices; on PostgreSQL they also go out with
//! `NOTIFY`, and every server `LISTEN`s, so a change made by a worker process elsewhere reaches this one's streams.

use crate::services::db::DbKind;
use crate::services::AppState;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// The PostgreSQL notification channel for job changes.
pub const CHANNEL: &str = "t2m_job_changes";

/// Notices a slow subscriber may fall behind by before it is told to resynchronise.
const CAPACITY: usize = 1024;
/// How long to wait before listening again after the connection is lost.
const RECONNECT_DELAY: Duration = Duration::from_secs(2);

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// One job of one user.
    Job { user_id: String, job_id: String },
    /// Changes may have been missed (several jobs reclaimed at once, notifications interrupted, a subscriber
    /// fell behind): whoever follows jobs should re-read what it follows.
    Resync,
}

/// The in-process side of the feed; cheap to clone.
#[derive(Clone)]
pub struct JobEvents {
    inner: Arc<Inner>,
}

struct Inner {
    sender: broadcast::Sender<Change>,
    /// Tells this process's own notifications apart from other machines' when they come back over `LISTEN`.
    origin: String,
    /// Fired at shutdown: open streams end, so a graceful shutdown does not wait on them forever.
    closing: CancellationToken,
}

/// A notice as it travels through `NOTIFY`.
#[derive(Serialize, Deserialize)]
struct Wire {
    origin: String,
    change: Change,
}

impl Default for JobEvents {
    fn default() -> Self {
        Self::new()
    }
}

impl JobEvents {
    /// A feed with no subscribers yet.
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        Self {
            inner: Arc::new(Inner {
                sender,
                origin: uuid::Uuid::new_v4().simple().to_string(),
                closing: CancellationToken::new(),
            }),
        }
    }

    /// Notices from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.inner.sender.subscribe()
    }

    /// How many streams follow the feed now (a stream whose client left no longer counts).
    pub fn subscribers(&self) -> usize {
        self.inner.sender.receiver_count()
    }

    /// Fires when the server shuts down.
    pub fn closing(&self) -> CancellationToken {
        self.inner.closing.clone()
    }

    /// Ends every stream that follows the feed (at shutdown).
    pub fn close(&self) {
        self.inner.closing.cancel();
    }

    /// Hands a notice to this process's subscribers (none listening is fine).
    fn deliver(&self, change: Change) {
        let _ = self.inner.sender.send(change);
    }
}

/// Announces that `job_id` of `user_id` changed, here and (on PostgreSQL) to every other server.
pub async fn publish(state: &AppState, user_id: &str, job_id: &str) {
    announce(
        state,
        Change::Job {
            user_id: user_id.to_owned(),
            job_id: job_id.to_owned(),
        },
    )
    .await;
}

/// Announces that jobs changed without saying which.
pub async fn publish_resync(state: &AppState) {
    announce(state, Change::Resync).await;
}

/// A failed `NOTIFY` is only logged: the change is stored, and streams elsewhere see it at their next notice.
async fn announce(state: &AppState, change: Change) {
    state.job_events.deliver(change.clone());
    if state.db.kind != DbKind::Postgres {
        return;
    }
    let wire = Wire {
        origin: state.job_events.inner.origin.clone(),
        change,
    };
    let Ok(payload) = serde_json::to_string(&wire) else {
        return;
    };
    if let Err(err) = sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(payload)
        .execute(&state.db.pool)
        .await
    {
        tracing::warn!(%err, "could not announce a job change to other servers");
    }
}

/// Delivers other machines' notices on [`CHANNEL`] to this process's subscribers until `shutdown`. Does
/// nothing on SQLite, where every change is made in this process.
pub async fn listen(state: AppState, shutdown: CancellationToken) {
    if state.db.kind != DbKind::Postgres {
        return;
    }
    let mut first = true;
    while !shutdown.is_cancelled() {
        if let Err(err) = listen_once(&state, &shutdown, first).await {
            tracing::warn!(%err, "job change notifications interrupted; live streams resync when they resume");
        }
        first = false;
        tokio::select! {
            () = shutdown.cancelled() => {}
            () = tokio::time::sleep(RECONNECT_DELAY) => {}
        }
    }
}

async fn listen_once(
    state: &AppState,
    shutdown: &CancellationToken,
    first: bool,
) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(&state.config.database_url).await?;
    listener.listen(CHANNEL).await?;
    if !first {
        // Whatever happened while nobody listened is unknown.
        state.job_events.deliver(Change::Resync);
    }
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            notification = listener.recv() => {
                let notification = notification?;
                match serde_json::from_str::<Wire>(notification.payload()) {
                    Ok(wire) if wire.origin == state.job_events.inner.origin => {}
                    Ok(wire) => state.job_events.deliver(wire.change),
                    Err(err) => tracing::warn!(%err, "ignoring a malformed job change notification"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_receive_notices_delivered_after_they_subscribed() {
        let feed = JobEvents::new();
        feed.deliver(Change::Resync);
        let mut receiver = feed.subscribe();
        let change = Change::Job {
            user_id: "u1".into(),
            job_id: "job_1".into(),
        };
        feed.deliver(change.clone());
        assert_eq!(receiver.recv().await.unwrap(), change);
        assert!(receiver.try_recv().is_err());
    }

    #[test]
    fn a_notice_survives_its_trip_through_notify() {
        let wire = Wire {
            origin: "o".into(),
            change: Change::Job {
                user_id: "user_1".into(),
                job_id: "job_1".into(),
            },
        };
        let back: Wire = serde_json::from_str(&serde_json::to_string(&wire).unwrap()).unwrap();
        assert_eq!((back.origin, back.change), (wire.origin, wire.change));
    }
}
