//! `/videos/:id`: one video, full width, with what is known about it.

use crate::components::access::RequireAccess;
use crate::components::share_button::ShareButton;
use crate::components::video_player::{PlayerSource, VideoPlayer};
use crate::domain::access::Access;
use crate::domain::file::{human_size, FileView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The file's details (browser only; jobs have their own page for theirs).
#[component]
fn FileDetails(id: String) -> impl IntoView {
    let details = RwSignal::new(None::<FileView>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |prev: Option<()>| {
        if prev.is_none() {
            let id = id.clone();
            leptos::task::spawn_local(async move {
                if let Ok(file) = crate::server_fns::files::get_file(id).await {
                    details.set(Some(file));
                }
            });
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    move || {
        details.get().map(|file| {
            let metadata = file
                .metadata
                .as_object()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned))).collect::<Vec<_>>())
                .unwrap_or_default();
            view! {
                <section class="card" data-testid="video-details">
                    <h2>{file.filename.clone()}</h2>
                    <dl class="kv">
                        <dt>"Size"</dt><dd>{human_size(file.size_bytes)}</dd>
                        <dt>"Type"</dt><dd><code>{file.content_type.clone()}</code></dd>
                        <dt>"Uploaded"</dt><dd>{file.created_at.clone()}</dd>
                        <dt>"SHA-256"</dt><dd><code>{file.sha256.clone()}</code></dd>
                        {metadata.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                </section>
            }
        })
    }
}

/// The video page.
#[component]
pub fn VideoPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    view! {
        <Title text="Video"/>
        <RequireAccess level=Access::SignedIn>
            {move || {
                let id = id();
                match PlayerSource::from_id(&id) {
                    None => view! {
                        <p class="notice" data-testid="player-not-found">"This video does not exist or is not yours."</p>
                    }.into_any(),
                    Some(source) => {
                        let file_id = matches!(source, PlayerSource::File(_)).then(|| id.clone());
                        let job_id = file_id.is_none().then(|| id.clone());
                        view! {
                            <section class="page-head row">
                                <h1>"Video"</h1>
                                <span class="spacer"></span>
                                <a class="btn" href="/files">"Back to files"</a>
                            </section>
                            <div class="stack">
                                <crate::components::video_actions::VideoActions source=source.clone()/>
                                <VideoPlayer source/>
                                {job_id.map(|job_id| view! { <ShareButton job_id/> })}
                                {file_id.map(|id| view! { <FileDetails id/> })}
                            </div>
                        }.into_any()
                    }
                }
            }}
        </RequireAccess>
    }
}
