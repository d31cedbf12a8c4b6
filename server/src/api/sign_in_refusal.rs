//! How a refused sign-in or sign-up is answered: refusals that protect the server keep their status for
//! programs and become a notice on the form, saying when to retry, for browsers.

use super::local_idp::back_to;
use crate::redirects::urlencode;
use app::error::AppError;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};

/// A browser navigating (the built-in form) rather than a program posting the form itself.
fn from_browser(headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    header("sec-fetch-mode") == Some("navigate")
        || header(header::ACCEPT.as_str()).is_some_and(|accept| accept.contains("text/html"))
}

/// Answers a failed sign-in/sign-up. Refusals that protect the server (throttles, a full hasher, an overlong
/// password) keep their status for programs and become a page notice, saying when to retry, for browsers;
/// everything else goes back to the form as it always has.
pub(crate) fn refuse(
    err: AppError,
    page: &str,
    redirect_url: Option<&str>,
    headers: &HeaderMap,
    password_too_long: bool,
) -> Response {
    let wait = match &err {
        AppError::RateLimited(info) => Some(("too_many_attempts", info.retry_after_secs)),
        AppError::Overloaded { retry_after_secs } => Some(("server_busy", *retry_after_secs)),
        _ => None,
    };
    let protective = wait.is_some() || password_too_long || matches!(err, AppError::Unavailable(_));
    if !protective {
        return back_to(page, &err, redirect_url);
    }
    if !from_browser(headers) {
        return err.into_response();
    }
    let Some((code, secs)) = wait else {
        return back_to(page, &err, redirect_url);
    };
    let mut url = format!("{page}?error={code}&retry_after={secs}");
    if let Some(target) = redirect_url {
        url.push_str("&redirect_url=");
        url.push_str(&urlencode(target));
    }
    let mut response = Redirect::to(&url).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_navigations_count_as_browsers() {
        let mut headers = HeaderMap::new();
        assert!(!from_browser(&headers));
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        assert!(!from_browser(&headers));
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static("text/html,application/xhtml+xml"),
        );
        assert!(from_browser(&headers));
        let mut navigate = HeaderMap::new();
        navigate.insert("sec-fetch-mode", HeaderValue::from_static("navigate"));
        assert!(from_browser(&navigate));
    }

    #[test]
    fn a_throttled_browser_goes_back_with_the_wait_and_its_destination() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("text/html"));
        let err = AppError::RateLimited(app::error::app_error::RateLimitInfo {
            limit: 10,
            remaining: 0,
            reset: 0,
            retry_after_secs: 600,
        });
        let res = refuse(err, "/sign-in", Some("/jobs?x=1"), &headers, false);
        assert_eq!(res.headers()[header::RETRY_AFTER], "600");
        assert_eq!(
            res.headers()[header::LOCATION],
            "/sign-in?error=too_many_attempts&retry_after=600&redirect_url=%2Fjobs%3Fx%3D1"
        );
    }
}
