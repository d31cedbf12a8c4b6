//! `/files`: upload with progress, and the list of one's files with open and delete (confirmed inline).

use crate::components::access::RequireAccess;
use crate::components::upload_form::UploadForm;
use crate::domain::access::Access;
use crate::domain::file::{human_size, FilePage, FileView};
use crate::server_fns::files::get_upload_policy;
use leptos::prelude::*;
use leptos_meta::Title;

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser loads the list")
)]
enum Listing {
    Loading,
    Loaded(Vec<FileView>),
    Failed(String),
}

/// Loads the newest files into `listing` (browser only; the server renders the loading state).
fn reload(listing: RwSignal<Listing>) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        let result = crate::hooks::api::get::<FilePage>("/api/v1/files?limit=100").await;
        listing.set(match result {
            Ok(page) => Listing::Loaded(page.items),
            Err(err) => Listing::Failed(err.error),
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (listing, std::marker::PhantomData::<FilePage>);
}

/// `2026-11-25T22:03:35.000Z` → `2026-11-25 22:03 UTC`.
fn short_date(iso: &str) -> String {
    match iso.get(..16) {
        Some(head) => format!("{} UTC", head.replacen('T', " ", 1)),
        None => iso.to_owned(),
    }
}

#[component]
fn FileRow(
    file: FileView,
    listing: RwSignal<Listing>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let id = file.id.clone();
    let delete = move |_| {
        deleting.set(true);
        #[cfg(feature = "hydrate")]
        {
            let path = format!("/api/v1/files/{id}");
            leptos::task::spawn_local(async move {
                let result =
                    crate::hooks::api::request::<serde_json::Value, ()>("DELETE", &path, None)
                        .await;
                deleting.set(false);
                confirming.set(false);
                match result {
                    Ok(_) => reload(listing),
                    Err(err) => {
                        problem.set(Some(format!("Could not delete the file: {}", err.error)))
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&id, listing, problem);
    };
    let is_video = file.kind == "video";
    let name = file.filename.clone();
    view! {
        <tr data-testid="file-row">
            <td>{file.filename.clone()}</td>
            <td>{human_size(file.size_bytes)}</td>
            <td><code>{file.content_type.split(';').next().unwrap_or_default().to_owned()}</code></td>
            <td>{short_date(&file.created_at)}</td>
            <td>
                <div class="row">
                    {is_video.then(|| view! {
                        <a class="btn btn-sm" href=format!("/videos/{}", file.id) data-testid="open-file">"Open"</a>
                    })}
                    <Show when=move || confirming.get() fallback=move || view! {
                        <button class="btn btn-sm btn-danger" data-testid="delete-file" on:click=move |_| confirming.set(true)>
                            "Delete"
                        </button>
                    }>
                        <span class="muted">"Delete " {name.clone()} "?"</span>
                        <button class="btn btn-sm btn-danger" data-testid="confirm-delete" disabled=move || deleting.get() on:click=delete.clone()>
                            {move || if deleting.get() { "Deleting…" } else { "Yes, delete" }}
                        </button>
                        <button class="btn btn-sm" data-testid="cancel-delete" on:click=move |_| confirming.set(false)>"Keep"</button>
                    </Show>
                </div>
            </td>
        </tr>
    }
}

/// The files page.
#[component]
pub fn FilesPage() -> impl IntoView {
    let listing = RwSignal::new(Listing::Loading);
    let problem = RwSignal::new(None::<String>);
    let policy = Resource::new(|| (), |()| get_upload_policy());
    let max_bytes = Signal::derive(move || {
        policy
            .get()
            .and_then(Result::ok)
            .map(|p| p.max_upload_bytes)
    });
    Effect::new(move |_| reload(listing));
    view! {
        <Title text="Your files"/>
        <RequireAccess level=Access::SignedIn>
            <section class="page-head">
                <h1>"Your files"</h1>
                <p class="lead">"Upload videos and images, play them back through links that expire."</p>
            </section>
            <div class="stack">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let _ = policy.await;
                        view! { <UploadForm max_bytes on_uploaded=Callback::new(move |_| reload(listing))/> }
                    })}
                </Transition>
                {move || problem.get().map(|p| view! { <p class="notice notice-error">{p}</p> })}
                <section class="card">
                    {move || match listing.get() {
                        Listing::Loading => view! { <p class="muted">"Loading your files…"</p> }.into_any(),
                        Listing::Failed(message) => view! { <p class="notice notice-error">{message}</p> }.into_any(),
                        Listing::Loaded(files) if files.is_empty() => {
                            view! { <p class="muted" data-testid="no-files">"No files yet. Upload one above."</p> }.into_any()
                        }
                        Listing::Loaded(files) => view! {
                            <table>
                                <thead><tr><th>"Name"</th><th>"Size"</th><th>"Type"</th><th>"Uploaded"</th><th></th></tr></thead>
                                <tbody>
                                    {files
                                        .into_iter()
                                        .map(|file| view! { <FileRow file listing problem/> }.into_any())
                                        .collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }}
                </section>
            </div>
        </RequireAccess>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_short_and_say_utc() {
        assert_eq!(
            short_date("2026-11-25T22:03:35.000Z"),
            "2026-11-25 22:03 UTC"
        );
        assert_eq!(short_date("soon"), "soon");
    }
}
