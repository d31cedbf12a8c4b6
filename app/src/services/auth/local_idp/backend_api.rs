//! The built-in provider's Backend API subset, shaped like Clerk's (`/v1/users/{id}`, its `metadata`,
//! `/v1/sessions/{id}` and its `revoke`), so a T2M in Clerk mode can run against it: role and plan changes
//! land here and the next token carries them; deleting a user or revoking a session acts here as Clerk would.
//! The caller has already shown the provider's secret key (`backend_key.rs`).

use super::outbox;
use super::sessions::{self, SessionRow};
use crate::error::AppError;
use crate::services::db::now_ms;
use crate::services::users::{metadata, purge, repo, UserRow};
use crate::services::AppState;
use serde_json::{json, Value};

/// Why a session ended when the Backend API revoked it (Clerk's status word for it).
const REVOKED: &str = "revoked";

/// `GET /v1/users/{id}`.
///
/// # Errors
/// `NotFound` for an unknown or deleted user.
#[tracing::instrument(skip_all, fields(user = %id))]
pub async fn user(state: &AppState, id: &str) -> Result<Value, AppError> {
    let user = repo::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    user_object(state, &user).await
}

/// `PATCH /v1/users/{id}/metadata` `{public_metadata?}`: merges it into the user's and answers the user.
///
/// # Errors
/// `invalid_public_metadata` for a value that is not an object; `NotFound` for an unknown user.
#[tracing::instrument(skip_all, fields(user = %id))]
pub async fn update_metadata(state: &AppState, id: &str, body: &Value) -> Result<Value, AppError> {
    let user = match body.get("public_metadata") {
        Some(patch) if !patch.is_null() => {
            let user = metadata::merge_public_metadata(&state.db, id, patch).await?;
            outbox::user_changed(state, "user.updated", id).await;
            user
        }
        _ => repo::find(&state.db, id).await?.ok_or(AppError::NotFound)?,
    };
    user_object(state, &user).await
}

/// `DELETE /v1/users/{id}`: the user and everything they own are gone, their sessions ended.
///
/// # Errors
/// `NotFound` for an unknown or already deleted user; database failures, after which nothing is gone.
#[tracing::instrument(skip_all, fields(user = %id))]
pub async fn delete_user(state: &AppState, id: &str) -> Result<Value, AppError> {
    repo::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    purge::purge(state, id, "deleted").await?;
    outbox::user_deleted(state, id).await;
    Ok(json!({ "object": "user", "id": id, "deleted": true }))
}

/// `GET /v1/sessions/{id}`.
///
/// # Errors
/// `NotFound` for an unknown session.
pub async fn session(state: &AppState, id: &str) -> Result<Value, AppError> {
    let row = sessions::find_by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(session_object(&row, now_ms()))
}

/// `POST /v1/sessions/{id}/revoke`: a live session ends (its tokens are refused at once); one already over is
/// answered as it is.
///
/// # Errors
/// `NotFound` for an unknown session.
#[tracing::instrument(skip_all, fields(session = %id))]
pub async fn revoke_session(state: &AppState, id: &str) -> Result<Value, AppError> {
    let row = sessions::find_by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if status(&row, now_ms()) == "active" {
        sessions::end(&state.db, id, REVOKED).await?;
        outbox::session_changed(state, "session.revoked", id).await;
    }
    session(state, id).await
}

/// A user as Clerk's Backend API (and its webhooks) describe one.
///
/// # Errors
/// Database failures.
pub async fn user_object(state: &AppState, user: &UserRow) -> Result<Value, AppError> {
    let email_id = format!("idn_{}", user.id.trim_start_matches("user_"));
    let emails = user.email.as_ref().map_or_else(Vec::new, |email| {
        vec![json!({
            "object": "email_address",
            "id": email_id,
            "email_address": email,
            "verification": { "status": "verified", "strategy": "email_code" },
        })]
    });
    Ok(json!({
        "object": "user",
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "image_url": user.image_url,
        "primary_email_address_id": user.email.as_ref().map(|_| email_id),
        "email_addresses": emails,
        "public_metadata": metadata::public_metadata(&state.db, user).await?,
        "private_metadata": {},
        "unsafe_metadata": {},
        "created_at": user.created_at,
        "updated_at": user.updated_at,
        "last_sign_in_at": user.last_sign_in_at,
    }))
}

/// Clerk's word for where a session stands.
fn status(row: &SessionRow, now: i64) -> &'static str {
    match (row.ended_at, row.end_reason.as_deref()) {
        (Some(_), Some(REVOKED)) => "revoked",
        (Some(_), Some(reason)) if reason.contains("remov") => "removed",
        (Some(_), _) => "ended",
        (None, _) if row.expires_at <= now => "expired",
        (None, _) => "active",
    }
}

/// A session as Clerk's Backend API (and its webhooks) describe one.
pub fn session_object(row: &SessionRow, now: i64) -> Value {
    json!({
        "object": "session",
        "id": row.id,
        "user_id": row.user_id,
        "client_id": format!("client_{}", row.id.trim_start_matches("sess_")),
        "status": status(row, now),
        "last_active_at": row.last_active_at,
        "expire_at": row.expires_at,
        "abandon_at": row.expires_at,
        "created_at": row.created_at,
        "updated_at": row.ended_at.unwrap_or(row.last_active_at),
    })
}
