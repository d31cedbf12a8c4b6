//! SQL for `webhook_events`: which Svix deliveries were applied.

use crate::error::AppError;
use crate::services::db::now_ms;
use sqlx::AnyConnection;

/// Records a delivery inside the transaction that applies it; false when it was applied before. Should the
/// apply fail, the transaction rolls back with this row, so Svix's retry applies the delivery then.
///
/// # Errors
/// Database failures.
pub async fn record_delivery(
    conn: &mut AnyConnection,
    id: &str,
    event_type: &str,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO webhook_events (id, event_type, received_at) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(event_type)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
