//! Render workers: claim a job, render it with a heartbeat that carries progress and cancel requests, store
//! the video and thumbnail as the user's files, and finish the job. Runs until the shutdown token fires.

use super::events;
use super::queue::{self, Beat};
use super::JobRow;
use crate::domain::library::display_title;
use crate::error::AppError;
use crate::services::files::{self, NewFile};
use crate::services::render::{Render, RenderControl, RenderFailure, RenderJob, Rendered};
use crate::services::AppState;
use sha2::{Digest, Sha256};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio_util::sync::CancellationToken;

/// How often a busy worker reports progress and looks for a cancel request.
const HEARTBEAT: Duration = Duration::from_millis(400);
/// How long to wait after the database refused a claim.
const CLAIM_RETRY_DELAY: Duration = Duration::from_secs(2);

/// Runs `count` workers until `shutdown` fires; a job in flight at shutdown goes back to the queue.
pub async fn run_workers(
    state: AppState,
    renderer: Arc<dyn Render>,
    count: usize,
    shutdown: CancellationToken,
) {
    let prefix = format!("{}-{}", hostname(), std::process::id());
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..count.max(1) {
        let worker = Worker {
            id: format!("{prefix}-{n}-{}", uuid::Uuid::new_v4().simple()),
            state: state.clone(),
            renderer: Arc::clone(&renderer),
            shutdown: shutdown.clone(),
        };
        tasks.spawn(worker.run());
    }
    tasks.spawn(super::wakeup::listen(state.clone(), shutdown.clone()));
    while tasks.join_next().await.is_some() {}
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map_or_else(|_| "worker".into(), |h| h.trim().to_owned())
}

struct Worker {
    id: String,
    state: AppState,
    renderer: Arc<dyn Render>,
    shutdown: CancellationToken,
}

impl Worker {
    fn lease_ms(&self) -> i64 {
        i64::try_from(self.state.config.job_lease.as_millis()).unwrap_or(30_000)
    }

    async fn run(self) {
        tracing::info!(worker = %self.id, "render worker started");
        while !self.shutdown.is_cancelled() {
            match queue::reclaim_expired(&self.state.db).await {
                Ok(0) => {}
                Ok(_) => events::publish_resync(&self.state).await,
                Err(err) => tracing::warn!(%err, "could not reclaim expired jobs"),
            }
            match queue::claim(&self.state.db, &self.id, self.lease_ms()).await {
                Ok(Some(job)) => {
                    events::publish(&self.state, &job.user_id, &job.id).await;
                    self.process(&job).await;
                    crate::services::allocator::release_free_memory();
                    // Whatever the outcome, the job changed (finished, failed, canceled or back in the queue).
                    events::publish(&self.state, &job.user_id, &job.id).await;
                }
                Ok(None) => {
                    tokio::select! {
                        () = self.shutdown.cancelled() => {}
                        () = self.state.job_signal.notified() => {}
                        () = tokio::time::sleep(self.state.config.worker_idle_poll) => {}
                    }
                }
                Err(err) => {
                    tracing::warn!(%err, "could not claim a job; retrying shortly");
                    tokio::time::sleep(CLAIM_RETRY_DELAY).await;
                }
            }
        }
        tracing::info!(worker = %self.id, "render worker stopped");
    }

    #[tracing::instrument(skip_all, fields(job = %job.id, attempt = job.attempts))]
    async fn process(&self, job: &JobRow) {
        let control = RenderControl::default();
        let render_job = self.render_job(job);
        let work_dir = self.state.store.temp_dir();
        let heartbeat = self.heartbeat(job, control.clone());
        let render = self
            .renderer
            .render(&render_job, &work_dir, control.clone());
        let started = std::time::Instant::now();
        let (outcome, beat) = tokio::select! {
            outcome = render => (outcome, None),
            beat = heartbeat => {
                // The heartbeat ends only to stop the render: raise the flag and let the renderer unwind.
                control.cancel.store(true, Ordering::Relaxed);
                (Err(RenderFailure::Canceled), Some(beat))
            }
        };
        crate::services::observe::render_finished(started.elapsed(), outcome.is_ok());
        let db = &self.state.db;
        let result = match (outcome, beat) {
            (Ok(rendered), _) => self.store_and_complete(job, rendered).await,
            (Err(_), Some(Beat::Lost)) => {
                tracing::warn!("lease lost; another worker owns the job now");
                Ok(())
            }
            (Err(_), Some(Beat::Held)) => {
                // Shutting down: the job goes back to the queue, and a worker elsewhere is told at once.
                let released = queue::release(db, &job.id, &self.id, None, false).await;
                super::wakeup::announce(&self.state).await;
                released
            }
            (Err(RenderFailure::Canceled), _) => {
                queue::finish(db, &job.id, &self.id, "canceled", None).await
            }
            (Err(RenderFailure::Rejected(why)), _) => {
                queue::finish(db, &job.id, &self.id, "failed", Some(&why)).await
            }
            (Err(RenderFailure::Transient(why)), _) => {
                tracing::warn!(%why, "render failed; retrying if attempts remain");
                queue::release(db, &job.id, &self.id, Some(&why), true).await
            }
        };
        if let Err(err) = result {
            tracing::error!(%err, "could not record the job's outcome; its lease will expire and it will be retried");
        }
    }

