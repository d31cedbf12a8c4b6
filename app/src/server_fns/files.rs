//! Files for pages: the list and search, one file, rename, delete, and signed URLs for the player and thumbnails. The bytes
//! themselves go up through the upload endpoint (multipart progress needs XHR) and down through signed URLs.

use crate::domain::file::{FilePage, FileView, SignedUrl, UploadPolicy};
use crate::error::ApiError;
use crate::server_fns::client::SessionClient;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ssr;

/// The upload limits for the signed-in caller.
///
/// # Errors
/// A 401 code when not signed in.
#[server(client = SessionClient)]
pub async fn get_upload_policy() -> Result<UploadPolicy, ApiError> {
    let (state, _identity) = ssr::caller().await.map_err(ssr::fail)?;
    Ok(UploadPolicy {
        max_upload_bytes: state.config.max_upload_bytes,
    })
}

/// How many files one page of the list holds.
pub const FILE_PAGE_SIZE: i64 = 25;

/// A page of the caller's files, newest first, optionally those whose name contains `q`, after `cursor`.
///
/// # Errors
/// 401 codes; `invalid_q`, `invalid_cursor`.
#[server(client = SessionClient)]
pub async fn list_files(q: Option<String>, cursor: Option<String>) -> Result<FilePage, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let cursor = cursor.filter(|c| !c.is_empty());
    crate::services::files::service::list_files(
        &state,
        &identity,
        None,
        q.as_deref(),
        cursor.as_deref(),
        FILE_PAGE_SIZE,
    )
    .await
    .map_err(ssr::fail)
}

/// Renames one of the caller's files.
///
/// # Errors
/// 401 codes; `invalid_name`; `not_found`.
#[server(client = SessionClient)]
pub async fn rename_file(id: String, name: String) -> Result<FileView, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::files::service::rename_file(&state, &identity, &id, &name)
        .await
        .map_err(ssr::fail)
}

/// One of the caller's files.
///
/// # Errors
/// 401 codes; `not_found` for a file that is not the caller's.
#[server(client = SessionClient)]
pub async fn get_file(id: String) -> Result<FileView, ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::files::service::get_file(&state, &identity, &id)
        .await
        .map_err(ssr::fail)
}

/// Deletes one of the caller's files; its signed URLs answer 404 afterwards.
///
/// # Errors
/// 401 codes; `not_found`.
#[server(client = SessionClient)]
pub async fn delete_file(id: String) -> Result<(), ApiError> {
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    crate::services::files::service::delete_file(&state, &identity, &id)
        .await
        .map_err(ssr::fail)
}

/// A signed URL for one of the caller's files (`job_…` ids sign the video that job produced).
///
/// # Errors
/// 401 codes; `not_found`; `invalid_expires_in`.
#[server(client = SessionClient)]
pub async fn sign_url(id: String, expires_in: Option<i64>) -> Result<SignedUrl, ApiError> {
    use crate::services::files::service;
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    let secs = service::expires_in(expires_in).map_err(ssr::fail)?;
    let signed = if id.starts_with("job_") {
        service::sign_job_video_url(&state, &identity, &id, secs, false).await
    } else {
        service::sign_file_url(&state, &identity, &id, secs, false).await
    };
    signed.map_err(ssr::fail)
}

/// A short-lived signed URL that downloads (as an attachment) one of the caller's files, or the video a
/// `job_…` id produced.
///
/// # Errors
/// 401 codes; `not_found`.
#[server(client = SessionClient)]
pub async fn download_url(id: String) -> Result<SignedUrl, ApiError> {
    use crate::services::files::service;
    let (state, identity) = ssr::caller().await.map_err(ssr::fail)?;
    // Long enough to start the download, short enough that a copied link soon stops working.
    let secs = 300;
    let signed = if id.starts_with("job_") {
        service::sign_job_video_url(&state, &identity, &id, secs, true).await
    } else {
        service::sign_file_url(&state, &identity, &id, secs, true).await
    }
    .map_err(ssr::fail)?;
    // Before hydration the button is a form post: send the browser straight to the download.
    if ssr::is_plain_form_post() {
        leptos_axum::redirect(&signed.url);
    }
    Ok(signed)
}
