//! Set-Cookie values for the session cookies: HttpOnly, SameSite=Lax, Secure over HTTPS.

use app::services::auth::cookies::{CLIENT, CLIENT_UAT, SESSION};
use axum::http::HeaderValue;

/// How long `__client_uat` outlives the page (Clerk keeps it a year; it only says "signed in since").
const CLIENT_UAT_MAX_AGE: i64 = 365 * 24 * 3600;

/// One Set-Cookie line.
pub fn line(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

fn build(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    HeaderValue::from_str(&line(name, value, max_age, secure))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The long-lived client cookie.
pub fn client(secret: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    build(CLIENT, secret, max_age_secs, secure)
}

/// The short-lived session token cookie.
pub fn session(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    build(SESSION, token, max_age_secs, secure)
}

/// `__client_uat` as a Set-Cookie line: the time the client signed in, or `0` for signed out.
pub fn client_uat_line(signed_in_at: i64, secure: bool) -> String {
    line(
        CLIENT_UAT,
        &signed_in_at.to_string(),
        CLIENT_UAT_MAX_AGE,
        secure,
    )
}

/// `__client_uat` as a header value.
pub fn client_uat(signed_in_at: i64, secure: bool) -> HeaderValue {
    HeaderValue::from_str(&client_uat_line(signed_in_at, secure))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Removes a cookie.
pub fn clear(name: &str, secure: bool) -> HeaderValue {
    build(name, "", 0, secure)
}
