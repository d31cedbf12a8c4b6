//! How long a job waits between being queued by one process and claimed by an idle worker in another, on
//! PostgreSQL (127.0.0.1:5432): woken by NOTIFY, versus found by the idle poll alone.
//! Run: `cargo bench -p t2m-server --bench pickup`

mod support;

use app::services::config::Config;
use app::services::jobs::repo;
use app::services::jobs::{wakeup, worker::run_workers};
use app::services::AppState;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use support::{bench_job, Noop};
use tokio_util::sync::CancellationToken;

const JOBS: usize = 40;
const IDLE_POLL_MS: &str = "1000";

/// A separate `AppState` (pool, wake-up signal) on the same database: another machine, as far as the queue
/// can tell.
async fn machine(database_url: &str, data: &Path) -> AppState {
    let env = HashMap::from([
        ("DATABASE_URL", database_url.to_owned()),
        ("T2M_DATA_DIR", data.display().to_string()),
        ("T2M_WORKER_IDLE_POLL_MS", IDLE_POLL_MS.to_owned()),
    ]);
    let config = Config::from_lookup(|k| env.get(k).cloned()).expect("config");
    t2m_server::startup::build_state(config, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("state")
}

async fn measure(database_url: &str, notify: bool) {
    let data =
        std::env::temp_dir().join(format!("t2m-pickup-bench-{}-{notify}", std::process::id()));
    let api = machine(database_url, &data).await;
    let worker = machine(database_url, &data).await;
    let shutdown = CancellationToken::new();
    let runner = tokio::spawn(run_workers(worker, Arc::new(Noop), 1, shutdown.clone()));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut waits = Vec::with_capacity(JOBS);
    for i in 0..JOBS {
        // Queue at a moment unrelated to the worker's poll cycle.
        tokio::time::sleep(Duration::from_millis(37 * (i as u64 % 27))).await;
        let job = repo::insert(&api.db, &bench_job(&format!("job {i}")))
            .await
            .expect("enqueue");
        if notify {
            wakeup::announce(&api).await;
        }
        loop {
            let (started,): (Option<i64>,) =
                sqlx::query_as("SELECT started_at FROM jobs WHERE id = $1")
                    .bind(&job.id)
                    .fetch_one(&api.db.pool)
                    .await
                    .expect("job");
            if let Some(started) = started {
                waits.push(started - job.created_at);
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    shutdown.cancel();
    let _ = runner.await;
    waits.sort_unstable();
    let mean = waits.iter().sum::<i64>() as f64 / JOBS as f64;
    println!(
        "{:<28} mean {mean:>6.1} ms, median {:>4} ms, worst {:>4} ms ({JOBS} jobs, idle poll {IDLE_POLL_MS} ms)",
        if notify { "woken by NOTIFY" } else { "found by the idle poll only" },
        waits[JOBS / 2],
        waits[JOBS - 1],
    );
    let _ = std::fs::remove_dir_all(data);
}

#[tokio::main]
async fn main() {
    for notify in [true, false] {
        support::with_postgres_database(|url| async move {
            measure(&url, notify).await;
        })
        .await;
    }
}
