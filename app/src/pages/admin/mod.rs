//! Admin pages: overview, users, system, analytics. Role `admin` only, checked again by every server function.

pub mod analytics;
pub mod overview;
pub mod system;
pub mod users;

pub use analytics::AdminAnalyticsPage;
pub use overview::AdminOverviewPage;
pub use system::AdminSystemPage;
pub use users::AdminUsersPage;

use leptos::prelude::*;

/// The heading and tabs every admin page shares.
#[component]
pub fn AdminHeader(title: &'static str, blurb: &'static str) -> impl IntoView {
    view! {
        <section class="page-head stack">
            <p class="eyebrow">"Admin"</p>
            <h1>{title}</h1>
            <p class="lead">{blurb}</p>
            <nav class="row" aria-label="Admin">
                <a class="btn btn-sm" href="/admin">"Overview"</a>
                <a class="btn btn-sm" href="/admin/users">"Users"</a>
                <a class="btn btn-sm" href="/admin/system">"System"</a>
                <a class="btn btn-sm" href="/admin/analytics">"Analytics"</a>
            </nav>
        </section>
    }
}
