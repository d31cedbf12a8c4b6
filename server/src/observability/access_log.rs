//! One access-log line per request at info, and the request metrics: method, the route template (never the
//! raw path, whose ids would explode label cardinality and land in logs), status, latency, request id and the
//! user when one was authenticated. Never the query string (signed-URL signatures) or any header value.

use super::{HTTP_REQUESTS, HTTP_SECONDS};
use crate::middleware::refusals::refusal_code;
use app::error::app_error::ResponseCode;
use app::services::observe::RequestUser;
use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// Routes no template matched (static files, the 404 page) share one label.
pub const UNMATCHED: &str = "unmatched";

/// Standard methods by name; anything else (clients may invent methods) shares one label.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// The middleware; it runs after routing (it is added with `Router::layer`), so `MatchedPath` is known.
pub async fn observe(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned();
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let user = RequestUser::default();
    request.extensions_mut().insert(user.clone());
    let response = next.run(request).await;
    let took = started.elapsed();
    let status = response.status();
    // Refusals carry their error code: enough to tell credential stuffing from a broken client.
    let code = matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        .then(|| refusal_code(status, response.extensions().get::<ResponseCode>()).to_owned());
    let status = status.as_u16();
    metrics::counter!(HTTP_REQUESTS, "method" => method, "route" => route.clone(), "status" => status.to_string())
        .increment(1);
    metrics::histogram!(HTTP_SECONDS, "method" => method, "route" => route.clone())
        .record(took.as_secs_f64());
    let latency_ms = took.as_micros() as f64 / 1000.0;
    tracing::info!(
        method = %method,
        route = %route,
        status,
        latency_ms,
        request_id = %request_id,
        user_id = user.get().map(tracing::field::display),
        code = code.as_deref().map(tracing::field::display),
        "request"
    );
    response
}
