//! Forgotten passwords of the built-in provider: a single-use link, valid 30 minutes, mailed to the account's
//! address. Asking always answers the same, whether or not the account exists; only a hash of each token is
//! stored; using one sets the password and ends every session of the user.

use super::account::{check_new_password, local_keys};
use super::{passwords, sessions};
use crate::error::AppError;
use crate::services::db::{now_ms, Db};
use crate::services::users;
use crate::services::AppState;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use std::net::IpAddr;

/// How long a link works.
pub const LINK_LIFETIME_MS: i64 = 30 * 60 * 1000;

/// Why the user's sessions ended.
const PASSWORD_RESET: &str = "password_reset";

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn bad_link() -> AppError {
    AppError::invalid(
        "reset_token",
        "This link is invalid, has expired or was already used. Ask for a new one.",
    )
}

/// Mails a reset link to `email` if it belongs to an account with a password; otherwise does nothing, and
/// answers the same either way. Throttled like sign-in (per account and per client IP). The mail is sent in
/// the background, so the answer's timing does not tell either.
///
/// # Errors
/// `RateLimited` when throttled; `NotFound` with Clerk (its own pages handle this); database failures.
#[tracing::instrument(skip_all)]
pub async fn request_reset(
    state: &AppState,
    email: &str,
    client_ip: IpAddr,
) -> Result<(), AppError> {
    local_keys(state)?;
    let email = email.trim().to_lowercase();
    state.sign_in_guard.admit(&email, client_ip).await?;
    let Some(user) = users::repo::find_by_email(&state.db, &email)
        .await?
        .filter(|u| u.password_hash.is_some())
    else {
        return Ok(());
    };
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = now_ms();
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(hash_token(&token))
    .bind(&user.id)
    .bind(now)
    .bind(now + LINK_LIFETIME_MS)
    .execute(&state.db.pool)
    .await?;
    let link = format!("{}/reset-password?token={token}", state.config.app_url);
    let body = format!(
        "Hello {},\n\nSomeone (we hope you) asked to reset the password of your T2M account.\n\
         Choose a new password here within 30 minutes; the link works once:\n\n{link}\n\n\
         If you did not ask for this, ignore this message: your password stays as it is.\n",
        user.display_name()
    );
    let mailer = state.mailer.clone();
    tokio::spawn(async move {
        if let Err(err) = mailer.send(&email, "Reset your T2M password", body).await {
            tracing::warn!(code = %err.code(), "could not send a password-reset mail");
        }
    });
    Ok(())
}

/// Whether `token` is a link that still works (the reset page asks before showing its form).
///
/// # Errors
/// Database failures.
pub async fn is_usable(db: &Db, token: &str) -> Result<bool, AppError> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(hash_token(token))
    .bind(now_ms())
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// Sets a new password through a link: the link is used up, every other link of the user too, and every
/// session of the user ends.
///
/// # Errors
/// `invalid_password` for a password breaking the sign-up rules; `invalid_reset_token` for an unknown,
/// expired or used link; `Overloaded` when every hashing slot is busy.
#[tracing::instrument(skip_all)]
pub async fn reset_password(state: &AppState, token: &str, new: &str) -> Result<(), AppError> {
    local_keys(state)?;
    check_new_password(new)?;
    // Checked before hashing, so a made-up token costs no hash.
    if !is_usable(&state.db, token).await? {
        return Err(bad_link());
    }
    let new = new.to_owned();
    let hash = state
        .sign_in_guard
        .hash(move || passwords::hash(&new))
        .await?
        .map_err(AppError::internal)?;
    let mut tx = state.db.pool.begin().await?;
    // Consumed with one conditional update, so two concurrent uses cannot both succeed.
    let used: Option<(String,)> = sqlx::query_as(
        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
         AND expires_at > $1 RETURNING user_id",
    )
    .bind(now_ms())
    .bind(hash_token(token))
    .fetch_optional(&mut *tx)
    .await?;
    let (user_id,) = used.ok_or_else(bad_link)?;
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now_ms())
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    users::repo::set_password_hash(&mut tx, &user_id, &hash)
        .await
        .map_err(|e| match e {
            AppError::NotFound => bad_link(),
            other => other,
        })?;
    sessions::end_all_for_user(&mut tx, &user_id, PASSWORD_RESET).await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets every link of a user (account deletion), inside the caller's transaction.
///
/// # Errors
/// Database failures.
pub async fn delete_all_for_user(conn: &mut AnyConnection, user_id: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
