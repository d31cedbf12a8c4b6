//! Applies the CSRF rule to every state-changing request, server functions included; webhooks and signed file
//! URLs authenticate by signature and are exempt.

use app::domain::access::{access_for, Access};
use app::services::auth::csrf;
use app::services::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The middleware.
pub async fn reject_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let exempt = matches!(
        access_for(request.uri().path()),
        Access::Webhook | Access::Signature
    );
    if !exempt {
        if let Err(err) = csrf::check(
            request.method(),
            request.headers(),
            &state.config.allowed_origins,
        ) {
            tracing::warn!(path = %request.uri().path(), "cross-site request refused");
            return err.into_response();
        }
    }
    next.run(request).await
}
