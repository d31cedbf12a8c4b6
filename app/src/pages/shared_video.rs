//! `/s/:token`: the public page of a share link. No session is needed or read: the server resolves the link
//! and renders the whole page (`SsrMode::Async`), Open Graph tags included, with the video and its poster
//! behind signed URLs minted for this load. A link that does not work renders the 404 page with status 404.

use crate::components::error_notice::ErrorNotice;
use crate::domain::share::SharedVideo;
use crate::pages::not_found::NotFoundPage;
use crate::server_fns::shares::get_shared_video;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// The video, its title and the tags link previews read.
#[component]
fn SharedPlayer(video: SharedVideo) -> impl IntoView {
    let poster = video.poster_url.clone();
    view! {
        <Title text=video.title.clone()/>
        // Links are private to whoever holds them: keep them out of search results.
        <Meta name="robots" content="noindex"/>
        <Meta property="og:title" content=video.title.clone()/>
        <Meta property="og:type" content="video.other"/>
        <Meta property="og:url" content=video.page_url.clone()/>
        <Meta property="og:video" content=video.video_url.clone()/>
        <Meta property="og:video:type" content="video/mp4"/>
        {poster.clone().map(|src| view! { <Meta property="og:image" content=src/> })}
        <section class="page-head">
            <p class="eyebrow">"Shared video"</p>
            <h1 data-testid="shared-title">{video.title.clone()}</h1>
        </section>
        <div class="video-frame">
            <video data-testid="shared-video" controls=true preload="metadata" playsinline=true
                src=video.video_url poster=poster>
                "Your browser cannot play this video."
            </video>
        </div>
        <p class="muted">"Made with " <a href="/">"T2M"</a> "."</p>
    }
}

/// The share page.
#[component]
pub fn SharedVideoPage() -> impl IntoView {
    let params = use_params_map();
    let shared = Resource::new(
        move || params.read().get("token").unwrap_or_default(),
        get_shared_video,
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading video…"</p> }>
            {move || Suspend::new(async move {
                match shared.await {
                    Ok(video) => view! { <SharedPlayer video/> }.into_any(),
                    Err(err) if err.code == "not_found" => view! { <NotFoundPage/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
