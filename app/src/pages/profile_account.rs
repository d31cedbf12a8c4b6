//! The account sections of `/profile`: name and picture, password, "Download my data" and deleting the
//! account. With Clerk, names, pictures and passwords live in Clerk's own user profile, linked from here.

use crate::components::error_notice::ErrorNotice;
use crate::components::session::use_session;
use crate::domain::account::AccountSettings;
use crate::server_fns::account::{get_account_settings, ChangePassword, UpdateProfile};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Everything about the account itself, below the profile summary.
#[component]
pub fn AccountSections() -> impl IntoView {
    let settings = Resource::new(|| (), |()| get_account_settings());
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) if s.local_identity => view! {
                        <NameAndPicture settings=s.clone()/>
                        <PasswordSection/>
                        <ExportSection/>
                        <crate::pages::profile_delete::DeleteSection local=true/>
                    }.into_any(),
                    Ok(s) => view! {
                        <section class="card">
                            <h2>"Name, picture and password"</h2>
                            <p>"These are managed by your sign-in provider. "
                                <a href=s.clerk_profile_url.clone().unwrap_or_default() rel="external"
                                    data-testid="clerk-profile-link">"Open your account settings"</a></p>
                        </section>
                        <ExportSection/>
                        <crate::pages::profile_delete::DeleteSection local=false/>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn NameAndPicture(settings: AccountSettings) -> impl IntoView {
    let save = ServerAction::<UpdateProfile>::new();
    let session = use_session();
    // The header shows the name too: reload the session once a save succeeds.
    Effect::new(move |_| {
        if save.value().get().is_some_and(|r| r.is_ok()) {
            session.refetch();
        }
    });
    let query = use_query_map();
    let upload_error = move || query.with(|q| q.get("error"));
    view! {
        <section class="card" data-testid="profile-edit">
            <h2>"Name and picture"</h2>
            <ActionForm action=save attr:class="form">
                <div class="row">
                    <div class="field">
                        <label for="first_name">"First name"</label>
                        <input id="first_name" name="first_name" maxlength="80" autocomplete="given-name"
                            value=settings.first_name.clone().unwrap_or_default()/>
                    </div>
                    <div class="field">
                        <label for="last_name">"Last name"</label>
                        <input id="last_name" name="last_name" maxlength="80" autocomplete="family-name"
                            value=settings.last_name.clone().unwrap_or_default()/>
                    </div>
                </div>
                <button class="btn" type="submit" data-testid="save-name">"Save name"</button>
                {move || save.value().get().map(|r| match r {
                    Ok(()) => view! { <span class="muted small" data-testid="name-saved">" Saved"</span> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
            </ActionForm>
            // A plain form: the endpoint answers a browser with a redirect back here.
            <form class="form" method="post" action="/api/v1/me/avatar" enctype="multipart/form-data">
                <div class="row">
                    {settings.avatar_url.clone().map(|src| view! { <img class="avatar-lg" src=src alt="Your picture"/> })}
                    <div class="field">
                        <label for="avatar">"Picture (PNG, JPEG or WebP, up to 2 MB)"</label>
                        <input id="avatar" name="file" type="file" accept="image/png,image/jpeg,image/webp" required/>
                    </div>
                </div>
                <button class="btn" type="submit" data-testid="upload-avatar">"Upload picture"</button>
                {move || upload_error().map(|code| view! {
                    <p class="notice notice-error" role="alert" data-code=code.clone()>{avatar_error(&code)}</p>
                })}
            </form>
        </section>
    }
}

fn avatar_error(code: &str) -> &'static str {
    match code {
        "payload_too_large" => "That picture is over 2 MB.",
        "unsupported_media_type" => "Use a PNG, JPEG or WebP picture.",
        "quota_exceeded" => "Your storage is full; delete some files first.",
        _ => "The picture could not be saved. Please try again.",
    }
}

#[component]
fn PasswordSection() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <section class="card" data-testid="password-section">
            <h2>"Password"</h2>
            <ActionForm action=change attr:class="form">
                <div class="field">
                    <label for="current_password">"Current password"</label>
                    <input id="current_password" name="current_password" type="password" autocomplete="current-password" required/>
                </div>
                <div class="field">
                    <label for="new_password">"New password"</label>
                    <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="8" required/>
                    <span class="hint">"At least 8 characters. Your other devices will be signed out."</span>
                </div>
                <button class="btn" type="submit" data-testid="change-password">"Change password"</button>
                {move || change.value().get().map(|r| match r {
                    Ok(ended) => view! {
                        <p class="notice" role="status" data-testid="password-changed">
                            {format!("Password changed. {ended} other session(s) signed out.")}
                        </p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error testid="password-error"/> }.into_any(),
                })}
            </ActionForm>
        </section>
    }
}

#[component]
fn ExportSection() -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Your data"</h2>
            <p class="muted">"A zip of your account, jobs and files (with their bytes)."</p>
            <a class="btn" href="/api/v1/me/export" rel="external" download="" data-testid="export-data">
                "Download my data"
            </a>
        </section>
    }
}
