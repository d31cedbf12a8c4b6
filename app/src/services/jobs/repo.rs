//! SQL for the `jobs` table as users see it: create, read, list and search, rename, cancel, delete.

use crate::domain::job::{JobStatus, JobView, Quality};
use crate::domain::library::display_title;
use crate::error::AppError;
use crate::services::db::{iso8601, lock_user_quota, now_ms, Db};
use sqlx::FromRow;

/// A stored job.
#[derive(Debug, Clone, FromRow)]
pub struct JobRow {
    pub id: String,
    pub user_id: String,
    pub status: String,
    pub prompt: String,
    pub duration_secs: i64,
    pub quality: String,
    pub priority: i64,
    pub progress: i64,
    pub attempts: i64,
    pub max_attempts: i64,
    pub error: Option<String>,
    pub video_file_id: Option<String>,
    pub thumbnail_file_id: Option<String>,
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<i64>,
    pub cancel_requested: i64,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub updated_at: i64,
    pub title: Option<String>,
    /// 1 when the owner asked for the generated soundtrack (an integer: SQLite has no boolean).
    pub soundtrack: i64,
    /// For a queued job read with `QUEUE_AHEAD`, how many queued jobs start before it; absent otherwise.
    #[sqlx(default)]
    pub queue_ahead: Option<i64>,
}

/// Every column, in `JobRow` order.
pub const COLUMNS: &str = "id, user_id, status, prompt, duration_secs, quality, priority, progress, attempts, \
max_attempts, error, video_file_id, thumbnail_file_id, lease_owner, lease_expires_at, cancel_requested, created_at, \
started_at, finished_at, updated_at, title, soundtrack";

/// A column for reads that answer views: a queued job's place in the queue, counted in the same statement as
/// the row (the queries that serve job status and job lists would otherwise make one more round trip to the
/// database per queued job). Same order as `count_ahead`; the outer table must be `jobs`, unaliased.
pub const QUEUE_AHEAD: &str = "CASE WHEN jobs.status = 'queued' THEN (SELECT COUNT(*) FROM jobs ahead \
WHERE ahead.status = 'queued' AND (ahead.priority > jobs.priority OR (ahead.priority = jobs.priority AND \
(ahead.created_at < jobs.created_at OR (ahead.created_at = jobs.created_at AND ahead.id < jobs.id))))) END \
AS queue_ahead";

impl JobRow {
    /// The status column, read safely.
    pub fn status(&self) -> JobStatus {
        JobStatus::parse(&self.status).unwrap_or(JobStatus::Failed)
    }

    /// The quality column, read safely.
    pub fn quality(&self) -> Quality {
        Quality::parse(&self.quality).unwrap_or_default()
    }

    /// The client view; `queue_position` is only known for queued jobs.
    pub fn view(&self, queue_position: Option<u32>) -> JobView {
        JobView {
            id: self.id.clone(),
            title: display_title(self.title.as_deref(), &self.prompt),
            status: self.status(),
            progress: u8::try_from(self.progress.clamp(0, 100)).unwrap_or(0),
            queue_position,
            error: self.error.clone(),
            video_file_id: self.video_file_id.clone(),
            thumbnail_file_id: self.thumbnail_file_id.clone(),
            prompt: self.prompt.clone(),
            duration: u32::try_from(self.duration_secs).unwrap_or(0),
            quality: self.quality(),
            soundtrack: self.soundtrack != 0,
            attempts: u32::try_from(self.attempts).unwrap_or(0),
            created_at: iso8601(self.created_at),
            started_at: self.started_at.map(iso8601),
            finished_at: self.finished_at.map(iso8601),
        }
    }
}

/// A job to enqueue.
pub struct NewJob<'a> {
    pub user_id: &'a str,
    pub prompt: &'a str,
    pub duration_secs: u32,
    pub quality: Quality,
    pub priority: i64,
    pub max_attempts: i64,
    pub soundtrack: bool,
}

/// Enqueues a job.
///
/// # Errors
/// Database failures.
pub async fn insert(db: &Db, job: &NewJob<'_>) -> Result<JobRow, AppError> {
    insert_within_cap(db, job, u64::MAX)
        .await?
        .ok_or(AppError::NotFound)
}

