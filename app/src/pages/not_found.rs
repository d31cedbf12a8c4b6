//! The page for paths that do not exist.

use leptos::prelude::*;
use leptos_meta::Title;

/// 404 page; also sets the HTTP status when rendered on the server.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found"/>
        <section class="page-head center">
            <p class="eyebrow">"404"</p>
            <h1>"We couldn't find that page"</h1>
            <p class="lead">"It may have moved, or the link may be mistyped."</p>
            <a class="btn btn-primary" href="/">"Back to the start"</a>
        </section>
    }
}
