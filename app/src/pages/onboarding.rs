//! `/onboarding`: the first page after sign-up, shown once: finishing it records `onboarded`, and a user who
//! has onboarded is sent to the dashboard instead.

use crate::components::access::RequireAccess;
use crate::domain::access::Access;
use crate::server_fns::account::get_onboarded;
use crate::server_fns::session::complete_onboarding;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The onboarding page.
#[component]
pub fn OnboardingPage() -> impl IntoView {
    view! {
        <Title text="Welcome to T2M"/>
        <RequireAccess level=Access::SignedIn>
            <OnceOnly/>
        </RequireAccess>
    }
}

/// The welcome, unless the user has seen it already.
#[component]
fn OnceOnly() -> impl IntoView {
    let onboarded = Resource::new(|| (), |()| get_onboarded());
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if onboarded.await.unwrap_or(false) {
                    view! { <Redirect path="/dashboard"/> }.into_any()
                } else {
                    view! { <Welcome/> }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn Welcome() -> impl IntoView {
    let finish = Action::new(|(): &()| complete_onboarding());
    Effect::new(move |_| {
        if finish.value().get().is_some_and(|r| r.is_ok()) {
            let navigate = leptos_router::hooks::use_navigate();
            navigate("/dashboard", Default::default());
        }
    });
    view! {
        <section class="page-head" data-testid="onboarding">
            <p class="eyebrow">"Welcome"</p>
            <h1>"You're in. Here's how T2M works."</h1>
        </section>
        <div class="features">
            <article class="card"><h3>"1. Describe"</h3><p>"Write a prompt. Each sentence becomes a scene."</p></article>
            <article class="card"><h3>"2. Watch it render"</h3><p>"Progress updates live; cancel whenever you like."</p></article>
            <article class="card"><h3>"3. Share safely"</h3><p>"Play and share through links that expire."</p></article>
        </div>
        <button class="btn btn-primary btn-lg" data-testid="finish-onboarding" on:click=move |_| { finish.dispatch(()); }>
            "Take me to my dashboard"
        </button>
    }
}
