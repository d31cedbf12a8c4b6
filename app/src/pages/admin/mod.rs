//! Admin pages: overview, users, system, analytics. Role `admin` only.

use crate::components::access::RequireAccess;
use crate::domain::access::Access;
use leptos::prelude::*;
use leptos_meta::Title;

fn admin_tabs() -> impl IntoView {
    view! {
        <nav class="row" aria-label="Admin">
            <a class="btn btn-sm" href="/admin">"Overview"</a>
            <a class="btn btn-sm" href="/admin/users">"Users"</a>
            <a class="btn btn-sm" href="/admin/system">"System"</a>
            <a class="btn btn-sm" href="/admin/analytics">"Analytics"</a>
        </nav>
    }
}

macro_rules! admin_page {
    ($name:ident, $title:literal, $blurb:literal) => {
        /// An admin page.
        #[component]
        pub fn $name() -> impl IntoView {
            view! {
                <Title text=$title/>
                <RequireAccess level=Access::Admin>
                    <section class="page-head stack">
                        <p class="eyebrow">"Admin"</p>
                        <h1>$title</h1>
                        <p class="lead">$blurb</p>
                        {admin_tabs()}
                    </section>
                </RequireAccess>
            }
        }
    };
}

admin_page!(
    AdminOverviewPage,
    "Admin overview",
    "The state of the service at a glance."
);
admin_page!(
    AdminUsersPage,
    "Users",
    "Everyone with an account, their role and plan."
);
admin_page!(
    AdminSystemPage,
    "System",
    "Database, queue, workers and storage health."
);
admin_page!(
    AdminAnalyticsPage,
    "Analytics",
    "Generations, failures and usage over time."
);
