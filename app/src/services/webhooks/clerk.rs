//! Clerk events T2M acts on: users created, updated and deleted; sessions ended, revoked and removed.
//! Each delivery is recorded and applied in one transaction, so a failed apply leaves no record and Svix's
//! retry applies it, while a delivery applied once is only acknowledged when it comes again.

use super::clerk_user::{updated_at, user_from};
use super::repo::record_delivery;
use super::svix::WebhookSecret;
use crate::error::AppError;
use crate::services::auth::{local_idp, revocations};
use crate::services::{files, jobs, users, AppState};
use serde::Deserialize;
use serde_json::Value;
use sqlx::AnyConnection;

/// The envelope of a Clerk webhook.
#[derive(Debug, Deserialize)]
pub struct ClerkEvent {
    #[serde(rename = "type")]
    pub event_type: String,
    pub data: Value,
}

/// What happened to a delivery.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    AlreadyProcessed,
    /// Acknowledged without change: an event T2M does not use, or one older than what is stored.
    Ignored,
}

/// The headers Svix signs with.
pub struct Delivery<'a> {
    pub id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub body: &'a [u8],
}

/// Work left for after the commit: bytes are removed only once no row can point at them any more.
#[derive(Default)]
struct AfterCommit {
    storage_keys: Vec<String>,
}

/// Verifies and applies one delivery.
///
/// # Errors
/// `NotFound` when no webhook secret is configured; `WebhookRejected` for a bad signature; `invalid_body` for
/// JSON that is not a Clerk event; database failures, after which nothing of the delivery is kept.
#[tracing::instrument(skip_all)]
pub async fn receive(state: &AppState, delivery: Delivery<'_>) -> Result<Outcome, AppError> {
    use secrecy::ExposeSecret;
    let raw = state
        .config
        .webhook_secret
        .as_ref()
        .ok_or(AppError::NotFound)?;
    let secret = WebhookSecret::parse(raw.expose_secret()).map_err(AppError::internal)?;
    let now = chrono::Utc::now().timestamp();
    secret.verify(
        delivery.id,
        delivery.timestamp,
        delivery.signature,
        delivery.body,
        now,
    )?;
    let event: ClerkEvent = serde_json::from_slice(delivery.body)
        .map_err(|e| AppError::invalid("body", format!("Not a Clerk event: {e}")))?;
    let id = delivery.id.unwrap_or_default();
    let mut tx = state.db.pool.begin().await?;
    if !record_delivery(&mut tx, id, &event.event_type).await? {
        return Ok(Outcome::AlreadyProcessed);
    }
    let mut after = AfterCommit::default();
    let outcome = apply(&mut tx, &event, &mut after).await?;
    tx.commit().await?;
    tracing::info!(event = %event.event_type, ?outcome, "Clerk webhook");
    remove_bytes(state, after.storage_keys).await;
    Ok(outcome)
}

fn id_of(data: &Value) -> Result<&str, AppError> {
    data.get("id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| AppError::invalid("body", "The event has no id."))
}

async fn apply(
    conn: &mut AnyConnection,
    event: &ClerkEvent,
    after: &mut AfterCommit,
) -> Result<Outcome, AppError> {
    match event.event_type.as_str() {
        "user.created" | "user.updated" => {
            let user = user_from(&event.data)
                .ok_or_else(|| AppError::invalid("body", "The event has no user id."))?;
            let applied = users::repo::apply_mirrored(conn, &user, updated_at(&event.data)).await?;
            Ok(if applied {
                Outcome::Applied
            } else {
                Outcome::Ignored
            })
        }
        "user.deleted" => {
            let id = id_of(&event.data)?;
            users::repo::tombstone(conn, id).await?;
            let canceled = jobs::repo::cancel_all_for_user(conn, id).await?;
            crate::services::batches::repo::delete_all_for_user(conn, id).await?;
            after.storage_keys = files::repo::delete_all_owned(conn, id).await?;
            local_idp::sessions::end_all_for_user(conn, id, "user_deleted").await?;
            tracing::info!(
                canceled,
                files = after.storage_keys.len(),
                "deleted user's data removed"
            );
            Ok(Outcome::Applied)
        }
        "session.ended" | "session.revoked" | "session.removed" => {
            let sid = id_of(&event.data)?;
            let user_id = event.data.get("user_id").and_then(Value::as_str);
            let reason = event.event_type.trim_start_matches("session.");
            revocations::revoke(conn, sid, user_id, reason).await?;
            Ok(Outcome::Applied)
        }
        _ => Ok(Outcome::Ignored),
    }
}

/// Removes stored bytes after the rows are gone. A failure is logged, not raised: the rows are committed, so
/// nothing can reach the bytes any more; they are only wasted space, left for an operator to sweep.
async fn remove_bytes(state: &AppState, keys: Vec<String>) {
    for key in keys {
        if let Err(err) = state.store.delete(&key).await {
            tracing::warn!(%err, "could not remove a deleted user's file bytes");
        }
    }
}
