//! "Share" on the player: makes a public link to a job's video and shows it, read-only, with a Copy button.
//! The link's URL is only ever told here, once: the server keeps just its token's hash.

use crate::components::error_notice::ErrorNotice;
#[cfg(feature = "hydrate")]
use crate::domain::share::ShareCreated;
use crate::server_fns::shares::create_share;
use leptos::html::Input;
use leptos::prelude::*;

/// Lifetimes offered, in seconds; `never` makes a link that works until revoked.
const LIFETIMES: [(&str, &str); 4] = [
    ("86400", "1 day"),
    ("604800", "7 days"),
    ("2592000", "30 days"),
    ("never", "until revoked"),
];

/// `navigator.clipboard.writeText`, reached through `js_sys::Reflect` (as `hooks::clerk` reaches `window.Clerk`):
/// the one call this needs, without widening the `web-sys` feature set every crate of the workspace is built
/// with. The API is missing on insecure origins, and the browser may refuse; both read as "not copied".
#[cfg(feature = "hydrate")]
mod clipboard {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    fn write_text(text: &str) -> Result<Promise, JsValue> {
        let navigator = Reflect::get(&js_sys::global(), &"navigator".into())?;
        let clipboard = Reflect::get(&navigator, &"clipboard".into())?;
        let write: Function = Reflect::get(&clipboard, &"writeText".into())?.dyn_into()?;
        write.call1(&clipboard, &text.into())?.dyn_into()
    }

    /// Whether the text reached the clipboard.
    pub async fn copy(text: &str) -> bool {
        match write_text(text) {
            Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
            Err(_) => false,
        }
    }
}

/// Selects the link, so it can be copied by hand.
#[cfg(feature = "hydrate")]
fn select_text(input: NodeRef<Input>) {
    if let Some(element) = input.get_untracked() {
        element.select();
    }
}

/// Copies the link made; where the clipboard refuses, selects it instead and says how to copy it.
#[cfg(feature = "hydrate")]
fn copy_link(
    create: Action<(String, Option<i64>), Result<ShareCreated, crate::error::ApiError>>,
    input: NodeRef<Input>,
    copied: RwSignal<Option<bool>>,
) {
    let Some(Ok(created)) = create.value().get_untracked() else {
        return;
    };
    leptos::task::spawn_local(async move {
        let done = clipboard::copy(&created.url).await;
        if !done {
            select_text(input);
        }
        copied.set(Some(done));
    });
}

/// The Share panel for the video of `job_id`.
#[component]
pub fn ShareButton(job_id: String) -> impl IntoView {
    let create =
        Action::new(|(job_id, secs): &(String, Option<i64>)| create_share(job_id.clone(), *secs));
    let lifetime = RwSignal::new("604800".to_owned());
    // `Some(true)`: copied; `Some(false)`: the clipboard refused, so the text is selected for the user to copy.
    let copied = RwSignal::new(None::<bool>);
    let input = NodeRef::<Input>::new();
    let share = move |_| {
        copied.set(None);
        let secs = lifetime.get_untracked().parse::<i64>().ok();
        create.dispatch((job_id.clone(), secs));
    };
    let select = move |_| {
        #[cfg(feature = "hydrate")]
        select_text(input);
    };
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        copy_link(create, input, copied);
    };
    view! {
        <section class="card" data-testid="share-panel">
            <div class="row">
                <h2>"Share"</h2>
                <span class="spacer"></span>
                <label class="muted">"Link works for "
                    <select data-testid="share-lifetime" on:change=move |ev| lifetime.set(event_target_value(&ev))>
                        {LIFETIMES.into_iter().map(|(value, label)| view! {
                            <option value=value selected={value == "604800"}>{label}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" class="btn btn-primary" data-testid="share-create" on:click=share
                    disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Creating link…" } else { "Share" }}
                </button>
            </div>
            {move || match create.value().get() {
                None => None,
                Some(Err(error)) => Some(view! { <ErrorNotice error testid="share-error"/> }.into_any()),
                Some(Ok(created)) => Some(view! {
                    <div class="row">
                        <input type="text" readonly=true style="flex: 1; min-width: 16rem" aria-label="Share link" data-testid="share-url"
                            node_ref=input value=created.url on:focus=select/>
                        <button type="button" class="btn" data-testid="share-copy" on:click=copy>"Copy"</button>
                        <span role="status" data-testid="share-copied">
                            {move || match copied.get() {
                                Some(true) => "Copied",
                                Some(false) => "Press Ctrl+C (⌘C on a Mac) to copy the selected link",
                                None => "",
                            }}
                        </span>
                    </div>
                    <p class="muted">{match created.expires_at {
                        Some(at) => format!("Anyone with the link can watch until {at}. Revoke it on your profile."),
                        None => "Anyone with the link can watch until you revoke it on your profile.".to_owned(),
                    }}</p>
                }.into_any()),
            }}
        </section>
    }
}
