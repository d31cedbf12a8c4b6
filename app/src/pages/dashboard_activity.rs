//! The dashboard's recent activity and usage panel.

use leptos::prelude::*;

/// Recent jobs and usage (jobs arrive with the generator).
#[component]
pub fn RecentActivity() -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Recent activity"</h2>
            <p class="muted">"Your generated videos and uploads will appear here."</p>
        </section>
    }
}
