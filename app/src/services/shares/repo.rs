//! SQL for the `shares` table. A link counts only while it is neither revoked nor expired and its job still has
//! its video file: every read joins both, so deleting a job, its video or its owner ends the link at once.

use crate::error::AppError;
use crate::services::db::{now_ms, Db};
use sqlx::FromRow;

/// A link with what its page and its owner's list show.
#[derive(Debug, Clone, FromRow)]
pub struct ActiveShare {
    pub id: String,
    pub user_id: String,
    pub job_id: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub prompt: String,
    pub video_file_id: String,
    pub thumbnail_file_id: Option<String>,
}

/// A link to record.
#[derive(Debug, Clone)]
pub struct NewShare<'a> {
    pub user_id: &'a str,
    pub job_id: &'a str,
    pub token_hash: &'a str,
    /// Unix milliseconds; `None`: until revoked.
    pub expires_at: Option<i64>,
}

/// The active-link query up to its `WHERE` extras; `$1` is the current time in milliseconds.
const ACTIVE: &str = "SELECT s.id, s.user_id, s.job_id, s.created_at, s.expires_at, j.prompt, \
     f.id AS video_file_id, j.thumbnail_file_id \
     FROM shares s \
     JOIN jobs j ON j.id = s.job_id AND j.user_id = s.user_id \
     JOIN files f ON f.id = j.video_file_id AND f.user_id = s.user_id \
     WHERE s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > $1)";

/// Records a link; returns its id and creation time.
///
/// # Errors
/// Database failures.
pub async fn insert(db: &Db, share: &NewShare<'_>) -> Result<(String, i64), AppError> {
    let id = format!("share_{}", uuid::Uuid::now_v7().simple());
    let now = now_ms();
    sqlx::query(
        "INSERT INTO shares (id, user_id, job_id, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(share.user_id)
    .bind(share.job_id)
    .bind(share.token_hash)
    .bind(now)
    .bind(share.expires_at)
    .execute(&db.pool)
    .await?;
    Ok((id, now))
}

/// The active link whose token hashes to `token_hash`, whoever owns it.
///
/// # Errors
/// Database failures.
pub async fn find_active_by_hash(
    db: &Db,
    token_hash: &str,
) -> Result<Option<ActiveShare>, AppError> {
    Ok(sqlx::query_as(&format!("{ACTIVE} AND s.token_hash = $2"))
        .bind(now_ms())
        .bind(token_hash)
        .fetch_optional(&db.pool)
        .await?)
}

/// The active links of `user_id`, newest first.
///
/// # Errors
/// Database failures.
pub async fn list_active(db: &Db, user_id: &str) -> Result<Vec<ActiveShare>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{ACTIVE} AND s.user_id = $2 ORDER BY s.created_at DESC, s.id DESC LIMIT 500"
    ))
    .bind(now_ms())
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?)
}

/// Revokes one of `user_id`'s links that is still active; `NotFound` for anyone else's, an unknown id, or one
/// already revoked or expired.
///
/// # Errors
/// `NotFound`, or database failures.
pub async fn revoke_owned(db: &Db, user_id: &str, id: &str) -> Result<(), AppError> {
    let now = now_ms();
    let revoked = sqlx::query(
        "UPDATE shares SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL \
         AND (expires_at IS NULL OR expires_at > $1)",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(&db.pool)
    .await?
    .rows_affected();
    if revoked == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Deletes every link to one job (for whoever deletes the job; the joins already hide them).
///
/// # Errors
/// Database failures.
pub async fn delete_for_job(conn: &mut sqlx::AnyConnection, job_id: &str) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM shares WHERE job_id = $1")
        .bind(job_id)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

/// Deletes every link of a user, inside the caller's transaction (account deletion).
///
/// # Errors
/// Database failures.
pub async fn delete_all_for_user(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM shares WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}