    fn render_job(&self, job: &JobRow) -> RenderJob {
        let (width, height) = job.quality().dimensions();
        RenderJob {
            job_id: job.id.clone(),
            prompt: job.prompt.clone(),
            title: display_title(job.title.as_deref(), &job.prompt),
            duration_secs: u32::try_from(job.duration_secs).unwrap_or(1),
            quality: job.quality.clone(),
            width,
            height,
            fps: self.state.config.render_fps,
            soundtrack: job.soundtrack != 0,
        }
    }

    /// Beats until the user cancels, the lease is lost, or shutdown asks the job to go back to the queue.
    async fn heartbeat(&self, job: &JobRow, control: RenderControl) -> Beat {
        let mut ticker = tokio::time::interval(HEARTBEAT);
        let mut announced = 0;
        loop {
            tokio::select! {
                () = self.shutdown.cancelled() => return Beat::Held,
                _ = ticker.tick() => {}
            }
            let progress = control.progress.load(Ordering::Relaxed);
            match queue::heartbeat(&self.state.db, &job.id, &self.id, progress, self.lease_ms())
                .await
            {
                Ok(Beat::Held) if progress != announced => {
                    announced = progress;
                    events::publish(&self.state, &job.user_id, &job.id).await;
                }
                Ok(Beat::Held) => {}
                Ok(Beat::CancelRequested) => {
                    control.cancel.store(true, Ordering::Relaxed);
                    return Beat::CancelRequested;
                }
                Ok(Beat::Lost) => return Beat::Lost,
                Err(err) => tracing::warn!(%err, "heartbeat failed; will retry"),
            }
        }
    }

    /// Stores the video (and thumbnail), then records both and completes the job in one transaction. If that
    /// transaction fails or the lease was lost, the stored objects are removed again: bytes never outlive a
    /// failed completion, and a retried job leaves exactly one video.
    async fn store_and_complete(&self, job: &JobRow, rendered: Rendered) -> Result<(), AppError> {
        let state = &self.state;
        let (size, sha256) = hash_file(&rendered.video).await.map_err(AppError::from)?;
        let extension = if rendered.content_type == "video/webm" {
            "webm"
        } else {
            "mp4"
        };
        let metadata = serde_json::json!({
            "job_id": job.id, "prompt": job.prompt, "duration": job.duration_secs, "quality": job.quality,
        });
        let stem = job.id.trim_start_matches("job_");
        let video = NewFile {
            user_id: job.user_id.clone(),
            kind: "video".into(),
            filename: format!("t2m-{stem}.{extension}"),
            content_type: rendered.content_type.clone(),
            size_bytes: size,
            sha256,
            storage_key: files::Storage::new_key(),
            metadata: metadata.clone(),
        };
        state
            .store
            .persist(&rendered.video, &video.storage_key)
            .await?;
        let thumbnail = match rendered.thumbnail_png {
            Some(png) => match self.store_thumbnail(job, png, metadata).await {
                Ok(file) => Some(file),
                Err(err) => {
                    self.discard(&[&video.storage_key]).await;
                    return Err(err);
                }
            },
            None => None,
        };
        let completed =
            queue::complete_with_files(&state.db, &job.id, &self.id, &video, thumbnail.as_ref())
                .await;
        if !matches!(completed, Ok(true)) {
            if matches!(completed, Ok(false)) {
                tracing::warn!("lease lost before completion; discarding this render");
            }
            let keys: Vec<&str> = std::iter::once(&video)
                .chain(thumbnail.as_ref())
                .map(|file| file.storage_key.as_str())
                .collect();
            self.discard(&keys).await;
        }
        completed.map(|_| ())
    }

    /// Removes stored objects that no row will ever name.
    async fn discard(&self, keys: &[&str]) {
        for key in keys {
            if let Err(err) = self.state.store.delete(key).await {
                tracing::error!(%err, key, "could not remove an unrecorded render output");
            }
        }
    }

    async fn store_thumbnail(
        &self,
        job: &JobRow,
        png: Vec<u8>,
        metadata: serde_json::Value,
    ) -> Result<NewFile, AppError> {
        let state = &self.state;
        let temp = state.store.temp_path();
        tokio::fs::write(&temp, &png)
            .await
            .map_err(AppError::from)?;
        let file = NewFile {
            user_id: job.user_id.clone(),
            kind: "thumbnail".into(),
            filename: format!("t2m-{}.png", job.id.trim_start_matches("job_")),
            content_type: "image/png".into(),
            size_bytes: png.len() as u64,
            sha256: hex::encode(Sha256::digest(&png)),
            storage_key: files::Storage::new_key(),
            metadata,
        };
        state.store.persist(&temp, &file.storage_key).await?;
        Ok(file)
    }
}

async fn hash_file(path: &std::path::Path) -> std::io::Result<(u64, String)> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok((size, hex::encode(hasher.finalize())))
}
