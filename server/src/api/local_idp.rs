//! The built-in identity provider's endpoints, shaped like Clerk's Frontend API: JWKS, sign-in/up form posts,
//! the client, session tokens (plain and `t2m-api`), and sign-out.

use crate::api::sign_in_refusal::refuse;
use crate::cookies;
use crate::extract::client_ip::ClientIp;
use crate::redirects::{provider_target, urlencode};
use app::error::AppError;
use app::services::auth::claims::API_TEMPLATE;
use app::services::auth::cookies::{self as names, CLIENT};
use app::services::auth::local_idp::account::{self, SignIn, SignUp, SignedIn};
use app::services::auth::local_idp::guard::MAX_PASSWORD_BYTES;
use app::services::AppState;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Value};

/// `GET /.well-known/jwks.json` and `/v1/jwks`.
pub async fn jwks(State(state): State<AppState>) -> Result<Response, AppError> {
    let keys = state.local_keys.as_ref().ok_or(AppError::NotFound)?;
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(keys.jwks()),
    )
        .into_response())
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    remember_me: Option<String>,
    #[serde(default)]
    redirect_url: Option<String>,
}

/// The sign-up form.
#[derive(Deserialize)]
pub struct SignUpForm {
    email: String,
    password: String,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    remember_me: Option<String>,
    #[serde(default)]
    redirect_url: Option<String>,
}

fn user_agent(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
}

/// The client address of a request, when the server was started with connect info.
fn peer_ip(extensions: &Extensions) -> Option<String> {
    extensions
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

/// Where a browser goes once signed in: `redirect_url` on the provider itself or on an app it signs in for.
fn after_sign_in(state: &AppState, redirect_url: Option<&str>, fallback: &str) -> String {
    provider_target(
        &state.config.app_url,
        &state.config.local_redirect_origins,
        redirect_url,
        fallback,
    )
    .after_sign_in()
}

/// Ends the browser's previous session (its old `__client` secret stops working), then sets the new cookie.
async fn signed_in_response(
    state: &AppState,
    request: (&HeaderMap, &Extensions),
    signed_in: &SignedIn,
    to: &str,
) -> Response {
    let (headers, extensions) = request;
    let previous = names::get(headers, CLIENT).filter(|s| !s.is_empty());
    let ip = peer_ip(extensions);
    if let Err(err) =
        account::replace_previous_session(state, previous, signed_in, ip.as_deref()).await
    {
        return back_to("/sign-in", &err, None);
    }
    let max_age = (signed_in.session.expires_at - signed_in.session.created_at) / 1000;
    let secure = state.config.is_https();
    let mut response = Redirect::to(to).into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        cookies::client(&signed_in.client_secret, max_age, secure),
    );
    // The page we land on mints the first session token through the handshake, which `__client_uat` invites.
    headers.append(header::SET_COOKIE, cookies::clear(names::SESSION, secure));
    headers.append(
        header::SET_COOKIE,
        cookies::client_uat(chrono::Utc::now().timestamp(), secure),
    );
    response
}

pub(crate) fn back_to(page: &str, error: &AppError, redirect_url: Option<&str>) -> Response {
    let mut url = format!("{page}?error={}", error.code());
    if let Some(target) = redirect_url {
        url.push_str("&redirect_url=");
        url.push_str(&urlencode(target));
    }
    Redirect::to(&url).into_response()
}

/// `POST /v1/client/sign_ins`: checks the form, sets the client cookie, goes to `redirect_url`.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    extensions: Extensions,
    Form(form): Form<SignInForm>,
) -> Response {
    let attempt = SignIn {
        email: &form.email,
        password: &form.password,
        remember_me: form.remember_me.is_some(),
        user_agent: user_agent(&headers),
        client_ip,
    };
    match account::sign_in(&state, attempt).await {
        Ok(signed_in) => {
            let to = after_sign_in(&state, form.redirect_url.as_deref(), "/dashboard");
            signed_in_response(&state, (&headers, &extensions), &signed_in, &to).await
        }
        Err(err) => refuse(
            err,
            "/sign-in",
            form.redirect_url.as_deref(),
            &headers,
            form.password.len() > MAX_PASSWORD_BYTES,
        ),
    }
}

