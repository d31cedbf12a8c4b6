//! `/videos`: finished videos as a grid, searchable by title or prompt (`?q=`), paged with "Load more"; each
//! card renames and deletes in place.

use crate::components::access::RequireAccess;
use crate::components::error_notice::ErrorNotice;
use crate::components::library_actions::{DeleteJobButton, RenameJobForm};
use crate::components::paging::{href_with, LoadMore, Paged, SearchBox};
use crate::domain::access::Access;
use crate::domain::job::JobView;
use crate::domain::library::JobPage;
use crate::pages::video_thumbnail::Thumbnail;
use crate::server_fns::jobs::list_jobs;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The video gallery.
#[component]
pub fn VideosPage() -> impl IntoView {
    view! {
        <Title text="Your videos"/>
        <RequireAccess level=Access::SignedIn>
            <section class="page-head row">
                <h1>"Your videos"</h1>
                <span class="spacer"></span>
                <a class="btn btn-primary" href="/generate">"New video"</a>
            </section>
            <VideoLibrary/>
        </RequireAccess>
    }
}

/// One page of finished videos matching `q`, after `cursor`.
async fn video_page(q: String, cursor: Option<String>) -> Result<JobPage, crate::error::ApiError> {
    list_jobs(Some("completed".into()), Some(q), cursor).await
}

/// The search box and the grid; both follow `?q=` and `?cursor=` in the URL.
#[component]
fn VideoLibrary() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q")).unwrap_or_default());
    let cursor = Memo::new(move |_| query.with(|m| m.get("cursor")));
    // A video that finishes while the page is open joins the grid.
    let feed = crate::hooks::use_job_feed::use_job_feed();
    let videos = Resource::new(
        move || (q.get(), cursor.get(), feed.finished.get()),
        |(q, cursor, _)| video_page(q, cursor),
    );
    view! {
        <SearchBox action="/videos" value=q label="Search your videos"/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match videos.await {
                    Ok(page) if page.items.is_empty() && q.get_untracked().is_empty() => view! {
                        <div class="card center"><p class="muted">"Finished videos appear here."</p></div>
                    }.into_any(),
                    Ok(page) if page.items.is_empty() => view! {
                        <div class="card center"><p class="muted" data-testid="no-results">"No videos match your search."</p></div>
                    }.into_any(),
                    Ok(page) => view! { <VideoGrid page q=q.get_untracked()/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The cards of the first page, and those "Load more" adds.
#[component]
fn VideoGrid(page: JobPage, q: String) -> impl IntoView {
    let paged = Paged::new(page.items, page.next_cursor);
    let search = q.clone();
    let on_more = Callback::new(move |()| {
        let q = search.clone();
        paged.load_more(move |cursor| async move {
            video_page(q, Some(cursor))
                .await
                .map(|p| (p.items, p.next_cursor))
        });
    });
    view! {
        <div class="grid" data-testid="video-grid">
            <For each=move || paged.items.get() key=|job| job.id.clone() let:job>
                <VideoCard job paged/>
            </For>
        </div>
        {move || paged.items.with(Vec::is_empty).then(|| view! {
            <div class="card center"><p class="muted" data-testid="no-videos">"No videos left here."</p></div>
        })}
        <LoadMore paged href=move |c: &str| href_with("/videos", &[("q", &q), ("cursor", c)]) on_more/>
    }
}

#[component]
fn VideoCard(job: JobView, paged: Paged<JobView>) -> impl IntoView {
    let title = RwSignal::new(job.title.clone());
    let id = job.id.clone();
    let gone = Callback::new(move |()| paged.remove(|j| j.id == id));
    view! {
        <div class="card video-card" data-testid="video-card" data-id=job.id.clone()>
            <a class="video-link" href=format!("/videos/{}", job.id) title=job.prompt.clone()>
                <Thumbnail file_id=job.thumbnail_file_id.clone()/>
                <div class="clamp" data-testid="video-title">{move || title.get()}</div>
            </a>
            <div class="muted small">{format!("{} s · {}", job.duration, job.quality.as_str())}</div>
            <div class="row">
                <RenameJobForm id=job.id.clone() title/>
                <DeleteJobButton id=job.id.clone() what="this video" on_deleted=gone/>
            </div>
        </div>
    }
}
