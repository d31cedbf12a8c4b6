//! The delivery task: sends due events with Svix's headers (`svix-id`, `svix-timestamp`,
//! `svix-signature: v1,<base64 HMAC>`), marks a 2xx delivered, and schedules anything else for the next
//! step of the retry schedule until it is spent.

use super::repo::{self, DeliveryRow};
use super::{millis, LocalWebhooks};
use crate::services::db::now_ms;
use crate::services::AppState;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Longest sleep between looks at the table (deliveries queued by other machines, or missed wake-ups).
const MAX_IDLE: Duration = Duration::from_secs(5);
/// How long a claimed delivery is this process' before another may take it (longer than one try lasts).
const LEASE: Duration = Duration::from_secs(60);

/// Runs until `shutdown`; returns at once when the provider sends no webhooks.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    let Some(hooks) = state.local_webhooks.clone() else {
        return;
    };
    loop {
        match repo::due(&state.db, now_ms(), 32).await {
            Ok(batch) => {
                for row in batch {
                    if shutdown.is_cancelled() {
                        return;
                    }
                    attempt(&state, &hooks, row).await;
                }
            }
            Err(err) => tracing::warn!(%err, "could not read pending webhooks"),
        }
        let idle = match repo::next_due(&state.db).await {
            Ok(Some(at)) => {
                Duration::from_millis(u64::try_from(at - now_ms()).unwrap_or(0)).min(MAX_IDLE)
            }
            _ => MAX_IDLE,
        };
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = hooks.wake.notified() => {}
            () = tokio::time::sleep(idle) => {}
        }
    }
}

async fn attempt(state: &AppState, hooks: &LocalWebhooks, row: DeliveryRow) {
    match repo::claim(&state.db, &row, now_ms() + millis(LEASE)).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(err) => return tracing::warn!(%err, "could not claim a webhook"),
    }
    let timestamp = chrono::Utc::now().timestamp();
    let signature = hooks
        .secret
        .sign(&row.message_id, timestamp, row.payload.as_bytes());
    let sent = hooks
        .http
        .post(&row.url)
        .header("content-type", "application/json")
        .header("svix-id", &row.message_id)
        .header("svix-timestamp", timestamp.to_string())
        .header("svix-signature", format!("v1,{signature}"))
        .body(row.payload.clone())
        .send()
        .await;
    let error = match sent {
        Ok(res) if res.status().is_success() => None,
        Ok(res) => Some(format!("HTTP {}", res.status())),
        Err(err) => Some(err.to_string()),
    };
    let now = now_ms();
    let tries = usize::try_from(row.attempts + 1).unwrap_or(usize::MAX);
    let retry_at = error
        .as_ref()
        .and_then(|_| hooks.schedule.get(tries))
        .map(|wait| now + millis(*wait));
    match (&error, retry_at) {
        (None, _) => tracing::info!(url = %row.url, id = %row.message_id, "webhook delivered"),
        (Some(err), Some(_)) => {
            tracing::warn!(url = %row.url, %err, tries, "webhook failed; will retry")
        }
        (Some(err), None) => tracing::error!(url = %row.url, %err, tries, "webhook given up"),
    }
    if let Err(err) = repo::record_try(
        &state.db,
        &row.id,
        now,
        error.is_none(),
        retry_at,
        error.as_deref(),
    )
    .await
    {
        tracing::warn!(%err, "could not record a webhook try");
    }
}
