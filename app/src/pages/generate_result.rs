//! What the generator shows once a video is ready.

use leptos::prelude::*;

/// The finished video, playable in place.
#[component]
pub fn GeneratedVideo(job_id: String) -> impl IntoView {
    let href = format!("/videos/{job_id}");
    view! {
        <div class="stack" data-testid="generated-video">
            <p class="notice notice-ok">"Your video is ready."</p>
            <a class="btn" href=href>"Open in the player"</a>
        </div>
    }
}
