//! "Delete account" on `/profile`: the password (or a typed confirmation with Clerk), an inline "are you
//! sure", then the account is gone and the browser is signed out and sent home with a notice.

use crate::components::error_notice::ErrorNotice;
use crate::server_fns::account::delete_account;
use leptos::prelude::*;

/// The danger zone.
#[component]
pub fn DeleteSection(local: bool) -> impl IntoView {
    let secret = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let delete = Action::new(move |(): &()| {
        let value = secret.get_untracked();
        let (password, confirm) = if local {
            (value, String::new())
        } else {
            (String::new(), value)
        };
        delete_account(password, confirm)
    });
    Effect::new(move |_| {
        if delete.value().get().is_some_and(|r| r.is_ok()) {
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(crate::hooks::clerk::sign_out_to("/?notice=account_deleted"));
        }
    });
    let (label, kind, hint, autocomplete) = if local {
        ("Your password", "password", "", "current-password")
    } else {
        (
            "Type DELETE (or your email) to confirm",
            "text",
            "DELETE",
            "off",
        )
    };
    view! {
        <section class="card danger-zone" data-testid="delete-account-section">
            <h2>"Delete account"</h2>
            <p>"This deletes your account, videos, uploads, jobs and share links for good. It cannot be undone."</p>
            <div class="field">
                <label for="delete-secret">{label}</label>
                <input id="delete-secret" type=kind placeholder=hint data-testid="delete-secret"
                    autocomplete=autocomplete
                    prop:value=move || secret.get()
                    on:input=move |ev| secret.set(event_target_value(&ev))/>
            </div>
            {move || if confirming.get() {
                view! {
                    <div class="row" role="alert">
                        <strong>"Delete everything now?"</strong>
                        <button class="btn btn-danger" data-testid="confirm-delete-account"
                            disabled=move || delete.pending().get()
                            on:click=move |_| { delete.dispatch(()); }>
                            {move || if delete.pending().get() { "Deleting…" } else { "Yes, delete my account" }}
                        </button>
                        <button class="btn" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </div>
                }.into_any()
            } else {
                view! {
                    <button class="btn btn-danger" data-testid="delete-account"
                        disabled=move || secret.with(String::is_empty)
                        on:click=move |_| confirming.set(true)>"Delete account"</button>
                }.into_any()
            }}
            {move || delete.value().get().and_then(Result::err).map(|error| view! {
                <ErrorNotice error testid="delete-account-error"/>
            })}
        </section>
    }
}
