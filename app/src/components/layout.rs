//! The frame around every page: header with navigation, main content, footer.

use leptos::prelude::*;
use leptos_router::components::A;

/// Header, content and footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#content">"Skip to content"</a>
        <header class="site-header">
            <nav class="nav container" aria-label="Main">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"▶"</span>
                    "T2M"
                </A>
                <ul class="nav-links">
                    <li><A href="/pricing">"Pricing"</A></li>
                    <li><A href="/about">"About"</A></li>
                    <li><A href="/contact">"Contact"</A></li>
                </ul>
                <div class="nav-actions">
                    <a class="btn btn-ghost" href="/sign-in">"Sign in"</a>
                    <a class="btn btn-primary" href="/sign-up">"Get started"</a>
                </div>
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
