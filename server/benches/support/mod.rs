//! What the queue benchmarks share: a renderer that finishes at once and throwaway PostgreSQL databases.

use app::domain::job::Quality;
use app::services::jobs::repo::NewJob;
use app::services::render::{Render, RenderControl, RenderFailure, RenderJob, Rendered};
use sqlx::Connection;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;

const POSTGRES_ADMIN: &str = "postgres://root@127.0.0.1:5432/test";

/// Writes a one-byte "video" at once, so only the queue and its bookkeeping are measured.
pub struct Noop;

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

/// A one-second 480p job for the bench user; `prompt` only tells jobs apart.
pub fn bench_job(prompt: &str) -> NewJob<'_> {
    NewJob {
        user_id: "bench",
        prompt,
        duration_secs: 1,
        quality: Quality::P480,
        priority: 0,
        max_attempts: 3,
        soundtrack: false,
    }
}

/// Runs `bench` against the URL of a fresh PostgreSQL database on 127.0.0.1:5432, dropped afterwards.
pub async fn with_postgres_database<F, Fut>(bench: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let name = format!("t2m_bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(POSTGRES_ADMIN)
        .await
        .expect("PostgreSQL on 127.0.0.1:5432");
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .expect("create db");
    bench(format!("postgres://root@127.0.0.1:5432/{name}")).await;
    let _ = sqlx::query(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .await;
}