/// `POST /v1/client/sign_ups`: creates the account, signs it in, goes to `redirect_url` or onboarding.
pub async fn sign_up(
    State(state): State<AppState>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    extensions: Extensions,
    Form(form): Form<SignUpForm>,
) -> Response {
    let request = SignUp {
        email: &form.email,
        password: &form.password,
        first_name: form.first_name.as_deref(),
        last_name: form.last_name.as_deref(),
        remember_me: form.remember_me.is_some(),
        user_agent: user_agent(&headers),
        client_ip,
    };
    match account::sign_up(&state, request).await {
        Ok(signed_in) => {
            let to = after_sign_in(&state, form.redirect_url.as_deref(), "/onboarding");
            signed_in_response(&state, (&headers, &extensions), &signed_in, &to).await
        }
        Err(err) => refuse(
            err,
            "/sign-up",
            form.redirect_url.as_deref(),
            &headers,
            form.password.len() > MAX_PASSWORD_BYTES,
        ),
    }
}

fn client_secret(headers: &HeaderMap) -> Result<&str, AppError> {
    names::get(headers, CLIENT)
        .filter(|s| !s.is_empty())
        .ok_or(AppError::MissingToken)
}

/// `GET /v1/client`: who is signed in on this browser, like Clerk's client resource.
pub async fn client(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    state.local_keys.as_ref().ok_or(AppError::NotFound)?;
    let Ok(secret) = client_secret(&headers) else {
        return Ok(Json(json!({ "signed_in": false, "session": null })));
    };
    match account::resolve(&state, secret, None).await {
        Ok((session, user)) => Ok(Json(json!({
            "signed_in": true,
            "session": {
                "id": session.id,
                "expire_at": session.expires_at,
                "user": {
                    "id": user.id,
                    "email": user.email,
                    "first_name": user.first_name,
                    "last_name": user.last_name,
                    "display_name": user.display_name(),
                }
            }
        }))),
        Err(AppError::SessionRevoked | AppError::SessionExpired) => {
            Ok(Json(json!({ "signed_in": false, "session": null })))
        }
        Err(err) => Err(err),
    }
}

/// How long ago the user last gave input, in milliseconds, as the browser's idle hook saw it (`clerk-local.js`
/// sends it on token requests). A duration rather than a time, so a wrong client clock does not matter.
pub const IDLE_HEADER: &str = "x-t2m-idle-ms";

/// `POST /v1/client/sessions/{sid}/tokens` and `/tokens/{template}`: a fresh token for the client's session.
/// Only requests carrying [`IDLE_HEADER`] count as user activity; background refreshes without it do not.
pub async fn session_token(
    State(state): State<AppState>,
    Path(params): Path<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let secret = client_secret(&headers)?;
    let sid = params
        .iter()
        .find(|(k, _)| k == "sid")
        .map(|(_, v)| v.as_str());
    let template = params
        .iter()
        .find(|(k, _)| k == "template")
        .map(|(_, v)| v.as_str());
    if template.is_some_and(|t| t != API_TEMPLATE) {
        return Err(AppError::NotFound);
    }
    let idle_ms = headers
        .get(IDLE_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let (token, session, _user) = account::session_token(&state, secret, template, idle_ms).await?;
    if sid.is_some_and(|sid| sid != session.id) {
        return Err(AppError::NotFound);
    }
    let mut response = Json(json!({ "object": "token", "jwt": token })).into_response();
    if template.is_none() {
        let max_age = i64::try_from(state.config.session_token_ttl.as_secs()).unwrap_or(60);
        response.headers_mut().append(
            header::SET_COOKIE,
            cookies::session(&token, max_age, state.config.is_https()),
        );
    }
    Ok(response)
}

/// Why a session is ended.
#[derive(Deserialize)]
pub struct EndQuery {
    #[serde(default)]
    reason: Option<String>,
}

/// `POST /v1/client/sessions/{sid}/end`: signs out and clears both cookies.
pub async fn end_session(
    State(state): State<AppState>,
    Query(query): Query<EndQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let reason = match query.reason.as_deref() {
        Some("inactivity") => "inactivity",
        _ => "signed_out",
    };
    if let Ok(secret) = client_secret(&headers) {
        account::sign_out(&state, secret, reason).await?;
    }
    let secure = state.config.is_https();
    // A plain HTML form (the sign-out button before the WASM has loaded, or with JavaScript off) gets a page to
    // land on, not JSON; `window.Clerk.signOut` posts without a form body and keeps its JSON answer.
    let from_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let mut response = if from_form {
        (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response()
    } else {
        (StatusCode::OK, Json(json!({ "signed_out": true }))).into_response()
    };
    let h = response.headers_mut();
    h.append(header::SET_COOKIE, cookies::clear(CLIENT, secure));
    h.append(header::SET_COOKIE, cookies::clear(names::SESSION, secure));
    h.append(header::SET_COOKIE, cookies::client_uat(0, secure));
    Ok(response)
}