/// Enqueues a job unless its owner already has `max_active` jobs queued or processing (`None` then). The count
/// and the insert are one statement, under a per-user lock on PostgreSQL, so concurrent requests cannot pass
/// the cap together.
///
/// # Errors
/// Database failures.
pub async fn insert_within_cap(
    db: &Db,
    job: &NewJob<'_>,
    max_active: u64,
) -> Result<Option<JobRow>, AppError> {
    let id = format!("job_{}", uuid::Uuid::now_v7().simple());
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    lock_user_quota(&mut tx, db.kind, job.user_id).await?;
    let inserted = sqlx::query(
        "INSERT INTO jobs (id, user_id, status, prompt, duration_secs, quality, priority, max_attempts, created_at, \
         updated_at, soundtrack) SELECT $1, $2, 'queued', $3, $4, $5, $6, $7, $8, $8, $10 \
         WHERE (SELECT COUNT(*) FROM jobs WHERE user_id = $2 AND status IN ('queued', 'processing')) < $9",
    )
    .bind(&id)
    .bind(job.user_id)
    .bind(job.prompt)
    .bind(i64::from(job.duration_secs))
    .bind(job.quality.as_str())
    .bind(job.priority)
    .bind(job.max_attempts)
    .bind(now)
    .bind(i64::try_from(max_active).unwrap_or(i64::MAX))
    .bind(i64::from(job.soundtrack))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    if inserted == 0 {
        return Ok(None);
    }
    find(db, &id).await
}

/// How many of `user_id`'s jobs are queued or processing.
///
/// # Errors
/// Database failures.
pub async fn count_active(db: &Db, user_id: &str) -> Result<u64, AppError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE user_id = $1 AND status IN ('queued', 'processing')",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// A job by id, whoever owns it (workers).
///
/// # Errors
/// Database failures.
pub async fn find(db: &Db, id: &str) -> Result<Option<JobRow>, AppError> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// The caller's job; anyone else's is `NotFound`.
///
/// # Errors
/// `NotFound`, or database failures.
pub async fn find_owned(db: &Db, user_id: &str, id: &str) -> Result<JobRow, AppError> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS}, {QUEUE_AHEAD} FROM jobs WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// What a list of the caller's jobs is narrowed to.
#[derive(Debug, Clone, Copy, Default)]
pub struct JobFilter<'a> {
    /// A stored status spelling.
    pub status: Option<&'a str>,
    /// Search text: matches the prompt or the stored title, whatever the case.
    pub text: Option<&'a str>,
    /// Continue after this `(created_at, id)`.
    pub after: Option<(i64, &'a str)>,
}

/// The caller's jobs, newest first, `limit` at most.
///
/// # Errors
/// Database failures.
pub async fn list_owned(
    db: &Db,
    user_id: &str,
    filter: JobFilter<'_>,
    limit: i64,
) -> Result<Vec<JobRow>, AppError> {
    use crate::services::paging::{contains_pattern, LIKE_ESCAPE};
    let (before_at, before_id) = filter.after.unwrap_or((i64::MAX, ""));
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS}, {QUEUE_AHEAD} FROM jobs WHERE user_id = $1 AND ($2 = '' OR status = $2) \
         AND ($3 = '' OR LOWER(prompt) LIKE $3 {LIKE_ESCAPE} OR LOWER(COALESCE(title, '')) LIKE $3 {LIKE_ESCAPE}) \
         AND (created_at < $4 OR (created_at = $4 AND ($5 = '' OR id < $5))) \
         ORDER BY created_at DESC, id DESC LIMIT $6"
    ))
    .bind(user_id)
    .bind(filter.status.unwrap_or(""))
    .bind(contains_pattern(filter.text))
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// Sets the title of the caller's job.
///
/// # Errors
/// `NotFound` when the caller has no such job; database failures.
pub async fn set_title(db: &Db, user_id: &str, id: &str, title: &str) -> Result<(), AppError> {
    let done =
        sqlx::query("UPDATE jobs SET title = $1, updated_at = $2 WHERE id = $3 AND user_id = $4")
            .bind(title)
            .bind(now_ms())
            .bind(id)
            .bind(user_id)
            .execute(&db.pool)
            .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Deletes the caller's job row inside `conn`'s transaction and returns its video and thumbnail file ids.
/// On PostgreSQL the delete waits for a worker completing the job at that moment and returns the ids that
/// completion recorded, so its files are found and removed too.
///
/// # Errors
/// `NotFound` when the caller has no such job; database failures.
pub async fn delete_owned_in(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    id: &str,
) -> Result<Vec<String>, AppError> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "DELETE FROM jobs WHERE id = $1 AND user_id = $2 RETURNING video_file_id, thumbnail_file_id",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (video, thumbnail) = row.ok_or(AppError::NotFound)?;
    Ok(video.into_iter().chain(thumbnail).collect())
}

