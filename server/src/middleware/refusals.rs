//! The `code` a 401 or 403 is logged with: the access log line of a refused request carries it, enough to spot
//! credential stuffing or a broken client, never the token, cookies or query string.

use app::error::app_error::ResponseCode;
use axum::http::StatusCode;

/// The code to log: the error body's own, else the status' generic word (pages that answer 403 in HTML).
pub fn refusal_code(status: StatusCode, code: Option<&ResponseCode>) -> &str {
    match code {
        Some(ResponseCode(code)) => code,
        None if status == StatusCode::FORBIDDEN => "forbidden",
        None => "unauthorized",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::error::AppError;
    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use std::sync::{Arc, Mutex};
    use tower::ServiceExt;

    /// Collects what the subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    async fn logs_of(path: &str) -> String {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let router = Router::new()
            .route("/api/v1/me", get(|| async { AppError::MissingToken }))
            .route("/admin", get(|| async { AppError::CsrfRejected }))
            .route("/fine", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn(
                crate::observability::access_log::observe,
            ));
        let request = axum::http::Request::get(path)
            .header("authorization", "Bearer eyJsecret.token.here")
            .body(Body::empty())
            .unwrap();
        router.oneshot(request).await.unwrap();
        let bytes = captured.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[tokio::test]
    async fn a_401_is_logged_with_its_code_method_and_route_but_no_token_or_query() {
        let logs = logs_of("/api/v1/me?__session=eyJleaked").await;
        assert!(logs.contains(" INFO "), "{logs}");
        assert!(
            logs.contains("code=\"missing_token\"") || logs.contains("code=missing_token"),
            "{logs}"
        );
        assert!(
            logs.contains("method=GET") && logs.contains("route=/api/v1/me"),
            "{logs}"
        );
        assert!(logs.contains("status=401"), "{logs}");
        assert!(
            !logs.contains("eyJ") && !logs.contains("__session"),
            "{logs}"
        );
    }

    #[tokio::test]
    async fn a_403_is_logged_with_its_code_and_successes_without_one() {
        let logs = logs_of("/admin").await;
        assert!(
            logs.contains("csrf_rejected") && logs.contains("status=403"),
            "{logs}"
        );
        let fine = logs_of("/fine").await;
        assert_eq!(fine.lines().count(), 1, "{fine}");
        assert!(
            fine.contains("status=200") && !fine.contains("code="),
            "{fine}"
        );
    }

    #[test]
    fn html_refusals_fall_back_to_the_status_word() {
        assert_eq!(refusal_code(StatusCode::FORBIDDEN, None), "forbidden");
        assert_eq!(refusal_code(StatusCode::UNAUTHORIZED, None), "unauthorized");
        let code = ResponseCode("session_revoked".into());
        assert_eq!(
            refusal_code(StatusCode::UNAUTHORIZED, Some(&code)),
            "session_revoked"
        );
    }
}
