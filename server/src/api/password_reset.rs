//! The built-in provider's forgotten-password form posts: ask for a link (`/forgot-password`), then set a new
//! password with it (`/reset-password?token=…`). Browsers are redirected back to those pages; programs get
//! JSON. Asking answers the same whether or not the account exists.

use crate::api::sign_in_refusal::refuse;
use crate::extract::client_ip::ClientIp;
use crate::redirects::urlencode;
use app::services::auth::local_idp::password_reset;
use app::services::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::json;

/// The forgotten-password form.
#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// The reset form.
#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

fn from_browser(headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    header("sec-fetch-mode") == Some("navigate")
        || header(header::ACCEPT.as_str()).is_some_and(|accept| accept.contains("text/html"))
}

/// `POST /v1/client/password_resets`: mails a link if the account exists; 202 (or `/forgot-password?sent=1`)
/// either way. Throttled like sign-in.
pub async fn request_reset(
    State(state): State<AppState>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<ForgotForm>,
) -> Response {
    match password_reset::request_reset(&state, &form.email, client_ip).await {
        Ok(()) if from_browser(&headers) => Redirect::to("/forgot-password?sent=1").into_response(),
        Ok(()) => (
            StatusCode::ACCEPTED,
            Json(json!({ "success": true, "data": { "sent": true } })),
        )
            .into_response(),
        Err(err) => refuse(err, "/forgot-password", None, &headers, false),
    }
}

/// `POST /v1/client/password_resets/complete`: sets the new password; 200 (or `/sign-in?reset=done`). A bad
/// link answers 400 `invalid_reset_token`; a weak password 400 `invalid_password` (back to the form with the
/// token kept).
pub async fn complete_reset(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Response {
    let result = password_reset::reset_password(&state, &form.token, &form.password).await;
    match (result, from_browser(&headers)) {
        (Ok(()), true) => Redirect::to("/sign-in?reset=done").into_response(),
        (Ok(()), false) => {
            Json(json!({ "success": true, "data": { "reset": true } })).into_response()
        }
        (Err(err), true) => {
            let keep = if err.code() == "invalid_password" {
                format!("&token={}", urlencode(&form.token))
            } else {
                String::new()
            };
            Redirect::to(&format!("/reset-password?error={}{keep}", err.code())).into_response()
        }
        (Err(err), false) => err.into_response(),
    }
}
