//! Plans with a monthly/yearly toggle; the toggle is the first thing that proves hydration ran.

use leptos::prelude::*;

struct Plan {
    name: &'static str,
    monthly_cents: u32,
    blurb: &'static str,
    features: &'static [&'static str],
    cta: &'static str,
    featured: bool,
}

const PLANS: [Plan; 2] = [
    Plan {
        name: "Free",
        monthly_cents: 0,
        blurb: "Everything you need to try T2M.",
        features: &[
            "Videos up to 30 seconds",
            "480p and 720p output",
            "100 generations per hour",
            "Private, expiring share links",
        ],
        cta: "Start free",
        featured: false,
    },
    Plan {
        name: "Premium",
        monthly_cents: 1900,
        blurb: "For creators who publish every day.",
        features: &[
            "Videos up to 60 seconds",
            "Full HD 1080p output",
            "Priority queue: your jobs start first",
            "Batch processing and advanced generation",
        ],
        cta: "Go premium",
        featured: true,
    },
];

/// Yearly billing takes two months off.
fn price_label(monthly_cents: u32, yearly: bool) -> String {
    if monthly_cents == 0 {
        return "$0".into();
    }
    let cents = if yearly {
        monthly_cents * 10 / 12
    } else {
        monthly_cents
    };
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// The plan cards and the billing-period switch.
#[component]
pub fn PricingTable() -> impl IntoView {
    let (yearly, set_yearly) = signal(false);
    view! {
        <div class="billing-toggle" role="group" aria-label="Billing period">
            <button
                type="button"
                data-testid="billing-monthly"
                class:active=move || !yearly.get()
                aria-pressed=move || (!yearly.get()).to_string()
                on:click=move |_| set_yearly.set(false)
            >
                "Monthly"
            </button>
            <button
                type="button"
                data-testid="billing-yearly"
                class:active=move || yearly.get()
                aria-pressed=move || yearly.get().to_string()
                on:click=move |_| set_yearly.set(true)
            >
                "Yearly "
                <span class="badge">"2 months free"</span>
            </button>
        </div>
        <div class="plans">
            {PLANS
                .iter()
                .map(|plan| {
                    let cents = plan.monthly_cents;
                    view! {
                        <article class="card plan" class:featured=plan.featured>
                            <h3>{plan.name}</h3>
                            <p class="muted">{plan.blurb}</p>
                            <p class="price">
                                <span data-testid=format!("price-{}", plan.name.to_lowercase())>
                                    {move || price_label(cents, yearly.get())}
                                </span>
                                <span class="per">
                                    {move || if yearly.get() { " /month, billed yearly" } else { " /month" }}
                                </span>
                            </p>
                            <ul class="checklist">
                                {plan.features.iter().map(|f| view! { <li>{*f}</li> }).collect_view()}
                            </ul>
                            <a class="btn" class:btn-primary=plan.featured href="/sign-up" rel="external">{plan.cta}</a>
                        </article>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::price_label;

    #[test]
    fn yearly_price_is_ten_months_spread_over_twelve() {
        assert_eq!(price_label(1900, false), "$19.00");
        assert_eq!(price_label(1900, true), "$15.83");
        assert_eq!(price_label(0, true), "$0");
    }
}
