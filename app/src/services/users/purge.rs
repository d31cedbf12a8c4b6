//! Removing everything of a user, for Clerk's `user.deleted` webhook and for `DELETE /api/v1/me` alike: one
//! list of what goes, so both roads forget the same things.

use crate::error::AppError;
use crate::services::auth::local_idp::{password_reset, sessions};
use crate::services::{batches, files, jobs, shares, users, AppState};
use sqlx::AnyConnection;

/// What must happen once the purge's transaction has committed.
#[derive(Debug, Default)]
#[must_use = "the stored bytes are removed only by `remove_bytes` after the commit"]
pub struct Purged {
    /// Storage keys of the user's files: bytes go only once no row can point at them.
    pub storage_keys: Vec<String>,
}

/// Deletes the user's rows inside the caller's transaction and leaves a tombstone, so their tokens answer
/// `user_deleted` and a late `user.created` cannot bring them back. `reason` is recorded on their sessions.
///
/// # Errors
/// Database failures (the caller's transaction then rolls back and nothing is gone).
pub async fn purge_in(
    conn: &mut AnyConnection,
    user_id: &str,
    reason: &str,
) -> Result<Purged, AppError> {
    users::repo::tombstone(conn, user_id).await?;
    let jobs = jobs::repo::delete_all_owned(conn, user_id).await?;
    let storage_keys = files::repo::delete_all_owned(conn, user_id).await?;
    sessions::end_and_forget_all(conn, user_id, reason).await?;
    password_reset::delete_all_for_user(conn, user_id).await?;
    shares::repo::delete_all_for_user(conn, user_id).await?;
    batches::repo::delete_all_for_user(conn, user_id).await?;
    tracing::info!(
        jobs,
        files = storage_keys.len(),
        "deleted user's data removed"
    );
    Ok(Purged { storage_keys })
}

/// Removes stored bytes after the rows are gone. A failure is logged, not raised: the rows are committed, so
/// nothing can reach the bytes any more; they are only wasted space, left for an operator to sweep.
pub async fn remove_bytes(state: &AppState, purged: Purged) {
    for key in purged.storage_keys {
        if let Err(err) = state.store.delete(&key).await {
            tracing::warn!(%err, "could not remove a deleted user's file bytes");
        }
    }
}

/// Purges a user in a transaction of its own, then removes their bytes.
///
/// # Errors
/// Database failures, after which nothing is gone.
pub async fn purge(state: &AppState, user_id: &str, reason: &str) -> Result<(), AppError> {
    let mut tx = state.db.pool.begin().await?;
    let purged = purge_in(&mut tx, user_id, reason).await?;
    tx.commit().await?;
    remove_bytes(state, purged).await;
    Ok(())
}
