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
use leptos_router::{path, Lazy, LazyRoute, SsrMode};

/// The application root.
///
/// Every page is a lazy route: its code is split out of the main WASM module (`cargo xtask build` cuts it)
/// and fetched when a page of its group is first shown, so a visitor downloads the shell and the part of the
/// app they use, not all of it. On the server a lazy route renders like any other, and the HTML preloads
/// the chunks its page needs.
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
                    <Route path=path!("/") view={Lazy::<HomeRoute>::new()}/>
                    <Route path=path!("/pricing") view={Lazy::<PricingRoute>::new()}/>
                    <Route path=path!("/about") view={Lazy::<AboutRoute>::new()}/>
                    <Route path=path!("/contact") view={Lazy::<ContactRoute>::new()}/>
                    <Route path=path!("/legal/privacy") view={Lazy::<PrivacyRoute>::new()}/>
                    <Route path=path!("/legal/terms") view={Lazy::<TermsRoute>::new()}/>
                    <Route path=path!("/sign-in") view={Lazy::<SignInRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/sign-up") view={Lazy::<SignUpRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/reset-password") view={Lazy::<ResetPasswordRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()}/>
                    <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/files") view={Lazy::<FilesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/videos/:id") view={Lazy::<VideoRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/onboarding") view={Lazy::<OnboardingRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/generate") view={Lazy::<GenerateRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/jobs") view={Lazy::<JobsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/videos") view={Lazy::<VideosRoute>::new()}/>
                    <Route path=path!("/s/:token") view={Lazy::<SharedVideoRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view={Lazy::<AdminOverviewRoute>::new()}/>
                    <Route path=path!("/admin/users") view={Lazy::<AdminUsersRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/system") view={Lazy::<AdminSystemRoute>::new()}/>
                    <Route path=path!("/admin/analytics") view={Lazy::<AdminAnalyticsRoute>::new()}/>
                    <Route path=path!("/premium/advanced-generation") view={Lazy::<AdvancedGenerationRoute>::new()}/>
                    <Route path=path!("/premium/batch-processing") view={Lazy::<BatchProcessingRoute>::new()}/>
                    <Route path=path!("/premium/priority-queue") view={Lazy::<PriorityQueueRoute>::new()}/>
                </Routes>
            </Layout>
        </Router>
    }
}

// The pages, by the group whose code is fetched together: one enum and one `#[lazy]` function per group. One
// split point per group, not per page: the splitter puts code shared by several split points into a chunk per
// combination of them, and with a split point per page that made over a hundred small files for one page, each
// a round trip on a slow network.

#[derive(Clone, Copy, Debug)]
enum SitePage {
    Home,
    Pricing,
    About,
    Contact,
    Privacy,
    Terms,
}

#[derive(Clone, Copy, Debug)]
enum AccountPage {
    SignIn,
    SignUp,
    ForgotPassword,
    ResetPassword,
    Onboarding,
}

#[derive(Clone, Copy, Debug)]
enum LibraryPage {
    Dashboard,
    Profile,
    Files,
    Video,
    Jobs,
    Videos,
    SharedVideo,
}

#[derive(Clone, Copy, Debug)]
enum CreatePage {
    Generate,
    AdvancedGeneration,
    BatchProcessing,
    PriorityQueue,
}

#[derive(Clone, Copy, Debug)]
enum AdminPage {
    Overview,
    Users,
    System,
    Analytics,
}

/// The public pages: what a first-time visitor needs.
#[lazy]
fn site_page(page: SitePage) -> AnyView {
    match page {
        SitePage::Home => home::HomePage().into_any(),
        SitePage::Pricing => pricing::PricingPage().into_any(),
        SitePage::About => about::AboutPage().into_any(),
        SitePage::Contact => contact::ContactPage().into_any(),
        SitePage::Privacy => legal::PrivacyPage().into_any(),
        SitePage::Terms => legal::TermsPage().into_any(),
    }
}

/// Signing in and up, password resets, the first-run questions.
#[lazy]
fn account_page(page: AccountPage) -> AnyView {
    match page {
        AccountPage::SignIn => auth::sign_in::SignInPage().into_any(),
        AccountPage::SignUp => auth::sign_up::SignUpPage().into_any(),
        AccountPage::ForgotPassword => auth::forgot_password::ForgotPasswordPage().into_any(),
        AccountPage::ResetPassword => auth::reset_password::ResetPasswordPage().into_any(),
        AccountPage::Onboarding => onboarding::OnboardingPage().into_any(),
    }
}

