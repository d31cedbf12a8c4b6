//! The session as every component sees it: one resource loaded with the page, shared through context.

use crate::error::ApiError;
use crate::server_fns::session::{get_session, SessionInfo};
use leptos::prelude::*;

/// The shared session resource.
pub type SessionResource = Resource<Result<SessionInfo, ApiError>>;

/// Creates the session resource and puts it in context; call once at the root.
pub fn provide_session() -> SessionResource {
    let resource = Resource::new(|| (), |()| get_session());
    provide_context(resource);
    resource
}

/// The session resource from context.
pub fn use_session() -> SessionResource {
    expect_context::<SessionResource>()
}
