//! The dashboard's usage numbers and latest jobs.

use crate::components::job_status::StatusPill;
use crate::server_fns::jobs::dashboard_summary;
use leptos::prelude::*;

/// Usage and recent jobs.
#[component]
pub fn RecentActivity() -> impl IntoView {
    let feed = crate::hooks::use_job_feed::use_job_feed();
    let summary = Resource::new(move || feed.changes.get(), |_| dashboard_summary());
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(s) => view! {
                        <div class="grid stats">
                            <div class="card"><div class="stat" data-testid="stat-total">{s.total}</div><div class="muted">"Videos requested"</div></div>
                            <div class="card"><div class="stat">{s.completed}</div><div class="muted">"Completed"</div></div>
                            <div class="card"><div class="stat">{s.in_progress}</div><div class="muted">"In progress"</div></div>
                            <div class="card"><div class="stat">{s.failed}</div><div class="muted">"Failed"</div></div>
                        </div>
                        <section class="card">
                            <div class="row"><h2>"Recent activity"</h2><span class="spacer"></span><a href="/jobs">"All jobs →"</a></div>
                            {if s.recent.is_empty() {
                                view! { <p class="muted">"Nothing yet — your videos will show up here."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="activity">
                                        {s.recent.into_iter().map(|job| view! {
                                            <li class="row">
                                                <StatusPill status=job.status/>
                                                <a class="clamp" href=format!("/videos/{}", job.id)>{job.prompt.clone()}</a>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Err(err) => view! { <p class="notice notice-error">{err.error}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
