//! `/api/v1/me` for the account itself: rename, picture, password, export, deletion.

use crate::cookies;
use crate::extract::json::ApiJson;
use app::error::AppError;
use app::services::auth::cookies::{CLIENT, SESSION};
use app::services::auth::local_idp::password_change;
use app::services::auth::Identity;
use app::services::users::account::{self, DeleteAccount};
use app::services::users::{avatar, export};
use app::services::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

/// `PATCH /api/v1/me` body.
#[derive(Deserialize)]
pub struct NameChange {
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
}

/// `PATCH /api/v1/me` → 200 with the stored names.
pub async fn update_me(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(change): ApiJson<NameChange>,
) -> Result<Json<Value>, AppError> {
    account::update_name(
        &state,
        &identity,
        change.first_name.as_deref(),
        change.last_name.as_deref(),
    )
    .await?;
    let user = app::services::users::repo::find(&state.db, &identity.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(json!({ "success": true, "data": {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name(),
        "image_url": user.image_url,
    }})))
}

/// `POST /api/v1/me/password` body.
#[derive(Deserialize)]
pub struct PasswordChange {
    #[serde(default)]
    current_password: Option<String>,
    new_password: String,
}

/// `POST /api/v1/me/password` → 200 `{sessions_ended}`: every other session of the caller is over.
pub async fn change_password(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(change): ApiJson<PasswordChange>,
) -> Result<Json<Value>, AppError> {
    let ended = password_change::change_password(
        &state,
        &identity,
        change.current_password.as_deref(),
        &change.new_password,
    )
    .await?;
    Ok(Json(
        json!({ "success": true, "data": { "sessions_ended": ended } }),
    ))
}

/// `DELETE /api/v1/me` → 204, and the browser's session cookies are cleared. The body is optional JSON:
/// `{"password"}` (built-in provider) or `{"confirm"}` (Clerk).
pub async fn delete_me(
    State(state): State<AppState>,
    identity: Identity,
    body: Bytes,
) -> Result<Response, AppError> {
    let request: DeleteAccount = if body.iter().all(u8::is_ascii_whitespace) {
        DeleteAccount::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| AppError::invalid("body", format!("The body is not valid JSON: {e}")))?
    };
    account::delete_account(&state, &identity, &request).await?;
    let secure = state.config.is_https();
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, cookies::clear(CLIENT, secure));
    headers.append(header::SET_COOKIE, cookies::clear(SESSION, secure));
    headers.append(header::SET_COOKIE, cookies::client_uat(0, secure));
    Ok(response)
}

/// `GET /api/v1/me/export` → `application/zip`, streamed from a temp file.
pub async fn export_me(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Response, AppError> {
    let file = export::build(&state, &identity).await?;
    let length = file.metadata().await?.len();
    let name = format!("t2m-export-{}.zip", chrono::Utc::now().format("%Y%m%d"));
    let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
        file,
        256 * 1024,
    ));
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CONTENT_LENGTH, length.to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// Longest a picture upload may take in all.
const AVATAR_TIMEOUT: Duration = Duration::from_secs(60);

/// `POST /api/v1/me/avatar` (multipart, field `file`) → 201 with the file record. A browser's plain form post
/// goes back to `/profile` (with `?error=<code>` when refused).
pub async fn upload_avatar(
    State(state): State<AppState>,
    identity: Identity,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let result = match tokio::time::timeout(AVATAR_TIMEOUT, read_avatar(multipart)).await {
        Ok(Ok(bytes)) => avatar::set_avatar(&state, &identity, bytes).await,
        Ok(Err(err)) => Err(err),
        Err(_) => Err(AppError::invalid(
            "file",
            "The upload stalled and was abandoned.",
        )),
    };
    let browser = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    match (result, browser) {
        (Ok(_), true) => Redirect::to("/profile").into_response(),
        (Err(err), true) => Redirect::to(&format!("/profile?error={}", err.code())).into_response(),
        (Ok(file), false) => (
            StatusCode::CREATED,
            Json(json!({ "success": true, "data": file })),
        )
            .into_response(),
        (Err(err), false) => err.into_response(),
    }
}

/// The `file` field's bytes, refused as soon as they pass the picture limit.
async fn read_avatar(
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Vec<u8>, AppError> {
    let bad = || AppError::invalid("file", "Send the picture as multipart field `file`.");
    let mut multipart = multipart.map_err(|_| bad())?;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| bad())? {
        if field.name() != Some("file") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| bad())? {
            if bytes.len() + chunk.len() > avatar::MAX_AVATAR_BYTES {
                return Err(AppError::PayloadTooLarge {
                    limit_bytes: avatar::MAX_AVATAR_BYTES as u64,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(bytes);
    }
    Err(bad())
}

/// `GET /api/v1/me/avatar` → 302 to a short-lived signed URL of the caller's picture; 404 without one.
pub async fn get_avatar(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Response, AppError> {
    let url = avatar::avatar_url(&state, &identity).await?;
    let mut response = Redirect::to(&url).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, max-age=60"),
    );
    Ok(response)
}
