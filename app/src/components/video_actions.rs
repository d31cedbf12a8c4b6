//! The player page's title bar: the video's title (or file name) with Download, Rename and Delete. Deleting a
//! generated video returns to `/videos`, an uploaded one to `/files`.

use crate::components::library_actions::{
    DeleteJobButton, DownloadButton, RenameFileForm, RenameJobForm,
};
use crate::components::video_player::PlayerSource;
use crate::server_fns::files::{get_file, DeleteFile};
use crate::server_fns::jobs::get_job;
use leptos::prelude::*;

/// Title and actions for what the player shows; nothing when it cannot be found (the player says so).
#[component]
pub fn VideoActions(source: PlayerSource) -> impl IntoView {
    match source {
        PlayerSource::Job(id) => view! { <JobActions id/> }.into_any(),
        PlayerSource::File(id) => view! { <FileActions id/> }.into_any(),
    }
}

#[component]
fn JobActions(id: String) -> impl IntoView {
    let job = Resource::new(move || id.clone(), get_job);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                job.await.ok().map(|job| {
                    let title = RwSignal::new(job.title.clone());
                    let done = job.status == crate::domain::job::JobStatus::Completed;
                    view! {
                        <section class="row video-actions" data-testid="video-actions">
                            <h2 class="video-title" data-testid="video-title">{move || title.get()}</h2>
                            <span class="spacer"></span>
                            {done.then(|| view! { <DownloadButton id=job.id.clone()/> })}
                            <RenameJobForm id=job.id.clone() title/>
                            <DeleteJobButton id=job.id.clone() what="this video" then="/videos"/>
                        </section>
                    }
                })
            })}
        </Transition>
    }
}

#[component]
fn FileActions(id: String) -> impl IntoView {
    let file = Resource::new(move || id.clone(), get_file);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                file.await.ok().map(|file| {
                    let name = RwSignal::new(file.filename.clone());
                    view! {
                        <section class="row video-actions" data-testid="video-actions">
                            <h2 class="video-title" data-testid="video-title">{move || name.get()}</h2>
                            <span class="spacer"></span>
                            <DownloadButton id=file.id.clone()/>
                            <RenameFileForm id=file.id.clone() name/>
                            <DeleteFileButton id=file.id.clone()/>
                        </section>
                    }
                })
            })}
        </Transition>
    }
}

/// Deletes an uploaded file from the player, then returns to the file list.
#[component]
fn DeleteFileButton(id: String) -> impl IntoView {
    let delete = ServerAction::<DeleteFile>::new();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/files", Default::default());
        }
    });
    view! {
        <details class="confirm">
            <summary class="btn btn-sm btn-danger" data-testid="delete">"Delete"</summary>
            <div class="row">
                <span class="muted">"Delete this file for good?"</span>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id/>
                    <button class="btn btn-sm btn-danger" type="submit" data-testid="confirm-delete">"Yes, delete"</button>
                </ActionForm>
            </div>
            {move || delete.value().get().and_then(Result::err).map(|error| view! {
                <crate::components::error_notice::ErrorNotice error/>
            })}
        </details>
    }
}
