//! `/pricing`: plans and what each includes.

use crate::components::pricing_table::PricingTable;
use leptos::prelude::*;
use leptos_meta::Title;

/// The pricing page.
#[component]
pub fn PricingPage() -> impl IntoView {
    view! {
        <Title text="Pricing"/>
        <section class="page-head">
            <h1>"Pricing"</h1>
            <p class="lead">"Start free. Upgrade when your videos need more time, more pixels or a faster lane."</p>
        </section>
        <PricingTable/>
        <section class="faq">
            <h2>"Questions"</h2>
            <details>
                <summary>"What counts as a generation?"</summary>
                <p>"Each video you ask for counts once, whether or not you keep it. Canceled jobs count too."</p>
            </details>
            <details>
                <summary>"Can I cancel anytime?"</summary>
                <p>"Yes. Premium stays active until the end of the period you paid for."</p>
            </details>
        </section>
    }
}
