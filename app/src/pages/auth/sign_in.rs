//! `/sign-in`: email and password, "remember me", and the reason a session ended.

use super::{error_message, ClerkMount};
use crate::components::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let error = move || {
        query
            .with(|q| q.get("error"))
            .map(|code| error_message(&code))
    };
    let reason = move || query.with(|q| q.get("reason"));
    let redirect_url = move || {
        query
            .with(|q| q.get("redirect_url"))
            .unwrap_or_else(|| "/dashboard".into())
    };
    view! {
        <Title text="Sign in"/>
        <section class="card auth-card">
            <h1>"Sign in"</h1>
            {move || (reason().as_deref() == Some("inactivity")).then(|| view! {
                <p class="notice notice-warn" role="status" data-testid="inactivity-notice">
                    "You were signed out because you were inactive for a while. Sign in again to continue."
                </p>
            })}
            {move || error().map(|message| view! { <p class="notice notice-error" role="alert">{message}</p> })}
            <Transition>
                {move || Suspend::new(async move {
                    let local = session.await.map(|i| i.local_identity).unwrap_or(true);
                    if local {
                        view! {
                            <form class="form" method="post" action="/v1/client/sign_ins">
                                <input type="hidden" name="redirect_url" value=redirect_url/>
                                <div class="field">
                                    <label for="email">"Email"</label>
                                    <input id="email" name="email" type="email" autocomplete="email" required/>
                                </div>
                                <div class="field">
                                    <label for="password">"Password"</label>
                                    <input id="password" name="password" type="password" autocomplete="current-password" required/>
                                </div>
                                <label class="checkbox">
                                    <input type="checkbox" name="remember_me" value="on"/>
                                    "Remember me for 30 days"
                                </label>
                                <button class="btn btn-primary" type="submit">"Sign in"</button>
                            </form>
                        }.into_any()
                    } else {
                        view! { <ClerkMount id="clerk-sign-in" method="mountSignIn"/> }.into_any()
                    }
                })}
            </Transition>
            <p class="muted">"New to T2M? " <a href="/sign-up">"Create an account"</a></p>
        </section>
    }
}
