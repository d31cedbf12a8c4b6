//! The whole `<Router>`: every page T2M serves, in one place.

use crate::components::layout::Layout;
use crate::components::session::provide_session;
use crate::components::session_guard::SessionGuard;
use crate::pages::{
    about, admin, auth, contact, dashboard, files, generate, home, jobs, legal, not_found,
    onboarding, premium, pricing, profile, shared_video, video, videos,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The application root.
///
/// Pages whose main content is a form render with `SsrMode::Async`: the whole page, form included, arrives in
/// the HTML itself rather than in streamed `<template>`s that only a script swaps in, so it works before (and
/// without) the WASM. The player too: whether a video exists (and is the caller's) decides the HTTP status,
/// and a streamed page has sent its status before that answer arrives.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_session();
    view! {
        <Stylesheet id="leptos" href="/pkg/t2m.css"/>
        <Title formatter=|page: String| format!("{page} · T2M")/>
        <Router>
            <SessionGuard/>
            <Layout>
                <Routes fallback=not_found::NotFoundPage>
                    <Route path=path!("/") view=home::HomePage/>
                    <Route path=path!("/pricing") view=pricing::PricingPage/>
                    <Route path=path!("/about") view=about::AboutPage/>
                    <Route path=path!("/contact") view=contact::ContactPage/>
                    <Route path=path!("/legal/privacy") view=legal::PrivacyPage/>
                    <Route path=path!("/legal/terms") view=legal::TermsPage/>
                    <Route path=path!("/sign-in") view=auth::sign_in::SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-up") view=auth::sign_up::SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-password") view=auth::forgot_password::ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/reset-password") view=auth::reset_password::ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard") view=dashboard::DashboardPage/>
                    <Route path=path!("/profile") view=profile::ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/files") view=files::FilesPage ssr=SsrMode::Async/>
                    <Route path=path!("/videos/:id") view=video::VideoPage ssr=SsrMode::Async/>
                    <Route path=path!("/onboarding") view=onboarding::OnboardingPage ssr=SsrMode::Async/>
                    <Route path=path!("/generate") view=generate::GeneratePage ssr=SsrMode::Async/>
                    <Route path=path!("/jobs") view=jobs::JobsPage ssr=SsrMode::Async/>
                    <Route path=path!("/videos") view=videos::VideosPage/>
                    <Route path=path!("/s/:token") view=shared_video::SharedVideoPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=admin::AdminOverviewPage/>
                    <Route path=path!("/admin/users") view=admin::AdminUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/system") view=admin::AdminSystemPage/>
                    <Route path=path!("/admin/analytics") view=admin::AdminAnalyticsPage/>
                    <Route path=path!("/premium/advanced-generation") view=premium::AdvancedGenerationPage/>
                    <Route path=path!("/premium/batch-processing") view=premium::BatchProcessingPage/>
                    <Route path=path!("/premium/priority-queue") view=premium::PriorityQueuePage/>
                </Routes>
            </Layout>
        </Router>
    }
}
