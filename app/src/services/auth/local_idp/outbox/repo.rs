//! SQL for the provider's outgoing webhook deliveries: one row per event and URL, kept until delivered or
//! given up, so a restart resumes what was pending.

use crate::error::AppError;
use crate::services::db::Db;
use sqlx::FromRow;

/// A delivery waiting for its next try.
#[derive(Debug, Clone, FromRow)]
pub struct DeliveryRow {
    pub id: String,
    /// The `svix-id`: the same for every URL and every try of one event, so receivers can drop repeats.
    pub message_id: String,
    pub url: String,
    pub payload: String,
    /// Tries made so far.
    pub attempts: i64,
    pub next_attempt_at: i64,
}

/// Queues one event for each URL, first try at `first_at` (ms).
///
/// # Errors
/// Database failures.
pub async fn insert(
    db: &Db,
    message_id: &str,
    urls: &[String],
    event_type: &str,
    payload: &str,
    now: i64,
    first_at: i64,
) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await?;
    for url in urls {
        sqlx::query(
            "INSERT INTO local_webhook_deliveries (id, message_id, url, event_type, payload, attempts, \
             next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $7)",
        )
        .bind(uuid::Uuid::now_v7().simple().to_string())
        .bind(message_id)
        .bind(url)
        .bind(event_type)
        .bind(payload)
        .bind(first_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Up to `limit` deliveries due at `now`, oldest first.
///
/// # Errors
/// Database failures.
pub async fn due(db: &Db, now: i64, limit: i64) -> Result<Vec<DeliveryRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, message_id, url, payload, attempts, next_attempt_at FROM local_webhook_deliveries \
         WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// When the next pending delivery is due, if any.
///
/// # Errors
/// Database failures.
pub async fn next_due(db: &Db) -> Result<Option<i64>, AppError> {
    let (at,): (Option<i64>,) = sqlx::query_as(
        "SELECT MIN(next_attempt_at) FROM local_webhook_deliveries \
         WHERE delivered_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok(at)
}

/// Takes a due delivery for this process until `lease_until`; false when another process took it first.
///
/// # Errors
/// Database failures.
pub async fn claim(db: &Db, row: &DeliveryRow, lease_until: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE local_webhook_deliveries SET next_attempt_at = $1 \
         WHERE id = $2 AND next_attempt_at = $3 AND delivered_at IS NULL AND failed_at IS NULL",
    )
    .bind(lease_until)
    .bind(&row.id)
    .bind(row.next_attempt_at)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a try: delivered, to be tried again at `retry_at`, or (neither) given up.
///
/// # Errors
/// Database failures.
pub async fn record_try(
    db: &Db,
    id: &str,
    now: i64,
    delivered: bool,
    retry_at: Option<i64>,
    error: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE local_webhook_deliveries SET attempts = attempts + 1, last_error = $1, \
         delivered_at = CASE WHEN $2 = 1 THEN $3 ELSE NULL END, \
         failed_at = CASE WHEN $2 = 0 AND $4 = 0 THEN $3 ELSE NULL END, \
         next_attempt_at = CASE WHEN $4 = 1 THEN $5 ELSE next_attempt_at END WHERE id = $6",
    )
    .bind(error)
    .bind(i64::from(delivered))
    .bind(now)
    .bind(i64::from(retry_at.is_some()))
    .bind(retry_at.unwrap_or(0))
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}
