//! A signed-in user of the built-in provider proving their password again (before changing it or deleting the
//! account), and changing it: every other session ends, so a thief holding one is out.

use super::account::{check_new_password, local_keys};
use super::{guard, passwords, sessions};
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::users::{self, UserRow};
use crate::services::AppState;

/// Why the other sessions ended after a change.
const PASSWORD_CHANGED: &str = "password_changed";

/// Checks the caller's current password, throttled per account and through the bounded hasher.
///
/// # Errors
/// `invalid_password` (400) when none is given or it is over 1 KiB; `WrongPassword` (403) when it does not
/// match; `NotFound` with Clerk (it keeps the passwords) or for an account without one; `RateLimited`,
/// `Overloaded`.
pub async fn confirm_password(
    state: &AppState,
    identity: &Identity,
    password: Option<&str>,
) -> Result<UserRow, AppError> {
    local_keys(state)?;
    let password = password
        .filter(|p| !p.is_empty())
        .ok_or_else(|| AppError::invalid("password", "Enter your current password."))?;
    guard::check_length(password)?;
    let user = users::repo::find(&state.db, &identity.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let stored = user.password_hash.clone().ok_or(AppError::NotFound)?;
    let email = user.email.clone().unwrap_or_else(|| user.id.clone());
    state.sign_in_guard.admit_account(&email).await?;
    let given = password.to_owned();
    let matches = state
        .sign_in_guard
        .hash(move || passwords::verify(&given, &stored))
        .await?;
    if matches {
        Ok(user)
    } else {
        Err(AppError::WrongPassword)
    }
}

/// Replaces the caller's password after checking the current one; ends every session of theirs but the one
/// the request came from. Returns how many sessions ended.
///
/// # Errors
/// As [`confirm_password`]; `invalid_password` when the new one breaks the sign-up rules.
#[tracing::instrument(skip_all, fields(user = %identity.user_id))]
pub async fn change_password(
    state: &AppState,
    identity: &Identity,
    current: Option<&str>,
    new: &str,
) -> Result<usize, AppError> {
    check_new_password(new)?;
    let user = confirm_password(state, identity, current).await?;
    let new = new.to_owned();
    let hash = state
        .sign_in_guard
        .hash(move || passwords::hash(&new))
        .await?
        .map_err(AppError::internal)?;
    let mut tx = state.db.pool.begin().await?;
    users::repo::set_password_hash(&mut tx, &user.id, &hash).await?;
    tx.commit().await?;
    sessions::end_all_except(
        &state.db,
        &user.id,
        identity.session_id.as_deref(),
        PASSWORD_CHANGED,
    )
    .await
}
