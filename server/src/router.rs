//! Every path T2M answers, REST and Leptos, and the layers around them.

use crate::middleware::{csrf, page_access, security_headers, session_handshake};
use crate::{api, observability, routes};
use app::services::AppState;
use app::{shell, App};
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::Router;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::LazyLock;
use tower::ServiceBuilder;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Walking the app for its routes sets a process-wide Leptos flag that parks any resource first polled meanwhile
/// (leptos-rs/leptos#4773). Walking once, before any router exists, means no page can be rendering during it,
/// even when one process builds several apps (the integration tests do).
static LEPTOS_ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

/// The complete router with state applied.
pub fn build(state: AppState) -> Router {
    // Installed before the first request, so counters start with the process.
    observability::handle();
    let leptos_routes = LEPTOS_ROUTES.clone();
    let api = routes::mount(Router::new(), routes::endpoints());

    let context_state = state.clone();
    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            leptos_routes,
            move || {
                leptos::prelude::provide_context(context_state.clone());
                security_headers::provide_request_nonce();
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(security_headers::provide_request_nonce, shell));

    let request_timeout = state.config.request_timeout;
    let state_config = std::sync::Arc::clone(&state.config);
    let leptos_options = state.leptos_options.clone();
    let mut router = api
        .merge(pages)
        // Uploads and event streams may rightly take longer than any fixed timeout, so they join after it
        // (below); the uploads' own body limit replaces the small default that guards every other route.
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .merge(uploads(&state))
        .merge(routes::mount(Router::new(), routes::stream_endpoints()))
        .layer(from_fn_with_state(
            state.clone(),
            page_access::protect_pages,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            session_handshake::refresh_session_token,
        ))
        .layer(from_fn_with_state(state.clone(), csrf::reject_cross_site))
        .with_state(state);
    router = security_headers::apply(router, &state_config, &leptos_options);
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
            .layer(TraceLayer::new_for_http().on_request(()).on_response(()).make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                // The path only: query strings can carry signed-URL signatures, which never go to logs; nor do
                // share tokens, which live in the path.
                let path = app::domain::share::loggable_path(req.uri().path());
                tracing::info_span!("request", method = %req.method(), path = %path, request_id = %id)
            }))
            // The one line per request (TraceLayer's own request and response events are off above).
            .layer(axum::middleware::from_fn(observability::access_log::observe))
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(compressible))),
    )
}

/// Pages, JSON and static assets without a precompressed twin are compressed; stored files served through signed
/// URLs and partial responses are not, since their ranges and lengths count the stored bytes. (Assets carry
/// `Accept-Ranges` too, so that header cannot be the test: it kept the WASM bundle uncompressed.)
fn compressible(
    status: axum::http::StatusCode,
    _: axum::http::Version,
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
) -> bool {
    status != axum::http::StatusCode::PARTIAL_CONTENT
        && !headers.contains_key(axum::http::header::CONTENT_RANGE)
        && extensions.get::<api::secure_files::ByteExact>().is_none()
}

/// The upload endpoints, with a body limit of the configured upload size plus form overhead.
fn uploads(state: &AppState) -> Router<AppState> {
    let limit = state
        .config
        .max_upload_bytes
        .saturating_add(api::files::upload::FORM_OVERHEAD_BYTES);
    routes::mount(Router::new(), routes::upload_endpoints()).layer(DefaultBodyLimit::max(
        usize::try_from(limit).unwrap_or(usize::MAX),
    ))
}

/// The paths of every Leptos page, as the router serves them (walked once per process).
pub fn page_paths() -> Vec<String> {
    LEPTOS_ROUTES
        .iter()
        .map(|route| route.path().to_owned())
        .collect()
}

/// What a `T2M_MODE=worker` process answers on `T2M_WORKER_HTTP_ADDR`: the same probe and metrics handlers as
/// the server, nothing else.
pub fn worker_probes(state: AppState) -> Router {
    observability::handle();
    routes::mount(Router::new(), routes::worker_endpoints())
        .layer(axum::middleware::from_fn(
            observability::access_log::observe,
        ))
        .with_state(state)
}
