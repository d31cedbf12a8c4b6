//! The REST route table: every non-page path T2M answers, with its method and who may call it. The router is
//! built from this table and the authorization matrix test (`tests/api/auth/authorization_matrix.rs`) walks it,
//! so a route cannot be added without an access level, nor without a row of expected answers.

use crate::api;
use app::domain::access::Access;
use app::services::AppState;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{self, MethodRouter};
use axum::Router;

/// One REST endpoint.
pub struct Endpoint {
    /// `None`: any method (the `/api` catch-all).
    pub method: Option<Method>,
    pub path: &'static str,
    /// Who may call it; equals `access_for(path)` (the matrix test checks).
    pub access: Access,
    handler: MethodRouter<AppState>,
}

macro_rules! verbs {
    ($($verb:ident => $method:expr),* $(,)?) => {
        impl Endpoint {
            $(
                fn $verb<H, T>(path: &'static str, access: Access, handler: H) -> Self
                where
                    H: Handler<T, AppState>,
                    T: 'static,
                {
                    Self { method: $method, path, access, handler: routing::$verb(handler) }
                }
            )*
        }
    };
}

// A route with another verb adds it here.
verbs!(
    get => Some(Method::GET),
    post => Some(Method::POST),
    patch => Some(Method::PATCH),
    delete => Some(Method::DELETE),
    any => None,
);

/// Every REST endpoint under the request timeout and the default body limit (uploads and event streams, which
/// may rightly last longer, are listed apart).
pub fn endpoints() -> Vec<Endpoint> {
    use api::{files, health, jobs, local_idp};
    use Access::{Admin, Public, Signature, SignedIn, Webhook};
    vec![
        Endpoint::get("/api/system/health", Public, health::system_health),
        Endpoint::get("/api/auth/health", Public, health::auth_health),
        Endpoint::get("/livez", Public, health::livez),
        Endpoint::get("/readyz", Public, health::readyz),
        // Public to the route table; the handler asks for `T2M_METRICS_TOKEN` when one is set.
        Endpoint::get("/metrics", Public, crate::observability::metrics),
        // Only what no other route claims (axum prefers static segments), so server functions are unaffected.
        Endpoint::any("/api/{*rest}", Public, api::not_found::api_not_found),
        Endpoint::get("/api/v1/me", SignedIn, api::me::get_me),
        Endpoint::get("/api/v1/me/usage", SignedIn, api::me::get_usage),
        Endpoint::patch("/api/v1/me", SignedIn, api::account::update_me),
        Endpoint::delete("/api/v1/me", SignedIn, api::account::delete_me),
        Endpoint::get("/api/v1/me/export", SignedIn, api::account::export_me),
        Endpoint::get("/api/v1/me/avatar", SignedIn, api::account::get_avatar),
        Endpoint::post(
            "/api/v1/me/password",
            SignedIn,
            api::account::change_password,
        ),
        Endpoint::get(
            "/api/v1/me/sessions",
            SignedIn,
            api::me_sessions::list_sessions,
        ),
        Endpoint::delete(
            "/api/v1/me/sessions",
            SignedIn,
            api::me_sessions::revoke_other_sessions,
        ),
        Endpoint::delete(
            "/api/v1/me/sessions/{sid}",
            SignedIn,
            api::me_sessions::revoke_session,
        ),
        Endpoint::get("/api/v1/admin/users", Admin, api::admin::users::list_users),
        Endpoint::patch(
            "/api/v1/admin/users/{id}",
            Admin,
            api::admin::users::update_user,
        ),
        Endpoint::post(
            "/api/v1/videos/generate",
            SignedIn,
            api::videos::generate_video,
        ),
        Endpoint::post(
            "/api/webhooks/clerk",
            Webhook,
            api::webhooks::receive_clerk_webhook,
        ),
        Endpoint::get("/api/v1/jobs", SignedIn, jobs::list_jobs),
        Endpoint::get("/api/v1/jobs/{id}", SignedIn, jobs::get_job),
        Endpoint::patch("/api/v1/jobs/{id}", SignedIn, jobs::rename_job),
        Endpoint::delete("/api/v1/jobs/{id}", SignedIn, jobs::delete_job),
        Endpoint::get("/api/status/{id}", SignedIn, jobs::get_job),
        Endpoint::post("/api/v1/jobs/{id}/cancel", SignedIn, jobs::cancel_job),
        // Batches are premium: free callers get 403 naming the tier, from the service.
        Endpoint::post("/api/v1/batches", SignedIn, api::batches::create_batch),
        Endpoint::get("/api/v1/batches/{id}", SignedIn, api::batches::get_batch),
        Endpoint::post(
            "/api/v1/batches/{id}/cancel",
            SignedIn,
            api::batches::cancel_batch,
        ),
        Endpoint::get("/api/v1/files", SignedIn, files::list_files),
        Endpoint::get("/api/v1/files/{id}", SignedIn, files::get_file),
        Endpoint::patch("/api/v1/files/{id}", SignedIn, files::rename_file),
        Endpoint::delete("/api/v1/files/{id}", SignedIn, files::delete_file),
        Endpoint::post(
            "/api/v1/files/{id}/signed-url",
            SignedIn,
            files::signed_url::sign_file,
        ),
        Endpoint::post(
            "/api/v1/videos/{job_id}/signed-url",
            SignedIn,
            files::signed_url::sign_job_video,
        ),
        Endpoint::post(
            "/api/v1/videos/{job_id}/shares",
            SignedIn,
            api::shares::create_share,
        ),
        Endpoint::get("/api/v1/shares", SignedIn, api::shares::list_shares),
        Endpoint::delete("/api/v1/shares/{id}", SignedIn, api::shares::revoke_share),
        Endpoint::get(
            "/api/files/secure/{file_id}",
            Signature,
            api::secure_files::serve_secure_file,
        ),
        // The built-in identity provider: public paths, each answering for the client cookie it is sent.
        Endpoint::get("/.well-known/jwks.json", Public, local_idp::jwks),
        Endpoint::get("/v1/jwks", Public, local_idp::jwks),
        Endpoint::get("/v1/client", Public, local_idp::client),
        Endpoint::get(
            "/v1/client/handshake",
            Public,
            api::local_handshake::handshake,
        ),
        Endpoint::post("/v1/client/sign_ins", Public, local_idp::sign_in),
        Endpoint::post("/v1/client/sign_ups", Public, local_idp::sign_up),
        Endpoint::post(
            "/v1/client/password_resets",
            Public,
            api::password_reset::request_reset,
        ),
        Endpoint::post(
            "/v1/client/password_resets/complete",
            Public,
            api::password_reset::complete_reset,
        ),
        Endpoint::post(
            "/v1/client/sessions/{sid}/tokens",
            Public,
            local_idp::session_token,
        ),
        Endpoint::post(
            "/v1/client/sessions/{sid}/tokens/{template}",
            Public,
            local_idp::session_token,
        ),
        Endpoint::post(
            "/v1/client/sessions/{sid}/end",
            Public,
            local_idp::end_session,
        ),
        // Its Backend API subset: public to the route table; each handler asks for the provider's secret key.
        Endpoint::get("/v1/users/{id}", Public, api::local_backend::get_user),
        Endpoint::delete("/v1/users/{id}", Public, api::local_backend::delete_user),
        Endpoint::patch(
            "/v1/users/{id}/metadata",
            Public,
            api::local_backend::update_user_metadata,
        ),
        Endpoint::get("/v1/sessions/{id}", Public, api::local_backend::get_session),
        Endpoint::post(
            "/v1/sessions/{id}/revoke",
            Public,
            api::local_backend::revoke_session,
        ),
    ]
}

/// Uploads: outside the request timeout (they may rightly take longer), with their own body limit.
pub fn upload_endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::post(
            "/api/v1/files/upload",
            Access::SignedIn,
            api::files::upload::upload_file,
        ),
        // Capped at 2 MB by its handler, which answers 413 in the API's shape rather than axum's.
        Endpoint::post(
            "/api/v1/me/avatar",
            Access::SignedIn,
            api::account::upload_avatar,
        ),
    ]
}

