//! SQL for the `batches` table and the jobs that belong to a batch.

use crate::error::AppError;
use crate::services::db::{lock_user_quota, now_ms, Db};
use crate::services::jobs::repo::{NewJob, COLUMNS};
use crate::services::jobs::JobRow;
use sqlx::FromRow;

/// A stored batch.
#[derive(Debug, Clone, FromRow)]
pub struct BatchRow {
    pub id: String,
    pub user_id: String,
    pub created_at: i64,
}

/// A batch and its job ids, in prompt order.
pub struct InsertedBatch {
    pub id: String,
    pub job_ids: Vec<String>,
}

/// Stores a batch and enqueues its jobs, unless their owner's queued and processing jobs would then number
/// more than `max_active` (`None`, and nothing is stored). One transaction under the per-user lock, so the
/// jobs go in all together or not at all, and racing requests cannot pass the cap together.
///
/// # Errors
/// Database failures (nothing was stored).
pub async fn insert_with_jobs(
    db: &Db,
    user_id: &str,
    jobs: &[NewJob<'_>],
    max_active: u64,
) -> Result<Option<InsertedBatch>, AppError> {
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    lock_user_quota(&mut tx, db.kind, user_id).await?;
    let active: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE user_id = $1 AND status IN ('queued', 'processing')",
    )
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?;
    let wanted = u64::try_from(active).unwrap_or(0) + jobs.len() as u64;
    if wanted > max_active {
        tx.rollback().await?;
        return Ok(None);
    }
    let id = format!("batch_{}", uuid::Uuid::now_v7().simple());
    sqlx::query("INSERT INTO batches (id, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let mut job_ids = Vec::with_capacity(jobs.len());
    for (n, job) in (0_i64..).zip(jobs) {
        let job_id = format!("job_{}", uuid::Uuid::now_v7().simple());
        // A millisecond apart, so the queue (oldest first) takes them in prompt order.
        let created_at = now + n;
        sqlx::query(
            "INSERT INTO jobs (id, user_id, status, prompt, duration_secs, quality, priority, max_attempts, \
             created_at, updated_at, batch_id, soundtrack) VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7, $8, $8, $9, $10)",
        )
        .bind(&job_id)
        .bind(job.user_id)
        .bind(job.prompt)
        .bind(i64::from(job.duration_secs))
        .bind(job.quality.as_str())
        .bind(job.priority)
        .bind(job.max_attempts)
        .bind(created_at)
        .bind(&id)
        .bind(i64::from(job.soundtrack))
        .execute(&mut *tx)
        .await?;
        job_ids.push(job_id);
    }
    tx.commit().await?;
    Ok(Some(InsertedBatch { id, job_ids }))
}

/// The caller's batch; anyone else's is `NotFound`.
///
/// # Errors
/// `NotFound`, or database failures.
pub async fn find_owned(db: &Db, user_id: &str, id: &str) -> Result<BatchRow, AppError> {
    sqlx::query_as("SELECT id, user_id, created_at FROM batches WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// A batch's jobs, in prompt order.
///
/// # Errors
/// Database failures.
pub async fn jobs_of(db: &Db, user_id: &str, batch_id: &str) -> Result<Vec<JobRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE batch_id = $1 AND user_id = $2 ORDER BY created_at, id"
    ))
    .bind(batch_id)
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?)
}

/// Removes every batch of a user (their account is being deleted; their jobs are canceled separately).
///
/// # Errors
/// Database failures.
pub async fn delete_all_for_user(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM batches WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}
