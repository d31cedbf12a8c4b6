//! The HTML document around every page, rendered on the server.

use crate::routes::App;
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::MetaTags;

/// The whole document: head with hydration scripts, body with the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
                {clerk_script()}
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The browser's `window.Clerk`: the local provider's script, or Clerk's own from its Frontend API. Both are
/// external files the CSP admits by origin; the nonce keeps them loading should the policy ever drop `'self'`.
/// Neither blocks the page: the hooks find `window.Clerk` missing until it runs and try again later.
fn clerk_script() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        use crate::services::config::IdentityConfig;
        let config =
            use_context::<crate::services::AppState>().map(|s| std::sync::Arc::clone(&s.config));
        if let Some(IdentityConfig::Clerk(clerk)) = config.as_ref().map(|c| &c.identity) {
            let src = format!(
                "{}/npm/@clerk/clerk-js@5/dist/clerk.browser.js",
                clerk.frontend_api.clone().unwrap_or_default()
            );
            let key = clerk.publishable_key.clone().unwrap_or_default();
            return view! {
                <script async crossorigin="anonymous" data-clerk-publishable-key=key src=src nonce=use_nonce()></script>
            }
            .into_any();
        }
    }
    // Deferred, as Clerk's own script is async: a parser-blocking script at the end of the head waited behind
    // the page's WASM preloads on a slow network and held back the first paint (2.96 s instead of ≈ 2 s on
    // Fast 3G). Deferred scripts still run before `load`, where the sign-in pages mount Clerk's components.
    view! { <script defer src="/clerk-local.js" nonce=use_nonce()></script> }.into_any()
}
