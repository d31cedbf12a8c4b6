//! Whether a verified token's user and session still stand: deleted users and revoked session ids are refused
//! even while their tokens have lifetime left.
//!
//! Checked on every authenticated request with one round trip that does two primary-key lookups, and no
//! in-process cache: a cache would need a TTL (a window in which a revoked session still works on other
//! machines) and invalidation, while the lookup costs tens of microseconds on SQLite and one short query on
//! PostgreSQL. Revocations live in the database, so every machine sees them at once.

use crate::error::AppError;
use crate::services::db::{now_ms, Db};
use sqlx::AnyConnection;

/// How long a revoked session id is remembered: far longer than any session token lives (a minute by
/// default), short enough that the table stays small. Expired rows are purged on the next revocation.
pub const RETENTION_MS: i64 = 24 * 60 * 60 * 1000;

/// Refuses the tokens of session `sid` from now on.
///
/// # Errors
/// Database failures.
pub async fn revoke(
    conn: &mut AnyConnection,
    sid: &str,
    user_id: Option<&str>,
    reason: &str,
) -> Result<(), AppError> {
    let now = now_ms();
    sqlx::query("DELETE FROM revoked_sessions WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO revoked_sessions (sid, user_id, reason, revoked_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sid) DO UPDATE SET expires_at = excluded.expires_at",
    )
    .bind(sid)
    .bind(user_id)
    .bind(reason)
    .bind(now)
    .bind(now + RETENTION_MS)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Checks that the user is not deleted and the session not revoked.
///
/// # Errors
/// `UserDeleted`, `SessionRevoked`, or database failures.
pub async fn check_standing(db: &Db, user_id: &str, sid: Option<&str>) -> Result<(), AppError> {
    let (deleted_at, revoked): (Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT (SELECT deleted_at FROM users WHERE id = $1), \
         (SELECT reason FROM revoked_sessions WHERE sid = $2 AND expires_at > $3)",
    )
    .bind(user_id)
    .bind(sid.unwrap_or_default())
    .bind(now_ms())
    .fetch_one(&db.pool)
    .await?;
    if deleted_at.is_some() {
        return Err(AppError::UserDeleted);
    }
    if revoked.is_some() {
        return Err(AppError::SessionRevoked);
    }
    Ok(())
}
