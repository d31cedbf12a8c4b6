//! `/videos`: finished videos as a grid.

use crate::components::access::RequireAccess;
use crate::domain::access::Access;
use crate::server_fns::jobs::list_jobs;
use leptos::prelude::*;
use leptos_meta::Title;

/// The video gallery.
#[component]
pub fn VideosPage() -> impl IntoView {
    // A video that finishes while the page is open joins the grid.
    let feed = crate::hooks::use_job_feed::use_job_feed();
    let videos = Resource::new(
        move || feed.finished.get(),
        |_| list_jobs(Some("completed".into()), 0),
    );
    view! {
        <Title text="Your videos"/>
        <RequireAccess level=Access::SignedIn>
            <section class="page-head row">
                <h1>"Your videos"</h1>
                <span class="spacer"></span>
                <a class="btn btn-primary" href="/generate">"New video"</a>
            </section>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match videos.await {
                        Ok(list) if list.is_empty() => view! {
                            <div class="card center"><p class="muted">"Finished videos appear here."</p></div>
                        }.into_any(),
                        Ok(list) => view! {
                            <div class="grid">
                                {list.into_iter().map(|job| view! {
                                    <a class="card video-card" href=format!("/videos/{}", job.id) data-testid="video-card">
                                        <crate::pages::video_thumbnail::Thumbnail file_id=job.thumbnail_file_id.clone()/>
                                        <div class="clamp">{job.prompt.clone()}</div>
                                        <div class="muted small">{format!("{} s · {}", job.duration, job.quality.as_str())}</div>
                                    </a>
                                }).collect_view()}
                            </div>
                        }.into_any(),
                        Err(err) => view! { <p class="notice notice-error">{err.error}</p> }.into_any(),
                    }
                })}
            </Transition>
        </RequireAccess>
    }
}
