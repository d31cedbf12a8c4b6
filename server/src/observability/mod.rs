//! `GET /metrics`: the Prometheus recorder, installed once per process, rendered from its handle inside an axum
//! handler (the exporter runs no listener of its own), behind `T2M_METRICS_TOKEN` when that is set.

pub mod access_log;

use app::services::observe;
use app::services::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use secrecy::ExposeSecret;
use std::sync::OnceLock;
use std::time::Duration;
use subtle::ConstantTimeEq;

pub const HTTP_REQUESTS: &str = "http_requests_total";
pub const HTTP_SECONDS: &str = "http_request_duration_seconds";

/// Request latencies: 5 ms to the 30-second request timeout.
const HTTP_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Render times: a second to the longest videos on a slow machine.
const RENDER_BUCKETS: &[f64] = &[1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0];

/// How often histogram samples are folded in when nobody scrapes, so memory stays flat.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process' recorder, installed on first use (the server, a worker, or several test apps in one process
/// share it).
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_SECONDS.into()), HTTP_BUCKETS)
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full(observe::RENDER_SECONDS.into()),
                    RENDER_BUCKETS,
                )
            })
            .expect("bucket lists are non-empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics will be empty");
        }
        let upkeep = handle.clone();
        let _ = std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || loop {
                std::thread::sleep(UPKEEP_EVERY);
                upkeep.run_upkeep();
            });
        handle
    })
}

/// Whether `headers` carry the configured token; with none configured, anyone may scrape.
fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(token) = &state.config.ops.metrics_token else {
        return true;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Constant time over the bytes: a timing probe learns at most the token's length.
    bool::from(given.as_bytes().ct_eq(token.expose_secret().as_bytes()))
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        let body = serde_json::json!({
            "error": "A valid metrics token is required (Authorization: Bearer $T2M_METRICS_TOKEN).",
            "code": "unauthorized",
        });
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            Json(body),
        )
            .into_response();
    }
    let handle = handle();
    if let Err(err) = observe::refresh_gauges(&state.db).await {
        // The scrape still answers: the request counters matter most when the database is the trouble.
        tracing::warn!(%err, "metrics: could not read the job gauges");
    }
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}
