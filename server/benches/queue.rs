//! Queue throughput: jobs claimed, "rendered" by a no-op renderer, stored and completed per second by the real
//! worker loop, on SQLite and on PostgreSQL (127.0.0.1:5432). Run: `cargo bench -p t2m-server --bench queue`

mod support;

use app::services::config::Config;
use app::services::jobs::repo;
use app::services::jobs::worker::run_workers;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{bench_job, Noop};
use tokio_util::sync::CancellationToken;

const JOBS: usize = 400;

async fn measure(label: &str, database_url: Option<String>, workers: usize) {
    let data = std::env::temp_dir().join(format!(
        "t2m-queue-bench-{}-{label}-{workers}",
        std::process::id()
    ));
    let mut env = HashMap::from([("T2M_DATA_DIR".to_owned(), data.display().to_string())]);
    if let Some(url) = database_url {
        env.insert("DATABASE_URL".into(), url);
    }
    let config = Config::from_lookup(|k| env.get(k).cloned()).expect("config");
    let state = t2m_server::startup::build_state(config, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("state");
    for i in 0..JOBS {
        repo::insert(&state.db, &bench_job(&format!("job {i}")))
            .await
            .expect("enqueue");
    }
    let shutdown = CancellationToken::new();
    let start = Instant::now();
    let runner = tokio::spawn(run_workers(
        state.clone(),
        Arc::new(Noop),
        workers,
        shutdown.clone(),
    ));
    loop {
        let (done,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE status = 'completed'")
                .fetch_one(&state.db.pool)
                .await
                .expect("count");
        if done as usize == JOBS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let secs = start.elapsed().as_secs_f64();
    shutdown.cancel();
    let _ = runner.await;
    println!(
        "{label:<10} {workers} worker(s): {:>7.1} jobs/s ({JOBS} jobs in {secs:.2} s)",
        JOBS as f64 / secs
    );
    let _ = std::fs::remove_dir_all(data);
}

#[tokio::main]
async fn main() {
    for workers in [1, 4] {
        measure("sqlite", None, workers).await;
    }
    for workers in [1, 4] {
        support::with_postgres_database(|url| async move {
            measure("postgres", Some(url), workers).await;
        })
        .await;
    }
}
