//! What the files page asks the server directly (the files themselves go through the REST API).

use crate::domain::file::UploadPolicy;
use crate::error::ApiError;
use leptos::prelude::*;

/// The upload limits for the signed-in caller.
///
/// # Errors
/// A 401 code when not signed in.
#[server]
pub async fn get_upload_policy() -> Result<UploadPolicy, ApiError> {
    let (state, _identity) = super::ssr::caller().await.map_err(super::ssr::fail)?;
    Ok(UploadPolicy {
        max_upload_bytes: state.config.max_upload_bytes,
    })
}
