//! `/sign-up`: create an account; new users land on onboarding.

use super::{AuthCard, EmailField, RememberMe, CLERK_SIGN_UP};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The sign-up page.
#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    // An app signing people in through these pages (Clerk's Account Portal role) names where to come back to.
    let redirect_url = move || {
        query
            .with(|q| q.get("redirect_url"))
            .unwrap_or_else(|| "/onboarding".into())
    };
    let form = move || {
        view! {
            <form class="form" method="post" action="/v1/client/sign_ups">
                <input type="hidden" name="redirect_url" value=redirect_url/>
                <div class="field">
                    <label for="first_name">"First name"</label>
                    <input id="first_name" name="first_name" type="text" autocomplete="given-name"/>
                </div>
                <EmailField/>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required/>
                    <span class="hint">"At least 8 characters."</span>
                </div>
                <RememberMe/>
                <button class="btn btn-primary" type="submit">"Create account"</button>
            </form>
        }
    };
    view! {
        <AuthCard title="Create your account" clerk_mount=CLERK_SIGN_UP form=form
            footer=|| view! { "Already have an account? " <a href="/sign-in" rel="external">"Sign in"</a> }/>
    }
}
