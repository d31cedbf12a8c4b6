//! `/sign-in`: email and password, "remember me", and the reason a session ended.

use super::{AuthCard, EmailField, RememberMe, CLERK_SIGN_IN};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let signed_out_for_inactivity =
        move || query.with(|q| q.get("reason")).as_deref() == Some("inactivity");
    let password_reset = move || query.with(|q| q.get("reset")).as_deref() == Some("done");
    let redirect_url = move || {
        query
            .with(|q| q.get("redirect_url"))
            .unwrap_or_else(|| "/dashboard".into())
    };
    let form = move || {
        view! {
            <form class="form" method="post" action="/v1/client/sign_ins">
                <input type="hidden" name="redirect_url" value=redirect_url/>
                <EmailField/>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required/>
                    <a class="hint" href="/forgot-password" rel="external" data-testid="forgot-password">"Forgot password?"</a>
                </div>
                <RememberMe/>
                <button class="btn btn-primary" type="submit">"Sign in"</button>
            </form>
        }
    };
    view! {
        <AuthCard title="Sign in" clerk_mount=CLERK_SIGN_IN form=form
            footer=|| view! { "New to T2M? " <a href="/sign-up" rel="external">"Create an account"</a> }>
            {move || password_reset().then(|| view! {
                <p class="notice" role="status" data-testid="reset-done-notice">
                    "Your password was changed and every device was signed out. Sign in with the new password."
                </p>
            })}
            {move || signed_out_for_inactivity().then(|| view! {
                <p class="notice notice-warn" role="status" data-testid="inactivity-notice">
                    "You were signed out because you were inactive for a while. Sign in again to continue."
                </p>
            })}
        </AuthCard>
    }
}
