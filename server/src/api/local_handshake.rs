//! `GET /v1/client/handshake`: the built-in provider answers Clerk's handshake as the Frontend API does, so the
//! app's page loads take the one handshake path in both modes.

use crate::cookies;
use crate::redirects::provider_target;
use app::error::AppError;
use app::services::auth::cookies::{CLIENT, SESSION};
use app::services::auth::handshake::{self, HANDSHAKE_PARAM};
use app::services::auth::local_idp::account;
use app::services::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct HandshakeQuery {
    redirect_url: Option<String>,
}

/// Mints a fresh session for the browser's client (or signs it out), signs the cookies into a handshake JWT
/// and sends the browser back to `redirect_url`: a page of the provider's own, or of an app listed in
/// `T2M_LOCAL_REDIRECT_ORIGINS` (B in Clerk mode sends its browsers here); anything else becomes `/`.
pub async fn handshake(
    State(state): State<AppState>,
    Query(query): Query<HandshakeQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let keys = state.local_keys.as_ref().ok_or(AppError::NotFound)?;
    let secure = state.config.is_https();
    let now = chrono::Utc::now().timestamp();
    let secret = app::services::auth::cookies::get(&headers, CLIENT).filter(|s| !s.is_empty());
    let minted = match secret {
        // Loading a page is the user's doing, so it counts as activity (idle for 0 ms).
        Some(secret) => account::session_token(&state, secret, None, Some(0))
            .await
            .ok(),
        None => None,
    };
    let ended = secret.is_some() && minted.is_none();
    let set = match minted {
        Some((token, _, _)) => {
            let ttl = i64::try_from(state.config.session_token_ttl.as_secs()).unwrap_or(60);
            vec![
                cookies::line(SESSION, &token, ttl, secure),
                cookies::client_uat_line(now, secure),
            ]
        }
        None => vec![
            cookies::line(SESSION, "", 0, secure),
            cookies::client_uat_line(0, secure),
        ],
    };
    let jwt = handshake::sign(keys, &state.config.app_url, set, now).map_err(AppError::internal)?;
    let target = provider_target(
        &state.config.app_url,
        &state.config.local_redirect_origins,
        query.redirect_url.as_deref(),
        "/",
    )
    .absolute(&state.config.app_url);
    let (before_fragment, fragment) = match target.split_once('#') {
        Some((path, fragment)) => (path.to_owned(), format!("#{fragment}")),
        None => (target.clone(), String::new()),
    };
    let separator = if before_fragment.contains('?') {
        '&'
    } else {
        '?'
    };
    let location = format!("{before_fragment}{separator}{HANDSHAKE_PARAM}={jwt}{fragment}");
    let mut response = Redirect::temporary(&location).into_response();
    if ended {
        // The client session is over: the browser stops presenting its secret.
        response
            .headers_mut()
            .append(header::SET_COOKIE, cookies::clear(CLIENT, secure));
    }
    Ok(response)
}
