//! Runs the browser session hooks while someone is signed in: token refresh and inactivity sign-out.

use super::session::use_session;
use crate::hooks::{use_idle_sign_out::use_idle_sign_out, use_token_refresh::use_token_refresh};
use leptos::prelude::*;

#[component]
fn ActiveSession(inactivity_timeout_secs: u64) -> impl IntoView {
    use_token_refresh();
    use_idle_sign_out(inactivity_timeout_secs);
}

/// Mount once at the root.
#[component]
pub fn SessionGuard() -> impl IntoView {
    let session = use_session();
    view! {
        <Transition>
            {move || Suspend::new(async move {
                session
                    .await
                    .ok()
                    .filter(|info| info.user.as_ref().is_some_and(|u| !u.dev_mode))
                    .map(|info| view! { <ActiveSession inactivity_timeout_secs=info.inactivity_timeout_secs/> })
            })}
        </Transition>
    }
}
