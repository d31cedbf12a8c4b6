//! `/onboarding`: the first page after sign-up.

use crate::components::access::RequireAccess;
use crate::domain::access::Access;
use crate::server_fns::session::complete_onboarding;
use leptos::prelude::*;
use leptos_meta::Title;

/// The onboarding page.
#[component]
pub fn OnboardingPage() -> impl IntoView {
    let finish = Action::new(|(): &()| complete_onboarding());
    Effect::new(move |_| {
        if finish.value().get().is_some_and(|r| r.is_ok()) {
            let navigate = leptos_router::hooks::use_navigate();
            navigate("/dashboard", Default::default());
        }
    });
    view! {
        <Title text="Welcome to T2M"/>
        <RequireAccess level=Access::SignedIn>
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
        </RequireAccess>
    }
}
