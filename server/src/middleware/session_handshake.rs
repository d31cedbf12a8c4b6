//! The local provider's handshake: a page request that carries a live client cookie but no fresh session token
//! gets one minted before rendering (Clerk does the same with a redirect through its Frontend API).

use crate::cookies;
use app::services::auth::cookies::{self as names, CLIENT, SESSION};
use app::services::auth::local_idp::account;
use app::services::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;

/// Seconds before expiry at which a token counts as stale for rendering.
const FRESH_FOR_SECS: i64 = 10;

fn is_page_request(request: &Request) -> bool {
    request.method() == Method::GET && super::page_access::is_page(request.uri().path())
}

/// Reads `exp` without verifying: this only decides whether to mint; verification happens afterwards as usual.
fn unverified_exp(token: &str) -> Option<i64> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()?
        .get("exp")?
        .as_i64()
}

/// The middleware.
pub async fn refresh_session_token(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if state.local_keys.is_none() || !is_page_request(&request) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let Some(secret) = names::get(headers, CLIENT).map(str::to_owned) else {
        return next.run(request).await;
    };
    let now = chrono::Utc::now().timestamp();
    let fresh = names::get(headers, SESSION)
        .and_then(unverified_exp)
        .is_some_and(|exp| exp - now > FRESH_FOR_SECS);
    if fresh {
        return next.run(request).await;
    }
    let secure = state.config.is_https();
    // Loading a page is the user's doing, so it counts as activity (idle for 0 ms).
    match account::session_token(&state, &secret, None, Some(0)).await {
        Ok((token, _, _)) => {
            let rebuilt = names::with_replaced(request.headers(), SESSION, &token);
            if let Ok(value) = HeaderValue::from_str(&rebuilt) {
                request.headers_mut().remove(header::COOKIE);
                request.headers_mut().insert(header::COOKIE, value);
            }
            let mut response = next.run(request).await;
            let ttl = i64::try_from(state.config.session_token_ttl.as_secs()).unwrap_or(60);
            response
                .headers_mut()
                .append(header::SET_COOKIE, cookies::session(&token, ttl, secure));
            response
        }
        Err(_) => {
            // The client session is over: drop both cookies so the browser stops presenting them.
            let mut response = next.run(request).await;
            let h = response.headers_mut();
            h.append(header::SET_COOKIE, cookies::clear(CLIENT, secure));
            h.append(header::SET_COOKIE, cookies::clear(SESSION, secure));
            response
        }
    }
}
