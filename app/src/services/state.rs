//! `AppState`: the handles every request needs, shared by axum handlers and server functions.

use super::auth::local_idp::LocalKeys;
use super::auth::Verifier;
use super::config::Config;
use super::db::Db;
use super::files::{Storage, UrlSigner};
use super::limits::Limiter;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// The handles every request needs, behind one `Arc`: axum clones the state for each middleware and extractor
/// of every request, and cloning the handles one by one (seventeen reference counts and `LeptosOptions`'
/// strings) took 15 % of a cached API request's CPU under load (`perf record` during `scripts/bench-peers`).
#[derive(Clone)]
pub struct AppState(Arc<Handles>);

impl AppState {
    /// Shares `handles` between every request and task.
    pub fn new(handles: Handles) -> Self {
        Self(Arc::new(handles))
    }
}

impl std::ops::Deref for AppState {
    type Target = Handles;

    fn deref(&self) -> &Handles {
        &self.0
    }
}

/// What `leptos_axum`'s handlers extract from the state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The handles themselves, reached through `AppState`.
pub struct Handles {
    pub config: Arc<Config>,
    pub db: Db,
    pub verifier: Arc<Verifier>,
    /// Present when the built-in identity provider issues sessions.
    pub local_keys: Option<Arc<LocalKeys>>,
    /// The built-in provider's Backend API secret key (present with `local_keys`).
    pub local_backend_key: Option<Arc<super::auth::local_idp::BackendKey>>,
    /// The built-in provider's outgoing webhooks, when `T2M_LOCAL_WEBHOOK_URLS` is set.
    pub local_webhooks: Option<Arc<super::auth::local_idp::outbox::LocalWebhooks>>,
    /// Clerk's Backend API, when Clerk is the identity provider and `CLERK_SECRET_KEY` is set.
    pub clerk_backend: Option<Arc<super::users::clerk_api::ClerkBackend>>,
    /// Wakes idle render workers in this process when a job is enqueued.
    pub job_signal: Arc<tokio::sync::Notify>,
    /// Announces job changes to live streams, here and (on PostgreSQL) on other machines.
    pub job_events: super::jobs::events::JobEvents,
    /// Where file bytes live (local disk or S3).
    pub store: Storage,
    /// Signs and checks file URLs.
    pub signer: Arc<UrlSigner>,
    /// Per-user limits on generations and uploads.
    pub limiter: Arc<Limiter>,
    /// Sign-in/sign-up throttles and the bound on concurrent password hashes.
    pub sign_in_guard: Arc<super::auth::local_idp::guard::SignInGuard>,
    /// Outgoing mail (password-reset links): SMTP or the outbox directory.
    pub mailer: super::mail::Mailer,
    pub leptos_options: LeptosOptions,
}

/// The state inside a server function, where `startup` provided it as context.
///
/// # Errors
/// `Internal` if called outside a request that `startup` set up.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| AppError::internal("AppState missing from server function context"))
}
