//! The secure video player: asks the `sign_url` server function for a signed URL, plays it, and renews the URL before it expires
//! while the page stays open (keeping the position and play state), with clear loading, error and 404 states.

use leptos::html::Video;
use leptos::prelude::*;

/// What to play.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlayerSource {
    /// The video a generation job produced.
    Job(String),
    /// A stored video file.
    File(String),
}

impl PlayerSource {
    /// Reads an id from a URL: `job_…` ids are jobs, `file_…` ids files, anything else nothing.
    pub fn from_id(id: &str) -> Option<Self> {
        if id.starts_with("job_") {
            Some(Self::Job(id.to_owned()))
        } else if id.starts_with("file_") {
            Some(Self::File(id.to_owned()))
        } else {
            None
        }
    }

    /// The id `sign_url` takes for this source.
    pub fn id(&self) -> &str {
        match self {
            Self::Job(id) | Self::File(id) => id,
        }
    }
}

/// How long each signed URL is asked to live.
pub const URL_LIFETIME_SECS: i64 = 3600;

/// Milliseconds to wait before renewing a URL that expires at `expires_at` (unix seconds) seen at `now`:
/// five minutes early, or halfway through a short lifetime, and never sooner than ten seconds.
pub fn renew_after_ms(expires_at: i64, now: i64) -> u32 {
    let left = (expires_at - now).max(0);
    let ahead = 300.min(left / 2);
    u32::try_from((left - ahead).max(10) * 1000).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser leaves the loading state")
)]
enum Phase {
    Loading,
    Playing,
    NotFound,
    Failed(String),
}

/// Plays `source` through expiring signed URLs.
#[component]
pub fn VideoPlayer(source: PlayerSource, #[prop(optional)] autoplay: bool) -> impl IntoView {
    let phase = RwSignal::new(Phase::Loading);
    let src = RwSignal::new(None::<String>);
    // A job's stored thumbnail, shown before playback starts.
    let poster = RwSignal::new(None::<String>);
    let video = NodeRef::<Video>::new();

    #[cfg(feature = "hydrate")]
    {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let stopped = Arc::new(AtomicBool::new(false));
        let running = Arc::clone(&stopped);
        let id = source.id().to_owned();
        Effect::new(move |prev: Option<()>| {
            if prev.is_some() {
                return;
            }
            let (stopped, id) = (Arc::clone(&running), id.clone());
            if id.starts_with("job_") {
                let job_id = id.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(Some(signed)) =
                        crate::server_fns::shares::sign_poster_url(job_id).await
                    {
                        poster.set(Some(signed.url));
                    }
                });
            }
            leptos::task::spawn_local(async move {
                while !stopped.load(Ordering::Relaxed) {
                    match crate::server_fns::files::sign_url(id.clone(), Some(URL_LIFETIME_SECS))
                        .await
                    {
                        Ok(signed) => {
                            swap_source(video, src, signed.url);
                            phase.set(Phase::Playing);
                            // The browser's own date parser: chrono stays out of the WASM.
                            let expires_ms = js_sys::Date::parse(&signed.expires_at);
                            let expires = if expires_ms.is_nan() {
                                0
                            } else {
                                (expires_ms / 1000.0) as i64
                            };
                            let now = (js_sys::Date::now() / 1000.0) as i64;
                            gloo_timers::future::TimeoutFuture::new(renew_after_ms(expires, now))
                                .await;
                        }
                        Err(err) if err.code == "not_found" => return phase.set(Phase::NotFound),
                        Err(err) => return phase.set(Phase::Failed(err.error)),
                    }
                }
            });
        });
        on_cleanup(move || stopped.store(true, Ordering::Relaxed));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = &source;

    let on_error = move |_| {
        // A URL that stops working mid-play (revoked, deleted) is reported instead of a frozen frame.
        if src.get_untracked().is_some() {
            phase.set(Phase::Failed(
                "The video could not be played. Reload the page to try again.".into(),
            ));
        }
    };

    view! {
        <div class="stack">
            {move || match phase.get() {
                Phase::Loading => Some(view! { <p class="muted" data-testid="player-loading">"Loading video…"</p> }.into_any()),
                Phase::NotFound => Some(view! {
                    <p class="notice" data-testid="player-not-found">"This video does not exist or is not yours."</p>
                }.into_any()),
                Phase::Failed(message) => Some(view! {
                    <p class="notice notice-error" data-testid="player-error">{message}</p>
                }.into_any()),
                Phase::Playing => None,
            }}
            <div class="video-frame" class:hidden=move || phase.get() != Phase::Playing>
                <video node_ref=video data-testid="video-player" controls=true preload="metadata"
                    autoplay=autoplay playsinline=true src=move || src.get() poster=move || poster.get() on:error=on_error>
                    "Your browser cannot play this video."
                </video>
            </div>
        </div>
    }
}

/// Points the player at `url`; when it already played something, restores the position and play state
/// once the new source has loaded its metadata.
#[cfg(feature = "hydrate")]
fn swap_source(video: NodeRef<Video>, src: RwSignal<Option<String>>, url: String) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(element) = video.get_untracked() else {
        return src.set(Some(url));
    };
    if src.get_untracked().is_none() {
        return src.set(Some(url));
    }
    let position = element.current_time();
    let was_playing = !element.paused();
    let restore = element.clone();
    let once = Closure::once_into_js(move || {
        restore.set_current_time(position);
        if was_playing {
            let _ = restore.play();
        }
    });
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let _ = element.add_event_listener_with_callback_and_add_event_listener_options(
        "loadedmetadata",
        once.unchecked_ref(),
        &options,
    );
    src.set(Some(url));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_choose_the_source() {
        assert_eq!(
            PlayerSource::from_id("job_1"),
            Some(PlayerSource::Job("job_1".into()))
        );
        assert_eq!(
            PlayerSource::from_id("file_1"),
            Some(PlayerSource::File("file_1".into()))
        );
        assert_eq!(PlayerSource::from_id("../x"), None);
        assert_eq!(PlayerSource::Job("job_1".into()).id(), "job_1");
    }

    #[test]
    fn urls_are_renewed_before_they_expire() {
        assert_eq!(renew_after_ms(3600, 0), 3300 * 1000);
        assert_eq!(renew_after_ms(100, 0), 50 * 1000);
        assert_eq!(renew_after_ms(0, 50), 10 * 1000);
    }
}
