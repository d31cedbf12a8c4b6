//! Route protection for pages, driven by the one access table: signed-out visitors of private pages go to
//! sign-in, signed-in visitors of `/` go to the dashboard. The outcome is kept for the page to render with.

use crate::redirects::{provider_target, safe_redirect, urlencode};
use app::domain::access::{access_for, Access};
use app::services::auth::extract::{authenticate, AuthOutcome};
use app::services::AppState;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// Whether a path is a page the router renders (not the API, the WASM bundle, the provider or a static file).
pub fn is_page(path: &str) -> bool {
    !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && !path.starts_with("/v1/")
        && !path.starts_with("/.well-known/")
        && !path.contains('.')
}

/// The middleware.
pub async fn protect_pages(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if request.method() != Method::GET || !is_page(&path) {
        return next.run(request).await;
    }
    let outcome = authenticate(&state, request.headers()).await;
    let signed_in = outcome.is_ok();
    AuthOutcome::remember(request.extensions_mut(), outcome);
    let access = access_for(&path);
    if signed_in && path == "/" {
        return Redirect::to("/dashboard").into_response();
    }
    let caller = match request.extensions().get::<AuthOutcome>() {
        Some(AuthOutcome(Ok(identity))) if path == "/onboarding" => Some(identity.user_id.clone()),
        _ => None,
    };
    if let Some(user_id) = caller {
        if onboarded(&state, &user_id).await {
            return Redirect::to("/dashboard").into_response();
        }
    }
    if signed_in && (path == "/sign-in" || path == "/sign-up") {
        let wanted = redirect_param(&request);
        // The built-in provider sends a signed-in visitor of its hosted pages back to the app that asked, as
        // Clerk's Account Portal does; in Clerk mode these pages only ever return to this app.
        let apps: &[String] = if state.config.uses_local_identity() {
            &state.config.local_redirect_origins
        } else {
            &[]
        };
        let to = provider_target(&state.config.app_url, apps, wanted.as_deref(), "/dashboard");
        return Redirect::to(&to.after_sign_in()).into_response();
    }
    let hosted = state.config.hosted_pages();
    if !signed_in && (path == "/sign-in" || path == "/sign-up") {
        let wanted = redirect_param(&request)
            .map(|wanted| safe_redirect(&state.config.app_url, Some(&wanted), "/dashboard"));
        let portal = hosted
            .and_then(|pages| pages.for_page(&path, &state.config.app_url, wanted.as_deref()));
        if let Some(portal) = portal {
            return Redirect::to(&portal).into_response();
        }
    }
    if !signed_in && !matches!(access, Access::Public) {
        let target = request
            .uri()
            .path_and_query()
            .map_or(path.clone(), |pq| pq.as_str().to_owned());
        let to = hosted
            .and_then(|pages| pages.sign_in_redirect(&state.config.app_url, &target))
            .unwrap_or_else(|| format!("/sign-in?redirect_url={}", urlencode(&target)));
        return Redirect::to(&to).into_response();
    }
    next.run(request).await
}

fn redirect_param(request: &Request) -> Option<String> {
    request
        .uri()
        .query()
        .and_then(|q| url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "redirect_url"))
        .map(|(_, v)| v.into_owned())
}

/// Whether the user has finished onboarding already (it is shown once).
async fn onboarded(state: &AppState, user_id: &str) -> bool {
    app::services::users::repo::find(&state.db, user_id)
        .await
        .ok()
        .flatten()
        .is_some_and(|user| user.onboarded != 0)
}
