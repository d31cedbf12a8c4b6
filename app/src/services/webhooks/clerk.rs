//! Clerk events T2M acts on: users created, updated and deleted. Each delivery is processed once (its Svix id
//! is recorded), so Clerk's retries are harmless.

use super::svix::WebhookSecret;
use crate::domain::user::{Role, Tier};
use crate::error::AppError;
use crate::services::db::now_ms;
use crate::services::users::{self, NewUser};
use crate::services::AppState;
use serde::Deserialize;
use serde_json::Value;

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
    Ignored,
}

/// The headers Svix signs with.
pub struct Delivery<'a> {
    pub id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub body: &'a [u8],
}

fn user_from(data: &Value) -> Option<NewUser> {
    let id = data.get("id")?.as_str()?.to_owned();
    let primary = data.get("primary_email_address_id").and_then(Value::as_str);
    let email = data
        .get("email_addresses")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .find(|e| primary.is_none() || e.get("id").and_then(Value::as_str) == primary)
                .and_then(|e| e.get("email_address"))
                .and_then(Value::as_str)
        })
        .map(str::to_lowercase);
    let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
    let meta = data.get("public_metadata").cloned().unwrap_or(Value::Null);
    let permissions = meta
        .get("permissions")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some(NewUser {
        id,
        email,
        password_hash: None,
        first_name: text("first_name"),
        last_name: text("last_name"),
        image_url: text("image_url"),
        role: meta
            .get("role")
            .and_then(Value::as_str)
            .map(Role::parse)
            .unwrap_or_default(),
        permissions,
        tier: meta
            .get("subscription_tier")
            .and_then(Value::as_str)
            .map(Tier::parse)
            .unwrap_or_default(),
    })
}

/// Verifies and applies one delivery.
///
/// # Errors
/// `NotFound` when no webhook secret is configured; `WebhookRejected` for a bad signature; `invalid_body` for
/// JSON that is not a Clerk event.
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
    let first_time = sqlx::query(
        "INSERT INTO webhook_events (id, event_type, received_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(&event.event_type)
    .bind(now_ms())
    .execute(&state.db.pool)
    .await?
    .rows_affected()
        == 1;
    if !first_time {
        return Ok(Outcome::AlreadyProcessed);
    }
    tracing::info!(event = %event.event_type, "Clerk webhook");
    match event.event_type.as_str() {
        "user.created" | "user.updated" => {
            let user = user_from(&event.data)
                .ok_or_else(|| AppError::invalid("body", "The event has no user id."))?;
            users::repo::upsert(&state.db, &user).await?;
            Ok(Outcome::Applied)
        }
        "user.deleted" => {
            let id = event
                .data
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            users::repo::mark_deleted(&state.db, id).await?;
            Ok(Outcome::Applied)
        }
        _ => Ok(Outcome::Ignored),
    }
}
