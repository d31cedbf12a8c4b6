//! Signs the user out after a stretch without input, then the sign-in page says why (no `alert()`).
//! Activity in any tab of this site counts: the last moment is shared through `localStorage`.

use super::clerk;
use leptos::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

const STORAGE_KEY: &str = "t2m:last-activity";

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn shared_last_activity() -> Option<u64> {
    window()
        .local_storage()
        .ok()??
        .get_item(STORAGE_KEY)
        .ok()??
        .parse()
        .ok()
}

fn publish(at: u64) {
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(STORAGE_KEY, &at.to_string());
    }
}

/// Starts watching for input; after `timeout_secs` without any, signs out with reason `inactivity`.
pub fn use_idle_sign_out(timeout_secs: u64) {
    let last = Arc::new(AtomicU64::new(0));
    let stopped = Arc::new(AtomicBool::new(false));
    let mut handles = Vec::new();
    for name in [
        "mousedown",
        "mousemove",
        "keydown",
        "scroll",
        "touchstart",
        "wheel",
    ] {
        let last = Arc::clone(&last);
        handles.push(window_event_listener_untyped(name, move |_| {
            let now = now_ms();
            // Publishing at most once a second keeps mousemove cheap.
            if now.saturating_sub(last.swap(now, Ordering::Relaxed)) > 1000 {
                publish(now);
            }
        }));
    }
    let loop_last = Arc::clone(&last);
    let loop_stopped = Arc::clone(&stopped);
    Effect::new(move |_| {
        let last = Arc::clone(&loop_last);
        let stopped = Arc::clone(&loop_stopped);
        let start = now_ms();
        last.store(start, Ordering::Relaxed);
        publish(start);
        leptos::task::spawn_local(async move {
            let timeout_ms = timeout_secs.saturating_mul(1000);
            let tick = u32::try_from((timeout_ms / 10).clamp(250, 5000)).unwrap_or(5000);
            while !stopped.load(Ordering::Relaxed) {
                gloo_timers::future::TimeoutFuture::new(tick).await;
                let latest = last
                    .load(Ordering::Relaxed)
                    .max(shared_last_activity().unwrap_or(0));
                if now_ms().saturating_sub(latest) >= timeout_ms {
                    stopped.store(true, Ordering::Relaxed);
                    clerk::sign_out(Some("inactivity")).await;
                }
            }
        });
    });
    on_cleanup(move || {
        stopped.store(true, Ordering::Relaxed);
        for handle in handles {
            handle.remove();
        }
    });
}
