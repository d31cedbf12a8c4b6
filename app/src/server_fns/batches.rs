//! Batches for the batch-processing page: queue prompts (a plain form post works before the WASM arrives and
//! is redirected to the batch), follow a batch, cancel it, and sign download links for its finished videos.

use crate::domain::batch::{BatchCreated, BatchView};
use crate::domain::file::SignedUrl;
use crate::error::ApiError;
use crate::server_fns::client::SessionClient;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ssr;

/// Where a batch is followed.
pub const BATCH_PAGE: &str = "/premium/batch-processing";

/// Queues one video per line of `prompts` (premium); the page then follows the batch at `?batch=<id>`.
///
/// # Errors
/// 401 codes; `forbidden` naming the premium tier; `invalid_prompts` and the generator's validation, quota
/// and rate-limit codes (nothing is queued then).
#[server(client = SessionClient)]
pub async fn create_batch(
    prompts: String,
    duration: Option<u32>,
    quality: Option<String>,
) -> Result<BatchCreated, ApiError> {
    use crate::domain::batch::{prompts_from_text, BatchRequest};
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let request = BatchRequest {
        prompts: prompts_from_text(&prompts, false),
        duration,
        quality: quality.filter(|q| !q.is_empty()),
    };
    let created = crate::services::batches::service::create(&state, &identity, &request)
        .await
        .map_err(ssr::fail)?;
    leptos_axum::redirect(&format!("{BATCH_PAGE}?batch={}", created.batch_id));
    Ok(created)
}

/// One of the caller's batches with its jobs.
///
/// # Errors
/// 401 codes; `not_found` for a batch that is not the caller's.
#[server(client = SessionClient)]
pub async fn get_batch(id: String) -> Result<BatchView, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::batches::service::get(&state, &identity, &id)
        .await
        .map_err(ssr::fail)
}

/// Cancels every unfinished job of one of the caller's batches.
///
/// # Errors
/// 401 codes; `not_found`.
#[server(client = SessionClient)]
pub async fn cancel_batch(id: String) -> Result<BatchView, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::batches::service::cancel(&state, &identity, &id)
        .await
        .map_err(ssr::fail)
}

/// A signed link that downloads (rather than plays) one of the caller's files, valid for an hour.
///
/// # Errors
/// 401 codes; `not_found`.
#[server(client = SessionClient)]
pub async fn download_url(file_id: String) -> Result<SignedUrl, ApiError> {
    use crate::services::files::service;
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    service::sign_file_url(&state, &identity, &file_id, 3600, true)
        .await
        .map_err(ssr::fail)
}
