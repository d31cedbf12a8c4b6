//! The dashboard's usage numbers and latest jobs.

use crate::components::job_status::StatusPill;
use crate::domain::job::{JobStatus, JobView};
use crate::server_fns::jobs::dashboard_summary;
use leptos::prelude::*;

/// One recent job: a finished video links to its player; anything else to where it can be followed (the
/// generate page while it runs, the job list once it failed or was canceled), since it has nothing to play.
#[component]
fn ActivityItem(job: JobView) -> impl IntoView {
    let href = match job.status {
        JobStatus::Completed => format!("/videos/{}", job.id),
        JobStatus::Queued | JobStatus::Processing => format!("/generate?job={}", job.id),
        JobStatus::Failed | JobStatus::Canceled => format!("/jobs?status={}", job.status.as_str()),
    };
    view! {
        <li class="row" data-testid="activity-item" data-status=job.status.as_str()>
            <StatusPill status=job.status/>
            <a class="clamp" href=href title=job.prompt.clone()>{job.title.clone()}</a>
        </li>
    }
}

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
                                        {s.recent.into_iter().map(|job| view! { <ActivityItem job/> }).collect_view()}
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
