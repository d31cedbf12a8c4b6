//! The header's user button: the picture (or an initial) and name, opening a menu with Profile and Sign out.
//! A `<details>` element, so the menu opens and signing out works before the WASM has loaded.

use crate::domain::user::SessionUser;
use leptos::prelude::*;

/// The user button and its menu.
#[component]
pub fn UserMenu(user: SessionUser) -> impl IntoView {
    // Loaded on its own, after the page: the picture is not in the token, and the page must not wait for it.
    // Fetched by the browser alone: the `LocalResource` this was, made on the server for every signed-in page and
    // never resolved there, outlived each request (≈ 1.3–2.7 KB apiece: README › Performance › Soak).
    let avatar = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if let Ok(Some(src)) = crate::server_fns::account::get_avatar_url().await {
            avatar.set(Some(src));
        }
    });
    let initial = user
        .display_name
        .chars()
        .next()
        .unwrap_or('?')
        .to_uppercase()
        .to_string();
    let signing_out = RwSignal::new(false);
    // Once hydrated, `window.Clerk` signs out (Clerk's own Frontend API too); before, the form posts to ours.
    let sign_out = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        signing_out.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(crate::hooks::clerk::sign_out(None));
    };
    view! {
        <details class="user-menu" data-testid="user-menu">
            <summary class="user-chip" data-testid="user-chip" aria-haspopup="menu">
                {move || match avatar.get() {
                    Some(src) => view! { <img class="avatar" src=src alt="" data-testid="user-avatar"/> }.into_any(),
                    None => view! { <span class="avatar" aria-hidden="true">{initial.clone()}</span> }.into_any(),
                }}
                {user.display_name.clone()}
            </summary>
            <div class="menu" role="menu">
                <a href="/profile" role="menuitem" data-testid="menu-profile">"Profile"</a>
                <form method="post" action="/v1/client/sessions/current/end" on:submit=sign_out>
                    <button type="submit" class="menu-item" role="menuitem" data-testid="menu-sign-out"
                        disabled=move || signing_out.get()>
                        {move || if signing_out.get() { "Signing out…" } else { "Sign out" }}
                    </button>
                </form>
            </div>
        </details>
    }
}
