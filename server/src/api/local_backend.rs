//! The built-in provider's Backend API subset (`/v1/users/{id}`, `/v1/users/{id}/metadata`,
//! `/v1/sessions/{id}`, `/v1/sessions/{id}/revoke`), authorized by `Authorization: Bearer sk_test_…` (the
//! provider's secret key). Refusals use Clerk's error shape, `{"errors":[{"code","message","long_message"}]}`,
//! since the callers are Clerk clients.

use app::error::AppError;
use app::services::auth::local_idp::backend_api;
use app::services::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// A refusal in Clerk's shape.
pub struct ClerkRefusal {
    status: StatusCode,
    code: &'static str,
    message: &'static str,
    long_message: String,
}

impl IntoResponse for ClerkRefusal {
    fn into_response(self) -> Response {
        let body = json!({ "errors": [{
            "code": self.code,
            "message": self.message,
            "long_message": self.long_message,
        }] });
        (self.status, Json(body)).into_response()
    }
}

impl From<AppError> for ClerkRefusal {
    fn from(err: AppError) -> Self {
        match err {
            AppError::NotFound => Self {
                status: StatusCode::NOT_FOUND,
                code: "resource_not_found",
                message: "not found",
                long_message: "Resource not found".into(),
            },
            AppError::InvalidInput { .. } => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "form_param_format_invalid",
                message: "is invalid",
                long_message: err.to_string(),
            },
            other => {
                // Logged with its cause by the same path every other 5xx takes; the caller learns nothing more.
                let _ = app::error::ApiError::from(other);
                Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    code: "internal_clerk_error",
                    message: "Oops, an unexpected error occurred",
                    long_message: "There was an internal error on our servers".into(),
                }
            }
        }
    }
}

fn unauthorized() -> ClerkRefusal {
    ClerkRefusal {
        status: StatusCode::UNAUTHORIZED,
        code: "authentication_invalid",
        message: "Invalid authentication",
        long_message: "Unable to authenticate the request, you need to supply an active API key"
            .into(),
    }
}

/// Lets the call through only with the provider's secret key; 404 in Clerk mode, where there is no provider.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ClerkRefusal> {
    let key = state
        .local_backend_key
        .as_ref()
        .ok_or_else(|| ClerkRefusal::from(AppError::NotFound))?;
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    if presented.is_empty() || !key.accepts(presented) {
        return Err(unauthorized());
    }
    Ok(())
}

type Answer = Result<Json<Value>, ClerkRefusal>;

/// `GET /v1/users/{id}`.
pub async fn get_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    authorize(&state, &headers)?;
    Ok(Json(backend_api::user(&state, &id).await?))
}

/// `DELETE /v1/users/{id}` → `{object: "user", id, deleted: true}`.
pub async fn delete_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    authorize(&state, &headers)?;
    Ok(Json(backend_api::delete_user(&state, &id).await?))
}

/// `PATCH /v1/users/{id}/metadata` `{public_metadata}` → the user.
pub async fn update_user_metadata(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    authorize(&state, &headers)?;
    let body: Value = if body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(&body)
            .map_err(|_| AppError::invalid("body", "The body is not valid JSON"))?
    };
    Ok(Json(
        backend_api::update_metadata(&state, &id, &body).await?,
    ))
}

/// `GET /v1/sessions/{id}`.
pub async fn get_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    authorize(&state, &headers)?;
    Ok(Json(backend_api::session(&state, &id).await?))
}

/// `POST /v1/sessions/{id}/revoke` → the session, `status: "revoked"`.
pub async fn revoke_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    authorize(&state, &headers)?;
    Ok(Json(backend_api::revoke_session(&state, &id).await?))
}
