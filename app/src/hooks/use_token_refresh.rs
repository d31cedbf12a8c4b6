//! Keeps session tokens fresh: checks every 60 s and when the tab wakes up, refreshing any token that expires
//! within 300 s, so a sleeping laptop or hidden tab comes back signed in.

use super::clerk;
use leptos::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// How often to look at the token.
pub const CHECK_EVERY_MS: u32 = 60_000;
/// Refresh when the token has less than this left.
pub const REFRESH_WITHIN_SECS: i64 = 300;

async fn refresh_if_needed() {
    let Some(token) = clerk::get_token(Some(clerk::API_TEMPLATE), false).await else {
        return;
    };
    if clerk::seconds_left(&token).is_none_or(|left| left < REFRESH_WITHIN_SECS) {
        clerk::refresh_tokens().await;
    }
}

/// Runs the refresh loop while the calling component lives.
pub fn use_token_refresh() {
    let stopped = Arc::new(AtomicBool::new(false));
    let loop_stopped = Arc::clone(&stopped);
    Effect::new(move |_| {
        let stopped = Arc::clone(&loop_stopped);
        leptos::task::spawn_local(async move {
            while !stopped.load(Ordering::Relaxed) {
                refresh_if_needed().await;
                gloo_timers::future::TimeoutFuture::new(CHECK_EVERY_MS).await;
            }
        });
    });
    let wake = window_event_listener(leptos::ev::visibilitychange, |_| {
        let visible = document().visibility_state() == web_sys::VisibilityState::Visible;
        if visible {
            leptos::task::spawn_local(refresh_if_needed());
        }
    });
    let focus = window_event_listener(leptos::ev::focus, |_| {
        leptos::task::spawn_local(refresh_if_needed())
    });
    on_cleanup(move || {
        stopped.store(true, Ordering::Relaxed);
        wake.remove();
        focus.remove();
    });
}
