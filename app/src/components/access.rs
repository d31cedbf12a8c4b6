//! Page-level access checks that mirror the server's table: missing session → sign-in, missing role or tier →
//! an "access denied" page naming what is missing (with status 403 when rendered on the server).

use super::session::use_session;
use crate::domain::access::Access;
use crate::domain::user::SessionUser;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// What `user` lacks for `level`, if anything.
pub fn missing_for(level: Access, user: &SessionUser) -> Option<(&'static str, &'static str)> {
    match level {
        Access::Admin if !user.is_admin() => Some(("role", "admin")),
        Access::Premium if !user.has_premium() => Some(("subscription tier", "premium")),
        _ => None,
    }
}

/// Renders `children` only for a caller who meets `level`.
#[component]
pub fn RequireAccess(level: Access, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let info = session.await.ok();
                match info.and_then(|i| i.user) {
                    None => {
                        let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                        let target = format!("/sign-in?redirect_url={}", js_encode(&here));
                        view! { <Redirect path=target/> }.into_any()
                    }
                    Some(user) => match missing_for(level, &user) {
                        Some((kind, name)) => view! { <AccessDenied kind name/> }.into_any(),
                        None => children.with_value(|c| c()).into_any(),
                    },
                }
            })}
        </Transition>
    }
}

fn js_encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The 403 page.
#[component]
pub fn AccessDenied(kind: &'static str, name: &'static str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <section class="page-head center" data-testid="access-denied">
            <p class="eyebrow">"403"</p>
            <h1>"Access denied"</h1>
            <p class="lead">
                "This page needs the " {kind} " " <strong>{name}</strong> "."
            </p>
            {(name == "premium").then(|| view! { <a class="btn btn-primary" href="/pricing">"See premium plans"</a> })}
            <a class="btn btn-ghost" href="/dashboard">"Back to your dashboard"</a>
        </section>
    }
}
