//! A video's thumbnail, loaded through a short-lived signed URL.

use leptos::prelude::*;

/// The thumbnail image, or a plain placeholder while it loads or when there is none.
#[component]
pub fn Thumbnail(file_id: Option<String>) -> impl IntoView {
    let url = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(id) = file_id.clone() {
            leptos::task::spawn_local(async move {
                if let Ok(signed) = crate::server_fns::files::sign_url(id, Some(3600)).await {
                    url.set(Some(signed.url));
                }
            });
        }
    });
    move || match url.get() {
        Some(src) => view! { <img class="thumb" src=src alt="" loading="lazy"/> }.into_any(),
        None => view! { <div class="thumb" aria-hidden="true"></div> }.into_any(),
    }
}