/// How many queued jobs will be taken before `job` (higher priority, then older), for a row read without
/// `QUEUE_AHEAD`.
async fn count_ahead(db: &Db, job: &JobRow) -> Result<i64, AppError> {
    let (ahead,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND (priority > $1 OR (priority = $1 AND \
         (created_at < $2 OR (created_at = $2 AND id < $3))))",
    )
    .bind(job.priority)
    .bind(job.created_at)
    .bind(&job.id)
    .fetch_one(&db.pool)
    .await?;
    Ok(ahead)
}

/// A job's place in the queue (1 = next), or `None` unless it is queued: read from the row when it was
/// fetched with `QUEUE_AHEAD`, counted otherwise.
///
/// # Errors
/// Database failures.
pub async fn position_of(db: &Db, job: &JobRow) -> Result<Option<u32>, AppError> {
    if job.status() != JobStatus::Queued {
        return Ok(None);
    }
    let ahead = match job.queue_ahead {
        Some(ahead) => ahead,
        None => count_ahead(db, job).await?,
    };
    Ok(Some(u32::try_from(ahead + 1).unwrap_or(u32::MAX)))
}

/// Cancels the caller's queued job at once, or flags a processing one for its worker to stop.
/// Returns whether anything changed.
///
/// # Errors
/// Database failures.
pub async fn request_cancel(db: &Db, user_id: &str, id: &str) -> Result<bool, AppError> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE jobs SET cancel_requested = 1, updated_at = $1, \
         status = CASE WHEN status = 'queued' THEN 'canceled' ELSE status END, \
         finished_at = CASE WHEN status = 'queued' THEN $1 ELSE finished_at END \
         WHERE id = $2 AND user_id = $3 AND status IN ('queued', 'processing')",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Cancels every open job of a user (their account is being deleted): queued ones at once, processing ones
/// flagged for their worker, which stops the render at its next heartbeat (the path a user's cancel takes).
///
/// # Errors
/// Database failures.
pub async fn cancel_all_for_user(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
) -> Result<u64, AppError> {
    let done = sqlx::query(
        "UPDATE jobs SET cancel_requested = 1, updated_at = $1, \
         status = CASE WHEN status = 'queued' THEN 'canceled' ELSE status END, \
         finished_at = CASE WHEN status = 'queued' THEN $1 ELSE finished_at END \
         WHERE user_id = $2 AND status IN ('queued', 'processing')",
    )
    .bind(now_ms())
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Counts of the caller's jobs by status, for the dashboard.
///
/// # Errors
/// Database failures.
pub async fn count_by_status(db: &Db, user_id: &str) -> Result<Vec<(String, i64)>, AppError> {
    Ok(
        sqlx::query_as("SELECT status, COUNT(*) FROM jobs WHERE user_id = $1 GROUP BY status")
            .bind(user_id)
            .fetch_all(&db.pool)
            .await?,
    )
}

/// Deletes every job row of a user (their account is being deleted); a worker rendering one of them loses its
/// lease at the next heartbeat and discards its output. Returns how many were deleted.
///
/// # Errors
/// Database failures.
pub async fn delete_all_owned(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM jobs WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// Every job of a user, oldest first (the account export).
///
/// # Errors
/// Database failures.
pub async fn list_all_owned(db: &Db, user_id: &str) -> Result<Vec<JobRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE user_id = $1 ORDER BY created_at, id"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?)
}

/// The caller's jobs changed at or after `since_ms`, most recently changed first (live streams resynchronise
/// with it after missing notices).
///
/// # Errors
/// Database failures.
pub async fn changed_since(
    db: &Db,
    user_id: &str,
    since_ms: i64,
    limit: i64,
) -> Result<Vec<JobRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE user_id = $1 AND updated_at >= $2 ORDER BY updated_at DESC, id DESC \
         LIMIT $3"
    ))
    .bind(user_id)
    .bind(since_ms)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}
