//! The one way pages call the server. REST calls carry the `t2m-api` token as `Authorization: Bearer`; server
//! functions ride on the `__session` cookie. Either way, a 401 that says `requires_refresh` triggers one token
//! refresh and one retry, never more.

use super::clerk;
use crate::error::ApiError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Calls a server function; on `requires_refresh` refreshes the session once and calls it again.
///
/// # Errors
/// The server's error after at most one retry.
pub async fn with_refresh<T, F, Fut>(call: F) -> Result<T, ApiError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    match call().await {
        Err(err) if err.requires_refresh() => {
            clerk::refresh_tokens().await;
            call().await
        }
        other => other,
    }
}

#[derive(serde::Deserialize)]
struct Envelope<T> {
    data: T,
}

fn network_error(detail: impl std::fmt::Debug) -> ApiError {
    ApiError::new(
        "network_error",
        format!("Could not reach T2M ({detail:?}). Check your connection."),
    )
}

async fn send(
    method: &str,
    path: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> Result<(u16, String), ApiError> {
    let (method, path) = (method.to_owned(), path.to_owned());
    let (body, token) = (body.map(str::to_owned), token.map(str::to_owned));
    send_wrapper::SendWrapper::new(send_local(method, path, body, token)).await
}

async fn send_local(
    method: String,
    path: String,
    body: Option<String>,
    token: Option<String>,
) -> Result<(u16, String), ApiError> {
    let init = web_sys::RequestInit::new();
    init.set_method(&method);
    let headers = web_sys::Headers::new().map_err(network_error)?;
    headers
        .set("Accept", "application/json")
        .map_err(network_error)?;
    if let Some(token) = token {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(network_error)?;
    }
    if let Some(body) = &body {
        headers
            .set("Content-Type", "application/json")
            .map_err(network_error)?;
        init.set_body(&body.as_str().into());
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(&path, &init).map_err(network_error)?;
    let window = web_sys::window().ok_or_else(|| network_error("no window"))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(network_error)?
        .dyn_into()
        .map_err(network_error)?;
    let text = JsFuture::from(response.text().map_err(network_error)?)
        .await
        .map_err(network_error)?
        .as_string()
        .unwrap_or_default();
    Ok((response.status(), text))
}

fn decode<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        serde_json::from_str::<Envelope<T>>(text)
            .map(|e| e.data)
            .map_err(|e| ApiError::new("bad_response", format!("Unexpected answer from T2M: {e}")))
    } else {
        Err(serde_json::from_str::<ApiError>(text).unwrap_or_else(|_| {
            ApiError::new("http_error", format!("T2M answered with status {status}"))
        }))
    }
}

/// A REST call to `/api/v1…` with the API token, refreshed and retried once on `requires_refresh`.
///
/// # Errors
/// The server's error body, or `network_error`.
pub async fn request<T: DeserializeOwned, B: Serialize>(
    method: &str,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiError> {
    let body = body
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| ApiError::new("invalid_input", e.to_string()))?;
    let token = clerk::get_token(Some(clerk::API_TEMPLATE), false).await;
    let (status, text) = send(method, path, body.as_deref(), token.as_deref()).await?;
    match decode::<T>(status, &text) {
        Err(err) if status == 401 && err.requires_refresh() => {
            let token = clerk::refresh_tokens().await;
            let (status, text) = send(method, path, body.as_deref(), token.as_deref()).await?;
            decode(status, &text)
        }
        other => other,
    }
}

/// `GET` shorthand.
///
/// # Errors
/// As [`request`].
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    request::<T, ()>("GET", path, None).await
}

/// `POST` shorthand.
///
/// # Errors
/// As [`request`].
pub async fn post<T: DeserializeOwned, B: Serialize>(path: &str, body: &B) -> Result<T, ApiError> {
    request("POST", path, Some(body)).await
}
