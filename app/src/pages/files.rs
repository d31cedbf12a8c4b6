//! `/files`: upload with progress, and the list of one's files (searchable by name with `?q=`, paged with
//! "Load more") with open, rename and delete (confirmed inline, a real form: it works before the WASM
//! arrives, and once hydrated the row updates or leaves in place).

use crate::components::access::RequireAccess;
use crate::components::error_notice::ErrorNotice;
use crate::components::library_actions::RenameFileForm;
use crate::components::paging::{href_with, LoadMore, Paged, SearchBox};
use crate::components::upload_form::UploadForm;
use crate::domain::access::Access;
use crate::domain::file::{human_size, FilePage, FileView};
use crate::server_fns::files::{get_upload_policy, list_files, DeleteFile};
use leptos::html::Details;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `2026-11-25T22:03:35.000Z` → `2026-11-25 22:03 UTC`.
fn short_date(iso: &str) -> String {
    match iso.get(..16) {
        Some(head) => format!("{} UTC", head.replacen('T', " ", 1)),
        None => iso.to_owned(),
    }
}

#[component]
fn FileRow(file: FileView, paged: Paged<FileView>) -> impl IntoView {
    let delete = ServerAction::<DeleteFile>::new();
    let id = file.id.clone();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            paged.remove(|f| f.id == id);
        }
    });
    let name = RwSignal::new(file.filename.clone());
    // `<details>` opens the confirmation without JavaScript; "Keep" closes it once hydrated.
    let confirm = NodeRef::<Details>::new();
    let keep = move |_| {
        if let Some(details) = confirm.get() {
            let _ = details.remove_attribute("open");
        }
    };
    let is_video = file.kind == "video";
    let delete_id = file.id.clone();
    view! {
        <tr data-testid="file-row" data-id=file.id.clone()>
            <td data-testid="file-name">{move || name.get()}</td>
            <td>{human_size(file.size_bytes)}</td>
            <td><code>{file.content_type.split(';').next().unwrap_or_default().to_owned()}</code></td>
            <td>{short_date(&file.created_at)}</td>
            <td>
                <div class="row">
                    {is_video.then(|| view! {
                        <a class="btn btn-sm" href=format!("/videos/{}", file.id) data-testid="open-file">"Open"</a>
                    })}
                    <RenameFileForm id=file.id.clone() name/>
                    <details class="confirm" node_ref=confirm>
                        <summary class="btn btn-sm btn-danger" data-testid="delete-file">"Delete"</summary>
                        <div class="row">
                            <span class="muted">"Delete " {move || name.get()} "?"</span>
                            <ActionForm action=delete>
                                <input type="hidden" name="id" value=delete_id/>
                                <button class="btn btn-sm btn-danger" type="submit" data-testid="confirm-delete"
                                    disabled=move || delete.pending().get()>
                                    {move || if delete.pending().get() { "Deleting…" } else { "Yes, delete" }}
                                </button>
                            </ActionForm>
                            <button class="btn btn-sm" type="button" data-testid="cancel-delete" on:click=keep>"Keep"</button>
                        </div>
                    </details>
                </div>
                {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            </td>
        </tr>
    }
}

/// The first page of files and those "Load more" adds.
#[component]
fn FileTable(page: FilePage, q: String) -> impl IntoView {
    let paged = Paged::new(page.items, page.next_cursor);
    let search = q.clone();
    let on_more = Callback::new(move |()| {
        let q = search.clone();
        paged.load_more(move |cursor| async move {
            list_files(Some(q), Some(cursor))
                .await
                .map(|p| (p.items, p.next_cursor))
        });
    });
    view! {
        <table>
            <thead><tr><th>"Name"</th><th>"Size"</th><th>"Type"</th><th>"Uploaded"</th><th></th></tr></thead>
            <tbody>
                <For each=move || paged.items.get() key=|file| file.id.clone() let:file>
                    <FileRow file paged/>
                </For>
            </tbody>
        </table>
        {move || paged.items.with(Vec::is_empty).then(|| view! {
            <p class="muted" data-testid="no-files">"No files yet. Upload one above."</p>
        })}
        <LoadMore paged href=move |c: &str| href_with("/files", &[("q", &q), ("cursor", c)]) on_more/>
    }
}

/// The files page.
#[component]
pub fn FilesPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q")).unwrap_or_default());
    let cursor = Memo::new(move |_| query.with(|m| m.get("cursor")));
    let uploads = RwSignal::new(0u32);
    let files = Resource::new(
        move || (q.get(), cursor.get(), uploads.get()),
        |(q, cursor, _)| list_files(Some(q), cursor),
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
                <SearchBox action="/files" value=q label="Search your files"/>
                <section class="card">
                    <Transition fallback=|| view! { <p class="muted">"Loading your files…"</p> }>
                        {move || Suspend::new(async move {
                            match files.await {
                                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                                Ok(page) if page.items.is_empty() && !q.get_untracked().is_empty() => {
                                    view! { <p class="muted" data-testid="no-results">"No files match your search."</p> }.into_any()
                                }
                                Ok(page) if page.items.is_empty() => {
                                    view! { <p class="muted" data-testid="no-files">"No files yet. Upload one above."</p> }.into_any()
                                }
                                Ok(page) => view! { <FileTable page q=q.get_untracked()/> }.into_any(),
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
