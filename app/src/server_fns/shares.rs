//! Share links for pages: make one from the player, list and revoke them on the profile, open one on the public
//! page; and the poster (the job's thumbnail) the player and that page show. Revoking answers a plain `<form>`
//! post with a redirect back, so it works before the WASM arrives.

use crate::domain::file::SignedUrl;
use crate::domain::share::{ShareCreated, ShareView, SharedVideo};
use crate::error::ApiError;
use crate::server_fns::client::SessionClient;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ssr;

/// Makes a link to the video of one of the caller's jobs; `expires_in` seconds, `None` for a link that works
/// until revoked.
///
/// # Errors
/// 401 codes; `not_found`; `video_not_ready` for a job still rendering; `invalid_expires_in`.
#[server(client = SessionClient)]
pub async fn create_share(
    job_id: String,
    expires_in: Option<i64>,
) -> Result<ShareCreated, ApiError> {
    use crate::services::shares::service;
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let lifetime = service::lifetime(Some(expires_in)).map_err(ssr::fail)?;
    service::create_share(&state, &identity, &job_id, lifetime)
        .await
        .map_err(ssr::fail)
}

/// The caller's active links, newest first.
///
/// # Errors
/// 401 codes.
#[server(client = SessionClient)]
pub async fn list_shares() -> Result<Vec<ShareView>, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::shares::service::list_shares(&state, &identity)
        .await
        .map_err(ssr::fail)
}

/// Revokes one of the caller's links.
///
/// # Errors
/// 401 codes; `not_found`.
#[server(client = SessionClient)]
pub async fn revoke_share(id: String) -> Result<(), ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::shares::service::revoke_share(&state, &identity, &id)
        .await
        .map_err(ssr::fail)
}

/// The public page's video, for anyone holding the link; no session is read.
///
/// # Errors
/// `not_found` (and a 404 status on the page) for a link that does not work.
#[server]
pub async fn get_shared_video(token: String) -> Result<SharedVideo, ApiError> {
    let state = crate::services::state().map_err(ssr::fail)?;
    crate::services::shares::service::open_share(&state, &token)
        .await
        .map_err(ssr::fail)
}

/// A signed URL for the poster (thumbnail) of one of the caller's jobs; `None` when it has none.
///
/// # Errors
/// 401 codes; `not_found` for a job that is not the caller's.
#[server(client = SessionClient)]
pub async fn sign_poster_url(job_id: String) -> Result<Option<SignedUrl>, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::files::poster::sign_job_poster_url(&state, &identity, &job_id, 3600)
        .await
        .map_err(ssr::fail)
}
