//! A browser `EventSource` (server-sent events) with Rust callbacks, closed when dropped; and whether the tab is
//! visible, which live pages use to stop streaming in the background.
//!
//! The stream is same-origin, so the browser sends the `__session` cookie and the server authenticates it like
//! any page request. `EventSource` hides the status of a refused connection: a 401 (stale cookie), a 404 and
//! an unreachable server all look the same, a closed source, which callers answer by refreshing the session
//! and trying once more, then falling back to polling through server functions.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

/// An open stream; dropping it closes the connection.
pub struct Connection {
    source: EventSource,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_open: Closure<dyn FnMut(web_sys::Event)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Connection {
    /// Opens `url`. `on_message` gets each event's data, `on_open` each (re)connection, `on_closed` the moment
    /// the browser gives up (a refused connection; dropped connections it retries by itself are not reported).
    pub fn open(
        url: &str,
        on_message: impl FnMut(String) + 'static,
        mut on_open: impl FnMut() + 'static,
        mut on_closed: impl FnMut() + 'static,
    ) -> Option<Self> {
        let source = EventSource::new(url).ok()?;
        let mut on_message = on_message;
        let message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(data) = event.data().as_string() {
                on_message(data);
            }
        });
        let open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| on_open());
        let watched = source.clone();
        let error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if watched.ready_state() == EventSource::CLOSED {
                on_closed();
            }
        });
        source.set_onmessage(Some(message.as_ref().unchecked_ref()));
        source.set_onopen(Some(open.as_ref().unchecked_ref()));
        source.set_onerror(Some(error.as_ref().unchecked_ref()));
        Some(Self {
            source,
            _on_message: message,
            _on_open: open,
            _on_error: error,
        })
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.source.set_onmessage(None);
        self.source.set_onopen(None);
        self.source.set_onerror(None);
        self.source.close();
    }
}

/// Whether the tab is visible now; follows `visibilitychange` for the life of the calling component.
pub fn use_tab_visible() -> Signal<bool> {
    let visible = RwSignal::new(true);
    // Effects run only in the browser, where the document can be asked.
    Effect::new(move |_| visible.set(!tab_hidden()));
    let listener = window_event_listener(leptos::ev::visibilitychange, move |_| {
        visible.set(!tab_hidden());
    });
    on_cleanup(move || listener.remove());
    visible.into()
}

/// Whether the document is hidden (another tab, a minimised window).
pub fn tab_hidden() -> bool {
    document().visibility_state() == web_sys::VisibilityState::Hidden
}
