//! Hosted sign-in and sign-up pages of the local identity provider (Clerk's own in production).

pub mod forgot_password;
pub mod reset_password;
pub mod sign_in;
pub mod sign_up;

use crate::components::session::use_session;
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Words for the error codes the provider redirects back with.
pub fn error_message(code: &str) -> &'static str {
    match code {
        "bad_credentials" => "That email and password don't match an account.",
        "invalid_email" => "Enter a valid email address.",
        "invalid_password" => "Use a password of at least 8 characters and at most 1024 bytes.",
        "server_busy" => "We're busy checking other sign-ins. Please try again in a few seconds.",
        "conflict" => "An account with this email already exists. Sign in instead?",
        "session_revoked" | "missing_token" => "Your session has ended. Please sign in again.",
        "session_expired" => {
            "You were signed out after a period of inactivity. Please sign in again."
        }
        "user_deleted" => "This account has been deleted.",
        "invalid_reset_token" => {
            "This link is invalid, has expired or was already used. Ask for a new one."
        }
        _ => "Something went wrong. Please try again.",
    }
}

/// The notice for an error code; a throttled attempt also says when to try again (`retry_after` seconds).
pub fn error_text(code: &str, retry_after: Option<&str>) -> String {
    if code != "too_many_attempts" {
        return error_message(code).to_owned();
    }
    let when = match retry_after.and_then(|s| s.parse::<u64>().ok()) {
        Some(0..=1) => "in a second".to_owned(),
        Some(secs @ 2..=90) => format!("in {secs} seconds"),
        Some(secs) => format!("in {} minutes", secs.div_ceil(60)),
        None => "in a few minutes".to_owned(),
    };
    format!("Too many attempts. For your security, please wait and try again {when}.")
}

/// Which of Clerk's components a page mounts, and the routing props that keep Clerk's flow on T2M's pages:
/// without them Clerk sends a new account to its dashboard default instead of `/onboarding`, and links
/// between sign-in and sign-up leave for the Account Portal.
#[derive(Clone, Copy)]
pub struct ClerkComponent {
    pub element_id: &'static str,
    pub mount: &'static str,
    /// A JSON object of the component's props.
    pub props: &'static str,
}

pub const CLERK_SIGN_IN: ClerkComponent = ClerkComponent {
    element_id: "clerk-sign-in",
    mount: "mountSignIn",
    // `redirect_url` in the page's query still wins: Clerk reads it before the fallback.
    props: r#"{"signUpUrl":"/sign-up","fallbackRedirectUrl":"/dashboard","signUpFallbackRedirectUrl":"/onboarding"}"#,
};

pub const CLERK_SIGN_UP: ClerkComponent = ClerkComponent {
    element_id: "clerk-sign-up",
    mount: "mountSignUp",
    props: r#"{"signInUrl":"/sign-in","fallbackRedirectUrl":"/onboarding","signInFallbackRedirectUrl":"/dashboard"}"#,
};

/// Clerk mode: Clerk's component mounts here.
#[component]
pub fn ClerkMount(component: ClerkComponent) -> impl IntoView {
    let ClerkComponent {
        element_id,
        mount,
        props,
    } = component;
    let script = format!(
        "window.addEventListener('load',function(){{var C=window.Clerk;if(C&&C.load){{C.load().then(function(){{C.{mount}(document.getElementById('{element_id}'),{props});}});}}}});"
    );
    view! {
        <div id=element_id class="clerk-mount"></div>
        // The CSP runs no inline script without this response's nonce.
        <script nonce=use_nonce()>{script}</script>
    }
}

/// The frame both pages share: the heading, any notice, the error the provider redirected back with, then
/// the local provider's `form` or, with Clerk configured, Clerk's own component.
#[component]
pub fn AuthCard(
    title: &'static str,
    clerk_mount: ClerkComponent,
    #[prop(into)] form: ViewFn,
    #[prop(into)] footer: ViewFn,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let error = move || {
        query.with(|q| {
            q.get("error")
                .map(|code| error_text(&code, q.get("retry_after").as_deref()))
        })
    };
    view! {
        <Title text=title/>
        <section class="card auth-card">
            <h1>{title}</h1>
            {children.map(|notice| notice())}
            {move || error().map(|message| view! { <p class="notice notice-error" role="alert">{message}</p> })}
            <Transition>
                {move || {
                    let form = form.clone();
                    Suspend::new(async move {
                        let local = session.await.map(|i| i.local_identity).unwrap_or(true);
                        if local {
                            form.run()
                        } else {
                            view! { <ClerkMount component=clerk_mount/> }.into_any()
                        }
                    })
                }}
            </Transition>
            <p class="muted">{footer.run()}</p>
        </section>
    }
}

/// The email field of both forms.
#[component]
pub fn EmailField() -> impl IntoView {
    view! {
        <div class="field">
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="email" required/>
        </div>
    }
}

/// The "remember me" box of both forms: 30-day sessions instead of 7.
#[component]
pub fn RememberMe() -> impl IntoView {
    view! {
        <label class="checkbox">
            <input type="checkbox" name="remember_me" value="on"/>
            "Remember me for 30 days"
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::error_text;

    #[test]
    fn a_throttled_attempt_says_when_to_retry() {
        let text = error_text("too_many_attempts", Some("840"));
        assert!(
            text.contains("Too many attempts") && text.contains("in 14 minutes"),
            "{text}"
        );
        assert!(error_text("too_many_attempts", Some("30")).contains("in 30 seconds"));
        assert!(error_text("too_many_attempts", None).contains("in a few minutes"));
        assert_eq!(
            error_text("bad_credentials", Some("5")),
            "That email and password don't match an account."
        );
    }
}