/// A `T2M_MODE=worker` process' own small server (`T2M_WORKER_HTTP_ADDR`): the same handlers, nothing else.
pub fn worker_endpoints() -> Vec<Endpoint> {
    use api::health;
    vec![
        Endpoint::get("/livez", Access::Public, health::livez),
        Endpoint::get("/readyz", Access::Public, health::readyz),
        Endpoint::get("/metrics", Access::Public, crate::observability::metrics),
    ]
}

/// Event streams: outside the request timeout (a client follows them for as long as it likes); each ends when
/// its client leaves, its session is revoked, or the server shuts down.
pub fn stream_endpoints() -> Vec<Endpoint> {
    use api::job_events;
    vec![
        Endpoint::get(
            "/api/v1/jobs/events",
            Access::SignedIn,
            job_events::follow_jobs,
        ),
        Endpoint::get(
            "/api/v1/jobs/{id}/events",
            Access::SignedIn,
            job_events::follow_job,
        ),
    ]
}

/// Adds `endpoints` to `router`; endpoints sharing a path share one method router.
pub fn mount(router: Router<AppState>, endpoints: Vec<Endpoint>) -> Router<AppState> {
    endpoints.into_iter().fold(router, |router, endpoint| {
        router.route(endpoint.path, endpoint.handler)
    })
}
