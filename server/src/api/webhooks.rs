//! `POST /api/webhooks/clerk`: Svix-signed Clerk events; no session.

use app::error::AppError;
use app::services::webhooks::clerk::{self, Delivery};
use app::services::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

/// Verifies the delivery and applies it.
pub async fn receive_clerk_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let outcome = clerk::receive(
        &state,
        Delivery {
            id: header("svix-id"),
            timestamp: header("svix-timestamp"),
            signature: header("svix-signature"),
            body: &body,
        },
    )
    .await?;
    Ok(Json(
        json!({ "success": true, "data": { "outcome": format!("{outcome:?}").to_lowercase() } }),
    ))
}
