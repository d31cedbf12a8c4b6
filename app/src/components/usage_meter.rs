//! `UsageMeter`: generations this hour (and when a slot frees), stored bytes and active jobs, each against the
//! caller's limit, from the same usage service as `GET /api/v1/me/usage`.

use crate::components::error_notice::ErrorNotice;
use crate::domain::account::{percent, UsageSummary};
use crate::domain::file::human_size;
use crate::server_fns::account::get_usage;
use leptos::prelude::*;

/// The three meters; shown on the dashboard and the generator.
#[component]
pub fn UsageMeter() -> impl IntoView {
    let usage = Resource::new(|| (), |()| get_usage());
    view! {
        <section class="card usage" data-testid="usage-meter" aria-label="Your usage">
            <Transition fallback=|| view! { <p class="muted small">"Loading usage…"</p> }>
                {move || Suspend::new(async move {
                    match usage.await {
                        Ok(u) => view! { <Meters usage=u/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Meters(usage: UsageSummary) -> impl IntoView {
    let resets = usage
        .generations_reset_at
        .as_deref()
        .map(|at| format!(" · a slot frees at {}", at.get(11..16).unwrap_or(at)));
    view! {
        <div class="meters">
            <Meter label="Generations this hour" testid="usage-generations"
                used=usage.generations_used limit=usage.generations_limit
                text=format!("{} / {}{}", usage.generations_used, usage.generations_limit, resets.unwrap_or_default())/>
            <Meter label="Storage" testid="usage-storage"
                used=usage.storage_used_bytes limit=usage.storage_limit_bytes
                text=format!("{} / {}", human_size(usage.storage_used_bytes), human_size(usage.storage_limit_bytes))/>
            <Meter label="Active jobs" testid="usage-active-jobs"
                used=usage.active_jobs limit=usage.active_jobs_limit
                text=format!("{} / {}", usage.active_jobs, usage.active_jobs_limit)/>
        </div>
    }
}

#[component]
fn Meter(
    label: &'static str,
    testid: &'static str,
    used: u64,
    limit: u64,
    text: String,
) -> impl IntoView {
    let pct = percent(used, limit);
    let class = if pct >= 90 {
        "meter meter-full"
    } else {
        "meter"
    };
    view! {
        <div class=class data-testid=testid>
            <div class="row small"><span>{label}</span><span class="spacer"></span><span class="muted">{text}</span></div>
            <progress max="100" value=pct.to_string() aria-label=label>{format!("{pct}%")}</progress>
        </div>
    }
}
