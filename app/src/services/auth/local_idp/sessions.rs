//! SQL for the local provider's client sessions (what Clerk keeps behind its `__client` cookie).
//!
//! `last_active_at` is the user's last input as the browser reported it (or a sign-in or page load), not the
//! last token minted: background refreshes must not keep an abandoned session alive.

use crate::error::AppError;
use crate::services::auth::revocations;
use crate::services::db::{now_ms, Db};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, FromRow};

/// Seven days, or thirty with "remember me".
pub const SESSION_DAYS: i64 = 7;
/// Lifetime with "remember me".
pub const REMEMBER_ME_DAYS: i64 = 30;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A stored client session.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub remember_me: i64,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub created_at: i64,
    pub last_active_at: i64,
    pub expires_at: i64,
    pub ended_at: Option<i64>,
    pub end_reason: Option<String>,
}

fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Starts a session; returns it and the secret for the client cookie (only its hash is stored).
///
/// # Errors
/// Database failures.
pub async fn create(
    db: &Db,
    user_id: &str,
    remember_me: bool,
    user_agent: Option<&str>,
    ip: Option<&str>,
) -> Result<(SessionRow, String), AppError> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let id = format!("sess_{}", uuid::Uuid::now_v7().simple());
    let now = now_ms();
    let days = if remember_me {
        REMEMBER_ME_DAYS
    } else {
        SESSION_DAYS
    };
    sqlx::query(
        "INSERT INTO sessions (id, user_id, client_token_hash, remember_me, user_agent, ip, created_at, \
         last_active_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(hash_secret(&secret))
    .bind(i64::from(remember_me))
    .bind(user_agent.map(|ua| ua.chars().take(200).collect::<String>()))
    .bind(ip)
    .bind(now)
    .bind(now + days * DAY_MS)
    .execute(&db.pool)
    .await?;
    let row = find_by_id(db, &id).await?.ok_or(AppError::NotFound)?;
    Ok((row, secret))
}

const COLUMNS: &str =
    "id, user_id, remember_me, user_agent, ip, created_at, last_active_at, expires_at, ended_at, end_reason";

/// A session by id, live or not.
///
/// # Errors
/// Database failures.
pub async fn find_by_id(db: &Db, id: &str) -> Result<Option<SessionRow>, AppError> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM sessions WHERE id = $1"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// The session a client secret belongs to, live or not (so an ended one can say why it ended).
///
/// # Errors
/// Database failures.
pub async fn find_by_secret(db: &Db, secret: &str) -> Result<Option<SessionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE client_token_hash = $1"
    ))
    .bind(hash_secret(secret))
    .fetch_optional(&db.pool)
    .await?)
}

/// The live session a client secret belongs to.
///
/// # Errors
/// Database failures.
pub async fn find_active(db: &Db, secret: &str) -> Result<Option<SessionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE client_token_hash = $1 AND ended_at IS NULL AND expires_at > $2"
    ))
    .bind(hash_secret(secret))
    .bind(now_ms())
    .fetch_optional(&db.pool)
    .await?)
}

/// Records user activity at `at` (ms); never moves it back.
///
/// # Errors
/// Database failures.
pub async fn record_activity(db: &Db, id: &str, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE sessions SET last_active_at = $1 WHERE id = $2 AND last_active_at < $1")
        .bind(at)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Records where a session signed in from.
///
/// # Errors
/// Database failures.
pub async fn record_ip(db: &Db, id: &str, ip: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE sessions SET ip = $1 WHERE id = $2")
        .bind(ip.chars().take(64).collect::<String>())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Ends a session (sign-out, inactivity, revocation, a newer sign-in) and refuses its live tokens at once.
///
/// # Errors
/// Database failures.
pub async fn end(db: &Db, id: &str, reason: &str) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await?;
    end_in(&mut tx, id, reason).await?;
    tx.commit().await?;
    Ok(())
}

async fn end_in(conn: &mut AnyConnection, id: &str, reason: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL",
    )
    .bind(now_ms())
    .bind(reason)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    revocations::revoke(conn, id, None, reason).await
}

/// Ends the user's live sessions except `keep` (the caller's own); returns how many ended.
///
/// # Errors
/// Database failures.
pub async fn end_all_except(
    db: &Db,
    user_id: &str,
    keep: Option<&str>,
    reason: &str,
) -> Result<usize, AppError> {
    let mut tx = db.pool.begin().await?;
    let ended = end_all_in(&mut tx, user_id, keep, reason).await?;
    tx.commit().await?;
    Ok(ended)
}

/// Ends every live session of a user inside the caller's transaction (account deletion).
///
/// # Errors
/// Database failures.
pub async fn end_all_for_user(
    conn: &mut AnyConnection,
    user_id: &str,
    reason: &str,
) -> Result<usize, AppError> {
    end_all_in(conn, user_id, None, reason).await
}

async fn end_all_in(
    conn: &mut AnyConnection,
    user_id: &str,
    keep: Option<&str>,
    reason: &str,
) -> Result<usize, AppError> {
    let ids: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM sessions WHERE user_id = $1 AND ended_at IS NULL AND id <> $2",
    )
    .bind(user_id)
    .bind(keep.unwrap_or_default())
    .fetch_all(&mut *conn)
    .await?;
    for (id,) in &ids {
        end_in(conn, id, reason).await?;
    }
    Ok(ids.len())
}

/// Ends one live session if `user_id` owns it; false when there is no such session of theirs.
///
/// # Errors
/// Database failures.
pub async fn end_owned(db: &Db, user_id: &str, id: &str, reason: &str) -> Result<bool, AppError> {
    let mut tx = db.pool.begin().await?;
    let owned: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM sessions WHERE id = $1 AND user_id = $2 AND ended_at IS NULL AND expires_at > $3",
    )
    .bind(id)
    .bind(user_id)
    .bind(now_ms())
    .fetch_optional(&mut *tx)
    .await?;
    if owned.is_none() {
        return Ok(false);
    }
    end_in(&mut tx, id, reason).await?;
    tx.commit().await?;
    Ok(true)
}

/// A user's live sessions, most recently active first.
///
/// # Errors
/// Database failures.
pub async fn list_active(db: &Db, user_id: &str) -> Result<Vec<SessionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE user_id = $1 AND ended_at IS NULL AND expires_at > $2 \
         ORDER BY last_active_at DESC"
    ))
    .bind(user_id)
    .bind(now_ms())
    .fetch_all(&db.pool)
    .await?)
}

/// Ends every session of a user and deletes their rows (where and how they signed in), inside the caller's
/// transaction: the account is being deleted. The ended ids stay in `revoked_sessions` for token refusal.
///
/// # Errors
/// Database failures.
pub async fn end_and_forget_all(
    conn: &mut AnyConnection,
    user_id: &str,
    reason: &str,
) -> Result<usize, AppError> {
    let ended = end_all_in(conn, user_id, None, reason).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(ended)
}
