//! The durable queue: workers lease jobs with a heartbeat. A job is never run by two workers at once (the lease
//! names its owner and every write checks it) and never lost (an expired lease sends it back to the queue,
//! up to `max_attempts`). On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets many processes claim side by side.

use super::repo::{JobRow, COLUMNS};
use crate::error::AppError;
use crate::services::db::{now_ms, Db, DbKind};

/// Takes the next queued job (premium first, then oldest) for `worker`, leased for `lease_ms`.
///
/// # Errors
/// Database failures.
pub async fn claim(db: &Db, worker: &str, lease_ms: i64) -> Result<Option<JobRow>, AppError> {
    let now = now_ms();
    let pick = match db.kind {
        DbKind::Postgres => {
            "SELECT id FROM jobs WHERE status = 'queued' ORDER BY priority DESC, created_at, id \
             LIMIT 1 FOR UPDATE SKIP LOCKED"
        }
        // SQLite serialises writers, so the sub-select and the update cannot interleave with another claim.
        DbKind::Sqlite => "SELECT id FROM jobs WHERE status = 'queued' ORDER BY priority DESC, created_at, id LIMIT 1",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'processing', lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1, \
         progress = 0, started_at = COALESCE(started_at, $3), updated_at = $3 \
         WHERE id = ({pick}) AND status = 'queued' RETURNING {COLUMNS}"
    );
    Ok(sqlx::query_as(&sql)
        .bind(worker)
        .bind(now + lease_ms)
        .bind(now)
        .fetch_optional(&db.pool)
        .await?)
}

/// What a heartbeat learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beat {
    /// Keep going.
    Held,
    /// The user asked to cancel.
    CancelRequested,
    /// The lease is gone (expired and taken over): stop without writing anything else.
    Lost,
}

/// Extends the lease and records progress.
///
/// # Errors
/// Database failures.
pub async fn heartbeat(
    db: &Db,
    id: &str,
    worker: &str,
    progress: u8,
    lease_ms: i64,
) -> Result<Beat, AppError> {
    let now = now_ms();
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE jobs SET lease_expires_at = $1, progress = $2, updated_at = $3 \
         WHERE id = $4 AND lease_owner = $5 AND status = 'processing' RETURNING cancel_requested",
    )
    .bind(now + lease_ms)
    .bind(i64::from(progress))
    .bind(now)
    .bind(id)
    .bind(worker)
    .fetch_optional(&db.pool)
    .await?;
    Ok(match row {
        None => Beat::Lost,
        Some((0,)) => Beat::Held,
        Some(_) => Beat::CancelRequested,
    })
}

/// Records the job's output files and marks it completed in one transaction, if `worker` still holds its
/// lease: either the rows and the completion are all written or none is, so a database that fails mid-way
/// leaves no file row without its job and no completed job without its video. `false` when the lease is lost.
///
/// # Errors
/// Database failures (nothing was written).
pub async fn complete_with_files(
    db: &Db,
    id: &str,
    worker: &str,
    video: &crate::services::files::repo::NewFile,
    thumbnail: Option<&crate::services::files::repo::NewFile>,
) -> Result<bool, AppError> {
    use crate::services::files::repo::insert_in;
    let mut tx = db.pool.begin().await?;
    let video_id = insert_in(&mut tx, video).await?;
    let thumbnail_id = match thumbnail {
        Some(file) => Some(insert_in(&mut tx, file).await?),
        None => None,
    };
    if !complete_in(&mut tx, id, worker, &video_id, thumbnail_id.as_deref()).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

async fn complete_in(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    worker: &str,
    video_file_id: &str,
    thumbnail_file_id: Option<&str>,
) -> Result<bool, AppError> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE jobs SET status = 'completed', progress = 100, video_file_id = $1, thumbnail_file_id = $2, \
         error = NULL, finished_at = $3, updated_at = $3, lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = $4 AND lease_owner = $5 AND status = 'processing'",
    )
    .bind(video_file_id)
    .bind(thumbnail_file_id)
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends the job in a final state (`failed` or `canceled`) with a reason.
///
/// # Errors
/// Database failures.
pub async fn finish(
    db: &Db,
    id: &str,
    worker: &str,
    status: &str,
    error: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    sqlx::query(
        "UPDATE jobs SET status = $1, error = $2, finished_at = $3, updated_at = $3, lease_owner = NULL, \
         lease_expires_at = NULL WHERE id = $4 AND lease_owner = $5 AND status = 'processing'",
    )
    .bind(status)
    .bind(error)
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Puts a job back in the queue: after a transient failure (the attempt counts), or on shutdown (it does not).
///
/// # Errors
/// Database failures.
pub async fn release(
    db: &Db,
    id: &str,
    worker: &str,
    error: Option<&str>,
    attempt_counts: bool,
) -> Result<(), AppError> {
    let now = now_ms();
    let refund = if attempt_counts { 0 } else { 1 };
    sqlx::query(
        "UPDATE jobs SET status = CASE WHEN cancel_requested = 1 THEN 'canceled' \
         WHEN attempts - $1 >= max_attempts THEN 'failed' ELSE 'queued' END, \
         finished_at = CASE WHEN cancel_requested = 1 OR attempts - $1 >= max_attempts THEN $2 ELSE NULL END, \
         attempts = attempts - $1, error = $3, progress = 0, updated_at = $2, lease_owner = NULL, \
         lease_expires_at = NULL WHERE id = $4 AND lease_owner = $5 AND status = 'processing'",
    )
    .bind(refund)
    .bind(now)
    .bind(error)
    .bind(id)
    .bind(worker)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Returns jobs whose worker stopped heartbeating (crashed, killed) to the queue, or fails them once they have
/// used every attempt. Returns how many were touched.
///
/// # Errors
/// Database failures.
pub async fn reclaim_expired(db: &Db) -> Result<u64, AppError> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE jobs SET status = CASE WHEN cancel_requested = 1 THEN 'canceled' \
         WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END, \
         error = CASE WHEN cancel_requested = 1 THEN NULL WHEN attempts >= max_attempts \
         THEN 'Rendering stopped unexpectedly on every attempt; please try again later.' \
         ELSE 'A worker stopped while rendering; the job was put back in the queue.' END, \
         finished_at = CASE WHEN cancel_requested = 1 OR attempts >= max_attempts THEN $1 ELSE NULL END, \
         progress = 0, updated_at = $1, lease_owner = NULL, lease_expires_at = NULL \
         WHERE status = 'processing' AND lease_expires_at < $1",
    )
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}
