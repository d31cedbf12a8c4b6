//! `/about`: who makes T2M and why.

use leptos::prelude::*;
use leptos_meta::Title;

/// The about page.
#[component]
pub fn AboutPage() -> impl IntoView {
    view! {
        <Title text="About"/>
        <section class="page-head prose">
            <h1>"About T2M"</h1>
            <p class="lead">"We believe making a video should be as easy as writing a sentence."</p>
            <p>
                "T2M renders your prompt into a video on our own servers: scenes come from your sentences, \
                 colours and shapes from your words. Every job is tracked durably, so a restart never loses \
                 your work, and every file is served through short-lived signed links."
            </p>
            <p>"T2M is written in Rust end to end — the pages you see, the server, and the renderer."</p>
        </section>
    }
}
