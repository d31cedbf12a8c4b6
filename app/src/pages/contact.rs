//! `/contact`: how to reach us.

use leptos::prelude::*;
use leptos_meta::Title;

/// The contact page.
#[component]
pub fn ContactPage() -> impl IntoView {
    view! {
        <Title text="Contact"/>
        <section class="page-head prose">
            <h1>"Contact"</h1>
            <p class="lead">"Questions, feedback or a problem with a video? We read everything."</p>
            <dl class="contact-list">
                <dt>"Support"</dt>
                <dd><a href="mailto:support@t2m-app.com">"support@t2m-app.com"</a></dd>
                <dt>"Security reports"</dt>
                <dd><a href="mailto:security@t2m-app.com">"security@t2m-app.com"</a></dd>
                <dt>"Press"</dt>
                <dd><a href="mailto:press@t2m-app.com">"press@t2m-app.com"</a></dd>
            </dl>
        </section>
    }
}
