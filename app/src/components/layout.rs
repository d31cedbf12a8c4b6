//! The frame around every page: header with navigation for who is signed in, main content, footer.

use super::session::use_session;
use super::user_menu::UserMenu;
use crate::domain::user::SessionUser;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
fn SignedInNav(user: SessionUser) -> impl IntoView {
    let admin = user.is_admin();
    let premium = user.has_premium();
    view! {
        <ul class="nav-links">
            <li><A href="/dashboard">"Dashboard"</A></li>
            <li><A href="/generate">"Generate"</A></li>
            <li><A href="/videos">"Videos"</A></li>
            <li><A href="/jobs">"Jobs"</A></li>
            <li><A href="/files">"Files"</A></li>
            {premium.then(|| view! { <li><A href="/premium/advanced-generation">"Premium"</A></li> })}
            {admin.then(|| view! { <li><A href="/admin">"Admin"</A></li> })}
        </ul>
        <div class="nav-actions">
            <UserMenu user/>
        </div>
    }
}

#[component]
fn PublicNav() -> impl IntoView {
    view! {
        <ul class="nav-links">
            <li><A href="/pricing">"Pricing"</A></li>
            <li><A href="/about">"About"</A></li>
            <li><A href="/contact">"Contact"</A></li>
        </ul>
        <div class="nav-actions">
            <a class="btn btn-ghost" href="/sign-in" rel="external">"Sign in"</a>
            <a class="btn btn-primary" href="/sign-up" rel="external">"Get started"</a>
        </div>
    }
}

/// Header, content and footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let session = use_session();
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let dev = session.await.ok().and_then(|i| i.user).is_some_and(|u| u.dev_mode);
                dev.then(|| view! {
                    <div class="dev-banner" role="status" data-testid="dev-banner">
                        "DEV_MODE is on: authentication is bypassed and everyone is dev_user. Never run this in production."
                    </div>
                })
            })}
        </Transition>
        <a class="skip-link" href="#content">"Skip to content"</a>
        <header class="site-header">
            <nav class="nav container" aria-label="Main">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"▶"</span>
                    "T2M"
                </A>
                <Transition fallback=|| view! { <PublicNav/> }>
                    {move || Suspend::new(async move {
                        match session.await.ok().and_then(|i| i.user) {
                            Some(user) => view! { <SignedInNav user/> }.into_any(),
                            None => view! { <PublicNav/> }.into_any(),
                        }
                    })}
                </Transition>
            </nav>
        </header>
        <main id="content" class="container main">{children()}</main>
        <footer class="site-footer">
            <div class="container footer-inner">
                <span>"© 2026 T2M — Text to Media"</span>
                <nav aria-label="Legal">
                    <A href="/legal/privacy">"Privacy"</A>
                    <A href="/legal/terms">"Terms"</A>
                    <A href="/contact">"Contact"</A>
                </nav>
            </div>
        </footer>
    }
}
