//! Waking idle workers when a job is queued. In one process a `Notify` does it; across machines on
//! PostgreSQL, queuing sends `NOTIFY` and every worker process `LISTEN`s, so a job queued by an API machine
//! starts on a worker machine at once rather than at that worker's next idle poll.

use crate::services::db::{Db, DbKind};
use crate::services::AppState;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// The PostgreSQL notification channel for queued jobs.
pub const CHANNEL: &str = "t2m_jobs_queued";

/// How long to wait before listening again after the connection is lost.
const RECONNECT_DELAY: Duration = Duration::from_secs(2);

/// Wakes a worker here and, on PostgreSQL, one in every other process. A failed `NOTIFY` is only logged:
/// the job is already stored, and idle polling finds it.
pub async fn announce(state: &AppState) {
    state.job_signal.notify_one();
    notify_other_processes(&state.db).await;
}

async fn notify_other_processes(db: &Db) {
    if db.kind != DbKind::Postgres {
        return;
    }
    if let Err(err) = sqlx::query("SELECT pg_notify($1, '')")
        .bind(CHANNEL)
        .execute(&db.pool)
        .await
    {
        tracing::warn!(%err, "could not notify other workers; they will find the job by polling");
    }
}

/// Turns notifications on [`CHANNEL`] into wake-ups of this process's workers until `shutdown`. Does nothing
/// on SQLite, whose queue is single-process.
pub async fn listen(state: AppState, shutdown: CancellationToken) {
    if state.db.kind != DbKind::Postgres {
        return;
    }
    while !shutdown.is_cancelled() {
        if let Err(err) = listen_once(&state, &shutdown).await {
            tracing::warn!(%err, "job notifications interrupted; workers poll until they resume");
        }
        tokio::select! {
            () = shutdown.cancelled() => {}
            () = tokio::time::sleep(RECONNECT_DELAY) => {}
        }
    }
}

async fn listen_once(state: &AppState, shutdown: &CancellationToken) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(&state.config.database_url).await?;
    listener.listen(CHANNEL).await?;
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            notification = listener.recv() => {
                notification?;
                state.job_signal.notify_one();
            }
        }
    }
}
