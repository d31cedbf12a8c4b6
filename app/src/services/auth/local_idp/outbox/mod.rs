//! Webhooks the built-in provider sends, as Clerk does through Svix: `user.created`, `user.updated`,
//! `user.deleted`, `session.created`, `session.ended` and `session.revoked`, in Clerk's envelope
//! (`{data, object: "event", type, timestamp}`), signed with a `whsec_` secret, to every URL of
//! `T2M_LOCAL_WEBHOOK_URLS`. Events are queued in the database after the change they describe and delivered by
//! a background task (`deliver.rs`) on Svix's retry schedule, so a restart drops nothing pending.

pub mod deliver;
pub mod repo;

use super::backend_api::{session_object, user_object};
use super::sessions;
use crate::services::config::local_webhooks::LocalWebhookConfig;
use crate::services::db::now_ms;
use crate::services::key_file;
use crate::services::users;
use crate::services::webhooks::svix::WebhookSecret;
use crate::services::AppState;
use base64::Engine;
use rand::RngCore;
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

/// Why the outbox could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("could not read or write the webhook signing secret at {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the webhook signing secret at {path} is not whsec_<base64>")]
    Invalid { path: String },
    #[error("could not build the webhook HTTP client: {0}")]
    Client(#[source] reqwest::Error),
}

/// The provider's outgoing webhooks: where they go, how they are signed, and the delivery task's wake-up.
pub struct LocalWebhooks {
    pub urls: Vec<String>,
    pub schedule: Vec<Duration>,
    secret: WebhookSecret,
    http: reqwest::Client,
    /// Rung when an event is queued, so it leaves at once rather than at the next poll.
    pub wake: tokio::sync::Notify,
}

impl LocalWebhooks {
    /// Where the signing secret lives under `data_dir`; give its contents to receivers as their
    /// `CLERK_WEBHOOK_SECRET`.
    pub fn secret_path(data_dir: &Path) -> std::path::PathBuf {
        data_dir.join("keys").join("webhook-signing-secret")
    }

    /// The outbox for `config`'s URLs (`None` without any), with the secret kept under `data_dir`
    /// (created on first use, mode 0600).
    ///
    /// # Errors
    /// When the secret cannot be read or written, or is not `whsec_<base64>`.
    pub fn open(config: &LocalWebhookConfig, data_dir: &Path) -> Result<Option<Self>, OutboxError> {
        if config.urls.is_empty() {
            return Ok(None);
        }
        let path = Self::secret_path(data_dir);
        let shown = path.display().to_string();
        let text = key_file::read_or_create(&path, || {
            let mut bytes = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut bytes);
            format!(
                "whsec_{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            )
        })
        .map_err(|source| OutboxError::Io {
            path: shown.clone(),
            source,
        })?;
        let secret = text
            .trim()
            .strip_prefix("whsec_")
            .and_then(|_| WebhookSecret::parse(text.trim()).ok())
            .ok_or(OutboxError::Invalid { path: shown })?;
        let http = reqwest::Client::builder()
            .user_agent(concat!("t2m-local-webhooks/", env!("CARGO_PKG_VERSION")))
            // Svix gives an endpoint 15 seconds to answer.
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(OutboxError::Client)?;
        Ok(Some(Self {
            urls: config.urls.clone(),
            schedule: config.schedule.clone(),
            secret,
            http,
            wake: tokio::sync::Notify::new(),
        }))
    }
}

/// Queues an event for every URL. A failure to queue is logged, never the caller's failure: the change it
/// describes has already happened.
pub async fn publish(state: &AppState, event_type: &str, data: Value) {
    let Some(hooks) = &state.local_webhooks else {
        return;
    };
    let now = now_ms();
    let message_id = format!("msg_{}", uuid::Uuid::now_v7().simple());
    let payload = json!({
        "data": data,
        "object": "event",
        "type": event_type,
        "timestamp": now,
        "instance_id": "ins_t2m_local",
    })
    .to_string();
    let first_at = now + millis(hooks.schedule.first().copied().unwrap_or_default());
    match repo::insert(
        &state.db,
        &message_id,
        &hooks.urls,
        event_type,
        &payload,
        now,
        first_at,
    )
    .await
    {
        Ok(()) => hooks.wake.notify_one(),
        Err(err) => tracing::error!(%err, event = event_type, "could not queue a webhook"),
    }
}

/// `user.created` / `user.updated` with the user as Clerk's Backend API shows them.
pub async fn user_changed(state: &AppState, event_type: &str, user_id: &str) {
    if state.local_webhooks.is_none() {
        return;
    }
    let user = match users::repo::find(&state.db, user_id).await {
        Ok(Some(user)) => user,
        Ok(None) => return,
        Err(err) => return tracing::error!(%err, "could not read a user for its webhook"),
    };
    match user_object(state, &user).await {
        Ok(data) => publish(state, event_type, data).await,
        Err(err) => tracing::error!(%err, "could not describe a user for its webhook"),
    }
}

/// `user.deleted`, which (as Clerk's) carries only the id.
pub async fn user_deleted(state: &AppState, user_id: &str) {
    publish(
        state,
        "user.deleted",
        json!({ "object": "user", "id": user_id, "deleted": true }),
    )
    .await;
}

/// `session.created` / `session.ended` / `session.revoked` with the session as Clerk's Backend API shows it.
pub async fn session_changed(state: &AppState, event_type: &str, session_id: &str) {
    if state.local_webhooks.is_none() {
        return;
    }
    match sessions::find_by_id(&state.db, session_id).await {
        Ok(Some(row)) => publish(state, event_type, session_object(&row, now_ms())).await,
        Ok(None) => {}
        Err(err) => tracing::error!(%err, "could not read a session for its webhook"),
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}
