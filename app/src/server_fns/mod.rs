//! Server functions: typed calls from pages to the service layer. Each is an adapter: it gets the caller's
//! `Identity`, calls one service, and maps errors to `ApiError` with the right HTTP status.

pub mod admin;
pub mod files;
pub mod jobs;
pub mod session;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::error::{ApiError, AppError};
    use crate::services::auth::Identity;
    use crate::services::AppState;
    use axum::extract::FromRequestParts;
    use leptos::prelude::use_context;

    /// The state and the verified caller of the current server function.
    pub async fn caller() -> Result<(AppState, Identity), AppError> {
        let state = crate::services::state()?;
        let mut parts = use_context::<http::request::Parts>().ok_or_else(|| {
            AppError::internal("request parts missing from server function context")
        })?;
        let identity = Identity::from_request_parts(&mut parts, &state).await?;
        Ok((state, identity))
    }

    /// Turns a service error into the wire error and gives the response its status.
    pub fn fail(err: AppError) -> ApiError {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(err.status());
        }
        ApiError::from(err)
    }
}
