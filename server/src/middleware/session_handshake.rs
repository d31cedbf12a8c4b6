//! Clerk's handshake on page loads, in both modes: a page request whose `__session` is missing or stale while
//! `__client_uat` says the browser is signed in is sent to the Frontend API's `/v1/client/handshake` (Clerk's, or
//! the built-in provider's, which answers the same way); the `__clerk_handshake` JWT it sends back is verified
//! with the session verifier and its cookies set on a redirect to the same page without it.
//! API and server-function requests never redirect: they answer 401 `requires_refresh`.

use crate::redirects::urlencode;
use app::services::auth::cookies::{self as names, CLIENT_UAT, SESSION};
use app::services::auth::handshake::{
    client_signed_in, without_param, HANDSHAKE_PARAM, MAX_REDIRECTS, REDIRECT_COUNT_COOKIE,
};
use app::services::config::IdentityConfig;
use app::services::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;

/// Seconds before expiry at which a token counts as stale for rendering.
const FRESH_FOR_SECS: i64 = 10;
/// The redirect counter only has to outlive one round trip through the Frontend API.
const REDIRECT_COUNT_MAX_AGE: u32 = 3;

fn is_page_request(request: &Request) -> bool {
    request.method() == Method::GET && super::page_access::is_page(request.uri().path())
}

/// Whether the token has more than the freshness margin left, read without verifying: this only decides
/// whether to handshake; verification happens afterwards. The margin is at most half the token's lifetime, so a
/// token just minted by the handshake is always fresh (short-lived tokens would otherwise loop).
fn unverified_fresh(token: &str, now: i64) -> bool {
    let claims = token
        .split('.')
        .nth(1)
        .and_then(|payload| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .ok()
        })
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok());
    let Some(exp) = claims.as_ref().and_then(|c| c.get("exp")?.as_i64()) else {
        return false;
    };
    let lifetime = claims
        .as_ref()
        .and_then(|c| c.get("iat")?.as_i64())
        .map_or(2 * FRESH_FOR_SECS, |iat| exp - iat);
    exp - now > FRESH_FOR_SECS.min(lifetime / 2)
}

/// Where the handshake is answered: the Frontend API (the app itself for the built-in provider).
fn frontend_api(state: &AppState) -> Option<String> {
    match &state.config.identity {
        IdentityConfig::Local => Some(state.config.app_url.clone()),
        IdentityConfig::Clerk(clerk) => clerk.frontend_api.clone(),
    }
    .map(|url| url.trim_end_matches('/').to_owned())
}

fn handshake_param(query: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == HANDSHAKE_PARAM)
        .map(|(_, v)| v.into_owned())
}

fn redirect_count(value: u32, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{REDIRECT_COUNT_COOKIE}={value}; Path=/; Max-Age={REDIRECT_COUNT_MAX_AGE}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The middleware.
pub async fn refresh_session_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !is_page_request(&request) || state.config.dev_mode {
        return next.run(request).await;
    }
    let Some(frontend) = frontend_api(&state) else {
        return next.run(request).await;
    };
    let secure = state.config.is_https();
    let path_and_query = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let count: u32 = names::get(request.headers(), REDIRECT_COUNT_COOKIE)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if let Some(token) = handshake_param(request.uri().query()) {
        let clean = without_param(&path_and_query, HANDSHAKE_PARAM);
        let mut response = Redirect::temporary(&clean).into_response();
        let h = response.headers_mut();
        let now = chrono::Utc::now().timestamp();
        match state.verifier.verify_handshake(&token, now).await {
            Ok(cookies) => {
                for cookie in cookies {
                    if let Ok(value) = HeaderValue::from_str(&cookie) {
                        h.append(header::SET_COOKIE, value);
                    }
                }
                // The counter is left to expire on its own (seconds): resetting it here would let a token that
                // is stale on arrival send the browser round the handshake forever.
            }
            Err(err) => {
                // A refused handshake must not be retried for this page load: the counter says "give up".
                tracing::warn!(code = err.code(), "handshake refused");
                h.append(header::SET_COOKIE, redirect_count(MAX_REDIRECTS, secure));
            }
        }
        return response;
    }
    let headers = request.headers();
    let now = chrono::Utc::now().timestamp();
    let fresh = names::get(headers, SESSION).is_some_and(|token| unverified_fresh(token, now));
    if fresh || !client_signed_in(names::get(headers, CLIENT_UAT)) || count >= MAX_REDIRECTS {
        return next.run(request).await;
    }
    let page = format!(
        "{}{path_and_query}",
        state.config.app_url.trim_end_matches('/')
    );
    let location = format!(
        "{frontend}/v1/client/handshake?redirect_url={}",
        urlencode(&page)
    );
    let mut response = Redirect::temporary(&location).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, redirect_count(count + 1, secure));
    response
}