/// The signed-in library: dashboard, videos, jobs, files, profile, and shared videos.
#[lazy]
fn library_page(page: LibraryPage) -> AnyView {
    match page {
        LibraryPage::Dashboard => dashboard::DashboardPage().into_any(),
        LibraryPage::Profile => profile::ProfilePage().into_any(),
        LibraryPage::Files => files::FilesPage().into_any(),
        LibraryPage::Video => video::VideoPage().into_any(),
        LibraryPage::Jobs => jobs::JobsPage().into_any(),
        LibraryPage::Videos => videos::VideosPage().into_any(),
        LibraryPage::SharedVideo => shared_video::SharedVideoPage().into_any(),
    }
}

/// The generator and the premium generation pages.
#[lazy]
fn create_page(page: CreatePage) -> AnyView {
    match page {
        CreatePage::Generate => generate::GeneratePage().into_any(),
        CreatePage::AdvancedGeneration => premium::AdvancedGenerationPage().into_any(),
        CreatePage::BatchProcessing => premium::BatchProcessingPage().into_any(),
        CreatePage::PriorityQueue => premium::PriorityQueuePage().into_any(),
    }
}

/// The admin pages.
#[lazy]
fn admin_page(page: AdminPage) -> AnyView {
    match page {
        AdminPage::Overview => admin::AdminOverviewPage().into_any(),
        AdminPage::Users => admin::AdminUsersPage().into_any(),
        AdminPage::System => admin::AdminSystemPage().into_any(),
        AdminPage::Analytics => admin::AdminAnalyticsPage().into_any(),
    }
}

/// Routes whose view is one page of a group. No data is loaded ahead of the view: pages start their own
/// resources, and on a first visit the server has sent that data with the HTML.
macro_rules! grouped_routes {
    ($($group:ident, $preload:ident => { $($route:ident => $page:expr),* $(,)? }),* $(,)?) => {$($(
        #[doc = concat!("The route of `", stringify!($page), "`, loaded with its group.")]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $group($page).await
            }

            // The router awaits this before hydrating the page: the group's module must be loaded by then, or
            // the page's view is still pending when hydration reaches it and the walk expects a placeholder
            // the server never sent. (`#[lazy_route]` does the same for a split point per route.)
            async fn preload() {
                #[cfg(target_arch = "wasm32")]
                $preload().await;
            }
        }
    )*)*};
}

grouped_routes! {
    site_page, __preload_site_page => {
        HomeRoute => SitePage::Home,
        PricingRoute => SitePage::Pricing,
        AboutRoute => SitePage::About,
        ContactRoute => SitePage::Contact,
        PrivacyRoute => SitePage::Privacy,
        TermsRoute => SitePage::Terms,
    },
    account_page, __preload_account_page => {
        SignInRoute => AccountPage::SignIn,
        SignUpRoute => AccountPage::SignUp,
        ForgotPasswordRoute => AccountPage::ForgotPassword,
        ResetPasswordRoute => AccountPage::ResetPassword,
        OnboardingRoute => AccountPage::Onboarding,
    },
    library_page, __preload_library_page => {
        DashboardRoute => LibraryPage::Dashboard,
        ProfileRoute => LibraryPage::Profile,
        FilesRoute => LibraryPage::Files,
        VideoRoute => LibraryPage::Video,
        JobsRoute => LibraryPage::Jobs,
        VideosRoute => LibraryPage::Videos,
        SharedVideoRoute => LibraryPage::SharedVideo,
    },
    create_page, __preload_create_page => {
        GenerateRoute => CreatePage::Generate,
        AdvancedGenerationRoute => CreatePage::AdvancedGeneration,
        BatchProcessingRoute => CreatePage::BatchProcessing,
        PriorityQueueRoute => CreatePage::PriorityQueue,
    },
    admin_page, __preload_admin_page => {
        AdminOverviewRoute => AdminPage::Overview,
        AdminUsersRoute => AdminPage::Users,
        AdminSystemRoute => AdminPage::System,
        AdminAnalyticsRoute => AdminPage::Analytics,
    },
}
