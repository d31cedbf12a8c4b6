//! Server functions: the one road from pages to the service layer (the REST API calls the same services). Each
//! is an adapter: it gets the caller's `Identity`, calls one service, and maps errors to `ApiError` with the
//! right HTTP status. From the browser they travel through the session-aware [`client::SessionClient`].

pub mod account;
pub mod admin;
pub mod batches;
pub mod client;
pub mod files;
pub mod jobs;
pub mod session;
pub mod shares;

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
    ///
    /// A plain `<form>` post (no JavaScript yet) is answered with a redirect instead: back to its page with the
    /// error in the query (server_fn's form redirect, rendered there by the same notice), or, when its
    /// short-lived session token has lapsed, back to its page without one — that page load re-authenticates
    /// (the session handshake, or sign-in with a way back) rather than showing a bare 401.
    pub fn fail(err: AppError) -> ApiError {
        match form_post_origin_page() {
            Some(page) if err.status() == http::StatusCode::UNAUTHORIZED => {
                leptos_axum::redirect(&page);
            }
            Some(_) => {}
            None => {
                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                    response.set_status(err.status());
                }
            }
        }
        ApiError::from(err)
    }

    /// Whether the current request is a plain `<form>` post from a page (no JavaScript yet), which a server
    /// function may answer with a redirect.
    pub fn is_plain_form_post() -> bool {
        form_post_origin_page().is_some()
    }

    /// The page a plain form post came from (its `Referer`), when the request is one. Pages rendered on the
    /// server call server functions too, but with `GET`: those keep their own status and never redirect here.
    fn form_post_origin_page() -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let html = header(http::header::ACCEPT).is_some_and(|a| a.contains("text/html"));
        if parts.method != http::Method::POST || !html {
            return None;
        }
        // Only its path is kept, so the redirect stays on this origin whatever the header names.
        let rest = header(http::header::REFERER)?.split_once("://")?.1;
        let path = &rest[rest.find('/')?..];
        (!path.starts_with("//") && !path.contains('\\')).then(|| strip_form_error(path))
    }

    /// Drops the error a previous plain post left in the query (`__path`, `__err`).
    fn strip_form_error(path: &str) -> String {
        let Some((base, query)) = path.split_once('?') else {
            return path.to_owned();
        };
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.starts_with("__path=") && !pair.starts_with("__err="))
            .collect();
        if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        }
    }
}
