//! `/sign-up`: create an account; new users land on onboarding.

use super::{error_message, ClerkMount};
use crate::components::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-up page.
#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let error = move || {
        query
            .with(|q| q.get("error"))
            .map(|code| error_message(&code))
    };
    view! {
        <Title text="Create your account"/>
        <section class="card auth-card">
            <h1>"Create your account"</h1>
            {move || error().map(|message| view! { <p class="notice notice-error" role="alert">{message}</p> })}
            <Transition>
                {move || Suspend::new(async move {
                    let local = session.await.map(|i| i.local_identity).unwrap_or(true);
                    if local {
                        view! {
                            <form class="form" method="post" action="/v1/client/sign_ups">
                                <div class="field">
                                    <label for="first_name">"First name"</label>
                                    <input id="first_name" name="first_name" type="text" autocomplete="given-name"/>
                                </div>
                                <div class="field">
                                    <label for="email">"Email"</label>
                                    <input id="email" name="email" type="email" autocomplete="email" required/>
                                </div>
                                <div class="field">
                                    <label for="password">"Password"</label>
                                    <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required/>
                                    <span class="hint">"At least 8 characters."</span>
                                </div>
                                <label class="checkbox">
                                    <input type="checkbox" name="remember_me" value="on"/>
                                    "Remember me for 30 days"
                                </label>
                                <button class="btn btn-primary" type="submit">"Create account"</button>
                            </form>
                        }.into_any()
                    } else {
                        view! { <ClerkMount id="clerk-sign-up" method="mountSignUp"/> }.into_any()
                    }
                })}
            </Transition>
            <p class="muted">"Already have an account? " <a href="/sign-in">"Sign in"</a></p>
        </section>
    }
}
