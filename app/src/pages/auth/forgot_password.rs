//! `/forgot-password`: ask for a reset link. The answer never says whether the account exists. With Clerk,
//! its own sign-in component handles forgotten passwords.

use super::{AuthCard, EmailField, CLERK_SIGN_IN};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The forgotten-password page.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let sent = move || query.with(|q| q.get("sent")).is_some();
    let form = || {
        view! {
            <form class="form" method="post" action="/v1/client/password_resets">
                <p class="muted">"Enter your account's email and we'll send a link to choose a new password."</p>
                <EmailField/>
                <button class="btn btn-primary" type="submit" data-testid="send-reset-link">"Email me a link"</button>
            </form>
        }
    };
    view! {
        <AuthCard title="Forgot your password?" clerk_mount=CLERK_SIGN_IN form=form
            footer=|| view! { "Remembered it? " <a href="/sign-in" rel="external">"Sign in"</a> }>
            {move || sent().then(|| view! {
                <p class="notice" role="status" data-testid="reset-sent">
                    "If an account exists for that email, we sent it a link to reset the password. \
                     The link works once, for 30 minutes."
                </p>
            })}
        </AuthCard>
    }
}
