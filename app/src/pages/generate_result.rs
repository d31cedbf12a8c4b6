//! What the generator shows once a video is ready: the video itself, playing in place.

use crate::components::video_player::{PlayerSource, VideoPlayer};
use leptos::prelude::*;

/// The finished video, playable in place, with a link to its own page.
#[component]
pub fn GeneratedVideo(job_id: String) -> impl IntoView {
    let href = format!("/videos/{job_id}");
    view! {
        <div class="stack" data-testid="generated-video">
            <VideoPlayer source=PlayerSource::Job(job_id) autoplay=true/>
            <div class="row">
                <span class="notice notice-ok">"Your video is ready."</span>
                <span class="spacer"></span>
                <a class="btn" href=href>"Open in the player"</a>
            </div>
        </div>
    }
}
