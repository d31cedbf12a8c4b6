//! What a person does to a video or file in place: rename it, delete it (confirmed inline), download it. Each
//! is a real form inside a `<details>`, so it opens and submits without JavaScript (the server function then
//! redirects back); once hydrated the result updates the page where it stands.

use crate::server_fns::files::{DownloadUrl, RenameFile};
use crate::server_fns::jobs::{DeleteJob, RenameJob};
use leptos::html::Details;
use leptos::prelude::*;

/// Closes a `<details>` once hydrated.
fn close(details: NodeRef<Details>) {
    if let Some(details) = details.get_untracked() {
        let _ = details.remove_attribute("open");
    }
}

/// Renames a video in place; `title` shows the current title and takes the new one once saved.
#[component]
pub fn RenameJobForm(id: String, title: RwSignal<String>) -> impl IntoView {
    let rename = ServerAction::<RenameJob>::new();
    let panel = NodeRef::<Details>::new();
    Effect::new(move |_| {
        if let Some(Ok(job)) = rename.value().get() {
            title.set(job.title);
            close(panel);
        }
    });
    view! {
        <details class="confirm rename" node_ref=panel>
            <summary class="btn btn-sm" data-testid="rename">"Rename"</summary>
            <ActionForm action=rename attr:class="row">
                <input type="hidden" name="id" value=id/>
                <input type="text" name="title" value=title.get_untracked() required=true maxlength="200"
                    aria-label="New title" data-testid="rename-input"/>
                <button class="btn btn-sm btn-primary" type="submit" data-testid="rename-save"
                    disabled=move || rename.pending().get()>"Save"</button>
                <button class="btn btn-sm" type="button" on:click=move |_| close(panel)>"Cancel"</button>
            </ActionForm>
            {move || rename.value().get().and_then(Result::err).map(|error| view! {
                <crate::components::error_notice::ErrorNotice error testid="rename-error"/>
            })}
        </details>
    }
}

/// Renames a file in place; `name` shows the current name and takes the new one once saved.
#[component]
pub fn RenameFileForm(id: String, name: RwSignal<String>) -> impl IntoView {
    let rename = ServerAction::<RenameFile>::new();
    let panel = NodeRef::<Details>::new();
    Effect::new(move |_| {
        if let Some(Ok(file)) = rename.value().get() {
            name.set(file.filename);
            close(panel);
        }
    });
    view! {
        <details class="confirm rename" node_ref=panel>
            <summary class="btn btn-sm" data-testid="rename">"Rename"</summary>
            <ActionForm action=rename attr:class="row">
                <input type="hidden" name="id" value=id/>
                <input type="text" name="name" value=name.get_untracked() required=true maxlength="255"
                    aria-label="New name" data-testid="rename-input"/>
                <button class="btn btn-sm btn-primary" type="submit" data-testid="rename-save"
                    disabled=move || rename.pending().get()>"Save"</button>
                <button class="btn btn-sm" type="button" on:click=move |_| close(panel)>"Cancel"</button>
            </ActionForm>
            {move || rename.value().get().and_then(Result::err).map(|error| view! {
                <crate::components::error_notice::ErrorNotice error testid="rename-error"/>
            })}
        </details>
    }
}

/// Deletes a video (and its job) after an inline "Yes, delete". `on_deleted` runs once it is gone; with
/// `then`, the browser goes there afterwards (the server function redirects).
#[component]
pub fn DeleteJobButton(
    id: String,
    #[prop(into)] what: String,
    #[prop(optional)] then: Option<&'static str>,
    #[prop(optional)] on_deleted: Option<Callback<()>>,
) -> impl IntoView {
    let delete = ServerAction::<DeleteJob>::new();
    let panel = NodeRef::<Details>::new();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            if let Some(done) = on_deleted {
                done.run(());
            }
            if let Some(path) = then {
                navigate(path, Default::default());
            }
        }
    });
    view! {
        <details class="confirm" node_ref=panel>
            <summary class="btn btn-sm btn-danger" data-testid="delete">"Delete"</summary>
            <div class="row">
                <span class="muted">"Delete " {what} " for good?"</span>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id/>
                    {then.map(|path| view! { <input type="hidden" name="then" value=path/> })}
                    <button class="btn btn-sm btn-danger" type="submit" data-testid="confirm-delete"
                        disabled=move || delete.pending().get()>
                        {move || if delete.pending().get() { "Deleting…" } else { "Yes, delete" }}
                    </button>
                </ActionForm>
                <button class="btn btn-sm" type="button" data-testid="cancel-delete" on:click=move |_| close(panel)>"Keep"</button>
            </div>
            {move || delete.value().get().and_then(Result::err).map(|error| view! {
                <crate::components::error_notice::ErrorNotice error testid="delete-error"/>
            })}
        </details>
    }
}

/// Downloads a video or file through a short-lived signed attachment URL (a form post before hydration,
/// which the server answers by redirecting to the download).
#[component]
pub fn DownloadButton(id: String) -> impl IntoView {
    let download = ServerAction::<DownloadUrl>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(Ok(signed)) = download.value().get() {
            // The response is an attachment, so the browser saves it and the page stays.
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_href(&signed.url);
            }
        }
    });
    view! {
        <ActionForm action=download attr:class="inline-form">
            <input type="hidden" name="id" value=id/>
            <button class="btn btn-sm" type="submit" data-testid="download"
                disabled=move || download.pending().get()>"Download"</button>
        </ActionForm>
        {move || download.value().get().and_then(Result::err).map(|error| view! {
            <crate::components::error_notice::ErrorNotice error testid="download-error"/>
        })}
    }
}
