//! `/`: what T2M does, and a way in.

use crate::components::pricing_table::PricingTable;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The landing page.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let deleted = move || query.with(|q| q.get("notice")).as_deref() == Some("account_deleted");
    view! {
        <Title text="Turn words into video"/>
        {move || deleted().then(|| view! {
            <p class="notice" role="status" data-testid="account-deleted-notice">
                "Your account and everything in it were deleted, and you were signed out."
            </p>
        })}
        <section class="hero">
            <p class="eyebrow">"Text to Media"</p>
            <h1>"Describe it. Watch it render. Share it safely."</h1>
            <p class="lead">
                "T2M turns a written prompt into a finished video in seconds — rendered on our servers, \
                 tracked live as it progresses, and shared through links that expire when you say so."
            </p>
            <div class="hero-actions">
                <a class="btn btn-primary btn-lg" href="/sign-up" rel="external">"Create your first video"</a>
                <a class="btn btn-ghost btn-lg" href="/pricing">"See pricing"</a>
            </div>
        </section>
        <section class="features">
            <article class="card">
                <h3>"Live progress"</h3>
                <p>"Every frame counts: watch the bar move as your video renders, cancel at any moment."</p>
            </article>
            <article class="card">
                <h3>"Private by default"</h3>
                <p>"Your files are yours. Links are signed, expire on schedule and can be revoked by deleting."</p>
            </article>
            <article class="card">
                <h3>"Built to last"</h3>
                <p>"Jobs survive restarts and crashes. Nothing you start is ever lost or run twice."</p>
            </article>
        </section>
        <section class="pricing-teaser">
            <h2>"Simple pricing"</h2>
            <PricingTable/>
        </section>
    }
}
