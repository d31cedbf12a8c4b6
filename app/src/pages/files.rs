//! `/files`: upload with progress, and the list of one's files with open and delete (confirmed inline, a real
//! form: it works before the WASM arrives, and once hydrated the list refetches in place).

use crate::components::access::RequireAccess;
use crate::components::error_notice::ErrorNotice;
use crate::components::upload_form::UploadForm;
use crate::domain::access::Access;
use crate::domain::file::{human_size, FileView};
use crate::server_fns::files::{get_upload_policy, list_files, DeleteFile};
use leptos::html::Details;
use leptos::prelude::*;
use leptos_meta::Title;

/// `2026-11-25T22:03:35.000Z` → `2026-11-25 22:03 UTC`.
fn short_date(iso: &str) -> String {
    match iso.get(..16) {
        Some(head) => format!("{} UTC", head.replacen('T', " ", 1)),
        None => iso.to_owned(),
    }
}

#[component]
fn FileRow(file: FileView, delete: ServerAction<DeleteFile>) -> impl IntoView {
    // `<details>` opens the confirmation without JavaScript; "Keep" closes it once hydrated.
    let confirm = NodeRef::<Details>::new();
    let keep = move |_| {
        if let Some(details) = confirm.get() {
            let _ = details.remove_attribute("open");
        }
    };
    let is_video = file.kind == "video";
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
                    <details class="confirm" node_ref=confirm>
                        <summary class="btn btn-sm btn-danger" data-testid="delete-file">"Delete"</summary>
                        <div class="row">
                            <span class="muted">"Delete " {file.filename.clone()} "?"</span>
                            <ActionForm action=delete>
                                <input type="hidden" name="id" value=file.id.clone()/>
                                <button class="btn btn-sm btn-danger" type="submit" data-testid="confirm-delete"
                                    disabled=move || delete.pending().get()>
                                    {move || if delete.pending().get() { "Deleting…" } else { "Yes, delete" }}
                                </button>
                            </ActionForm>
                            <button class="btn btn-sm" type="button" data-testid="cancel-delete" on:click=keep>"Keep"</button>
                        </div>
                    </details>
                </div>
            </td>
        </tr>
    }
}

/// The files page.
#[component]
pub fn FilesPage() -> impl IntoView {
    let delete = ServerAction::<DeleteFile>::new();
    let uploads = RwSignal::new(0u32);
    let files = Resource::new(
        move || (delete.version().get(), uploads.get()),
        |_| list_files(100),
    );
    let policy = Resource::new(|| (), |()| get_upload_policy());
    let max_bytes = Signal::derive(move || {
        policy
            .get()
            .and_then(Result::ok)
            .map(|p| p.max_upload_bytes)
    });
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
                        view! { <UploadForm max_bytes on_uploaded=Callback::new(move |_| uploads.update(|n| *n += 1))/> }
                    })}
                </Transition>
                {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
                <section class="card">
                    <Transition fallback=|| view! { <p class="muted">"Loading your files…"</p> }>
                        {move || Suspend::new(async move {
                            match files.await {
                                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                                Ok(page) if page.items.is_empty() => {
                                    view! { <p class="muted" data-testid="no-files">"No files yet. Upload one above."</p> }.into_any()
                                }
                                Ok(page) => view! {
                                    <table>
                                        <thead><tr><th>"Name"</th><th>"Size"</th><th>"Type"</th><th>"Uploaded"</th><th></th></tr></thead>
                                        <tbody>
                                            {page.items
                                                .into_iter()
                                                .map(|file| view! { <FileRow file delete/> })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any(),
                            }
                        })}
                    </Transition>
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
