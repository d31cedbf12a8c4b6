//! Set-Cookie values for the session cookies: HttpOnly, SameSite=Lax, Secure over HTTPS.

use app::services::auth::cookies::{CLIENT, SESSION};
use axum::http::HeaderValue;

fn build(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let cookie =
        format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The long-lived client cookie.
pub fn client(secret: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    build(CLIENT, secret, max_age_secs, secure)
}

/// The short-lived session token cookie.
pub fn session(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    build(SESSION, token, max_age_secs, secure)
}

/// Removes a cookie.
pub fn clear(name: &str, secure: bool) -> HeaderValue {
    build(name, "", 0, secure)
}
