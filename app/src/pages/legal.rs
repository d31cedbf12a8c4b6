//! `/legal/privacy` and `/legal/terms`.

use leptos::prelude::*;
use leptos_meta::Title;

/// The privacy policy.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <Title text="Privacy policy"/>
        <article class="prose">
            <h1>"Privacy policy"</h1>
            <p class="muted">"Last updated 25 November 2026"</p>
            <h2>"What we keep"</h2>
            <p>"Your account (email, name), the prompts you submit, the videos and files you create or upload, and \
                technical logs without tokens or passwords."</p>
            <h2>"Who can see it"</h2>
            <p>"Only you. Files are served through links signed for you that expire; nobody else can open them \
                without a link you shared."</p>
            <h2>"Deleting"</h2>
            <p>"Deleting a file removes its bytes and invalidates every link to it. Deleting your account removes \
                your files and jobs."</p>
        </article>
    }
}

/// The terms of service.
#[component]
pub fn TermsPage() -> impl IntoView {
    view! {
        <Title text="Terms of service"/>
        <article class="prose">
            <h1>"Terms of service"</h1>
            <p class="muted">"Last updated 25 November 2026"</p>
            <h2>"Your content"</h2>
            <p>"You own your prompts and the videos made from them. Do not upload what you have no right to share."</p>
            <h2>"Fair use"</h2>
            <p>"Generation and uploads are rate-limited per hour so the service stays fast for everyone."</p>
            <h2>"Availability"</h2>
            <p>"We work hard to keep T2M running and your jobs safe, but the service is provided as is."</p>
        </article>
    }
}
