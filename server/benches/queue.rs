//! Queue throughput: jobs claimed, "rendered" by a no-op renderer, stored and completed per second by the real
//! worker loop, on SQLite and on PostgreSQL (127.0.0.1:5432). Run: `cargo bench -p t2m-server --bench queue`

use app::domain::job::Quality;
use app::services::config::Config;
use app::services::jobs::repo::{self, NewJob};
use app::services::jobs::worker::run_workers;
use app::services::render::{Render, RenderControl, RenderFailure, RenderJob, Rendered};
use sqlx::Connection;
use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

const JOBS: usize = 400;
const POSTGRES_ADMIN: &str = "postgres://root@127.0.0.1:5432/test";

/// Writes a one-byte "video" at once, so only the queue and bookkeeping are measured.
struct Noop;

impl Render for Noop {
    fn render<'a>(
        &'a self,
        job: &'a RenderJob,
        work_dir: &'a Path,
        _control: RenderControl,
    ) -> Pin<Box<dyn Future<Output = Result<Rendered, RenderFailure>> + Send + 'a>> {
        Box::pin(async move {
            let video = work_dir.join(format!("{}.mp4", job.job_id));
            tokio::fs::write(&video, b"x")
                .await
                .map_err(|e| RenderFailure::Transient(e.to_string()))?;
            Ok(Rendered {
                video,
                content_type: "video/mp4".into(),
                thumbnail_png: None,
            })
        })
    }
}

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
        repo::insert(
            &state.db,
            &NewJob {
                user_id: "bench",
                prompt: &format!("job {i}"),
                duration_secs: 1,
                quality: Quality::P480,
                priority: 0,
                max_attempts: 3,
            },
        )
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
        let name = format!("t2m_bench_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(POSTGRES_ADMIN)
            .await
            .expect("PostgreSQL on 127.0.0.1:5432");
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .await
            .expect("create db");
        measure(
            "postgres",
            Some(format!("postgres://root@127.0.0.1:5432/{name}")),
            workers,
        )
        .await;
        let _ = sqlx::query(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
            .execute(&mut admin)
            .await;
    }
}
