//! The whole `<Router>`: every page T2M serves, in one place.

use crate::components::layout::Layout;
use crate::pages::{about, contact, home, legal, not_found, pricing};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The application root.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/t2m.css"/>
        <Title formatter=|page: String| format!("{page} · T2M")/>
        <Router>
            <Layout>
                <Routes fallback=not_found::NotFoundPage>
                    <Route path=path!("/") view=home::HomePage/>
                    <Route path=path!("/pricing") view=pricing::PricingPage/>
                    <Route path=path!("/about") view=about::AboutPage/>
                    <Route path=path!("/contact") view=contact::ContactPage/>
                    <Route path=path!("/legal/privacy") view=legal::PrivacyPage/>
                    <Route path=path!("/legal/terms") view=legal::TermsPage/>
                </Routes>
            </Layout>
        </Router>
    }
}
