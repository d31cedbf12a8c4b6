//! Premium pages: advanced generation, batch processing, priority queue. Tier `premium` (or role `admin`).

use crate::components::access::RequireAccess;
use crate::domain::access::Access;
use leptos::prelude::*;
use leptos_meta::Title;

mod batch;

macro_rules! premium_page {
    ($name:ident, $title:literal, $blurb:literal) => {
        /// A premium page.
        #[component]
        pub fn $name() -> impl IntoView {
            view! {
                <Title text=$title/>
                <RequireAccess level=Access::Premium>
                    <section class="page-head">
                        <p class="eyebrow">"Premium"</p>
                        <h1>$title</h1>
                        <p class="lead">$blurb</p>
                        <a class="btn btn-primary" href="/generate">"Open the generator"</a>
                    </section>
                </RequireAccess>
            }
        }
    };
}

premium_page!(
    AdvancedGenerationPage,
    "Advanced generation",
    "Full HD 1080p and videos up to 60 seconds."
);
premium_page!(
    PriorityQueuePage,
    "Priority queue",
    "Your jobs start before free-tier jobs."
);

/// Batch processing: queue many prompts at once and follow them to their downloads.
#[component]
pub fn BatchProcessingPage() -> impl IntoView {
    view! {
        <Title text="Batch processing"/>
        <RequireAccess level=Access::Premium>
            <section class="page-head">
                <p class="eyebrow">"Premium"</p>
                <h1>"Batch processing"</h1>
                <p class="lead">"Queue many prompts at once and collect the results."</p>
            </section>
            <batch::BatchWorkbench/>
        </RequireAccess>
    }
}
