//! `POST /api/v1/videos/{job_id}/shares` (body `{"expiresIn"?: seconds | null}`, optional), `GET /api/v1/shares`,
//! `DELETE /api/v1/shares/{id}`: the caller's public links to their videos.

use app::error::AppError;
use app::services::auth::Identity;
use app::services::shares::service;
use app::services::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// Reads `expiresIn`, telling an absent field (`None`: the default) from JSON `null` (`Some(None)`: until
/// revoked). An empty body takes the default.
fn requested_lifetime(body: &Bytes) -> Result<Option<Option<i64>>, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| AppError::invalid("body", "The body is not valid JSON."))?;
    let Value::Object(fields) = value else {
        return Err(AppError::invalid("body", "The body must be a JSON object."));
    };
    match fields.get("expiresIn") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(n) => n.as_i64().map(|secs| Some(Some(secs))).ok_or_else(|| {
            AppError::invalid(
                "expires_in",
                "expiresIn must be a whole number of seconds, or null.",
            )
        }),
    }
}

/// Makes a link to the video of one of the caller's completed jobs: 201 `{id, url, expires_at}`.
pub async fn create_share(
    State(state): State<AppState>,
    identity: Identity,
    Path(job_id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let lifetime = service::lifetime(requested_lifetime(&body)?)?;
    let created = service::create_share(&state, &identity, &job_id, lifetime).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "success": true, "data": created })),
    ))
}

/// The caller's active links, newest first: `{items}` (their URLs cannot be shown again).
pub async fn list_shares(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<Value>, AppError> {
    let items = service::list_shares(&state, &identity).await?;
    Ok(Json(json!({ "success": true, "data": { "items": items } })))
}

/// Revokes one of the caller's links: 204.
pub async fn revoke_share(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    service::revoke_share(&state, &identity, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_null_and_numbers_are_told_apart() {
        assert_eq!(requested_lifetime(&Bytes::new()).unwrap(), None);
        assert_eq!(requested_lifetime(&Bytes::from("{}")).unwrap(), None);
        assert_eq!(
            requested_lifetime(&Bytes::from(r#"{"expiresIn":null}"#)).unwrap(),
            Some(None)
        );
        assert_eq!(
            requested_lifetime(&Bytes::from(r#"{"expiresIn":60}"#)).unwrap(),
            Some(Some(60))
        );
        for bad in [
            r#"{"expiresIn":"60"}"#,
            r#"{"expiresIn":1.5}"#,
            r#"{"expiresIn":true}"#,
        ] {
            let err = requested_lifetime(&Bytes::from(bad)).unwrap_err();
            assert_eq!(err.code(), "invalid_expires_in", "{bad}");
        }
        for bad in ["{", "[1]", "60"] {
            let err = requested_lifetime(&Bytes::from(bad)).unwrap_err();
            assert_eq!(err.code(), "invalid_body", "{bad}");
        }
    }
}
