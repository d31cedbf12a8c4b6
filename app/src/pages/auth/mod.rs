//! Hosted sign-in and sign-up pages of the local identity provider (Clerk's own in production).

pub mod sign_in;
pub mod sign_up;

use leptos::prelude::*;

/// Words for the error codes the provider redirects back with.
pub fn error_message(code: &str) -> &'static str {
    match code {
        "bad_credentials" => "That email and password don't match an account.",
        "invalid_email" => "Enter a valid email address.",
        "invalid_password" => "Use a password of at least 8 characters.",
        "conflict" => "An account with this email already exists. Sign in instead?",
        "session_revoked" | "missing_token" => "Your session has ended. Please sign in again.",
        _ => "Something went wrong. Please try again.",
    }
}

/// Clerk mode: Clerk's component mounts here.
#[component]
pub fn ClerkMount(id: &'static str, method: &'static str) -> impl IntoView {
    let script = format!(
        "window.addEventListener('load',function(){{var C=window.Clerk;if(C&&C.load){{C.load().then(function(){{C.{method}(document.getElementById('{id}'));}});}}}});"
    );
    view! {
        <div id=id class="clerk-mount"></div>
        <script>{script}</script>
    }
}
