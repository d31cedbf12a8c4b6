//! CSRF: a state-changing request must come from one of the app's exact origins.

use crate::error::AppError;
use http::{HeaderMap, Method};

/// Whether the method can change state.
fn is_state_changing(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

fn carries_session_cookie(headers: &HeaderMap) -> bool {
    super::cookies::has_any(headers, &[super::cookies::SESSION, super::cookies::CLIENT])
}

/// Rejects a state-changing request whose `Origin` is not exactly an allowed origin, and one riding on a
/// session cookie that proves neither its origin nor `Sec-Fetch-Site: same-origin`.
///
/// # Errors
/// `CsrfRejected`.
pub fn check(
    method: &Method,
    headers: &HeaderMap,
    allowed_origins: &[String],
) -> Result<(), AppError> {
    if !is_state_changing(method) {
        return Ok(());
    }
    if let Some(origin) = headers.get(http::header::ORIGIN) {
        // Exact comparison: "https://t2m-app.com.evil.io" merely contains the app's host and is refused.
        let origin = origin.to_str().map_err(|_| AppError::CsrfRejected)?;
        return if allowed_origins.iter().any(|allowed| allowed == origin) {
            Ok(())
        } else {
            Err(AppError::CsrfRejected)
        };
    }
    let same_origin = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "same-origin");
    if same_origin
        || headers.contains_key(http::header::AUTHORIZATION)
        || !carries_session_cookie(headers)
    {
        // Header-authenticated API clients may omit Origin; a request with no credentials changes nothing it
        // could not change anyway.
        return Ok(());
    }
    Err(AppError::CsrfRejected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, v.parse().unwrap());
        }
        map
    }

    const ALLOWED: &[&str] = &["https://t2m-app.com"];

    fn run(method: Method, pairs: &[(&'static str, &'static str)]) -> bool {
        let allowed: Vec<String> = ALLOWED.iter().map(|s| (*s).to_owned()).collect();
        check(&method, &headers(pairs), &allowed).is_ok()
    }

    #[test]
    fn safe_methods_pass() {
        assert!(run(
            Method::GET,
            &[("origin", "https://evil.io"), ("cookie", "__session=x")]
        ));
    }

    #[test]
    fn exact_origin_passes_and_lookalikes_fail() {
        assert!(run(Method::POST, &[("origin", "https://t2m-app.com")]));
        assert!(!run(
            Method::POST,
            &[("origin", "https://t2m-app.com.evil.io")]
        ));
        assert!(!run(
            Method::POST,
            &[("origin", "https://evil-t2m-app.com")]
        ));
        assert!(!run(Method::POST, &[("origin", "http://t2m-app.com")]));
        assert!(!run(
            Method::DELETE,
            &[("origin", "null"), ("authorization", "Bearer x")]
        ));
    }

    #[test]
    fn cookie_requests_without_origin_need_same_origin_fetch_metadata() {
        assert!(!run(Method::POST, &[("cookie", "__session=abc")]));
        assert!(!run(
            Method::POST,
            &[("cookie", "__session=abc"), ("sec-fetch-site", "same-site")]
        ));
        assert!(run(
            Method::POST,
            &[
                ("cookie", "__session=abc"),
                ("sec-fetch-site", "same-origin")
            ]
        ));
    }

    #[test]
    fn header_authenticated_clients_may_omit_origin() {
        assert!(run(Method::POST, &[("authorization", "Bearer x")]));
        assert!(run(Method::PUT, &[("cookie", "theme=dark")]));
    }
}
