//! `/reset-password?token=…`: choose a new password with a mailed link. Using it signs out every session, so
//! the next stop is sign-in. With Clerk, its own sign-in component handles this.

use super::{AuthCard, CLERK_SIGN_IN};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The reset page.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token")).unwrap_or_default();
    let form = move || {
        if token().is_empty() {
            return view! {
                <p class="muted">"This page needs the link from your email. "
                    <a href="/forgot-password" rel="external">"Ask for a new link"</a></p>
            }
            .into_any();
        }
        view! {
            <form class="form" method="post" action="/v1/client/password_resets/complete">
                <input type="hidden" name="token" value=token/>
                <div class="field">
                    <label for="password">"New password"</label>
                    <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required/>
                    <span class="hint">"At least 8 characters. Every device signed in to your account will be signed out."</span>
                </div>
                <button class="btn btn-primary" type="submit" data-testid="reset-password">"Set new password"</button>
            </form>
        }
        .into_any()
    };
    view! {
        <AuthCard title="Choose a new password" clerk_mount=CLERK_SIGN_IN form=form
            footer=|| view! { <a href="/forgot-password" rel="external">"Ask for a new link"</a> }/>
    }
}
