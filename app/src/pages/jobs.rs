//! `/jobs`: every generation with its status, length, errors, and a way to try again.

use crate::components::access::RequireAccess;
use crate::components::job_status::StatusPill;
use crate::domain::access::Access;
use crate::domain::job::{JobCreated, JobStatus, JobView};
use crate::server_fns::jobs::list_jobs;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const FILTERS: [(&str, &str); 5] = [
    ("", "All"),
    ("processing", "Rendering"),
    ("completed", "Completed"),
    ("failed", "Failed"),
    ("canceled", "Canceled"),
];

/// The job history page.
#[component]
pub fn JobsPage() -> impl IntoView {
    view! {
        <Title text="Your jobs"/>
        <RequireAccess level=Access::SignedIn>
            <JobHistory/>
        </RequireAccess>
    }
}

#[component]
fn JobHistory() -> impl IntoView {
    let query = use_query_map();
    let status = Memo::new(move |_| query.with(|q| q.get("status")).unwrap_or_default());
    let jobs = Resource::new(move || status.get(), |s| list_jobs(Some(s), 0));
    view! {
        <section class="page-head row">
            <h1>"Your jobs"</h1>
            <span class="spacer"></span>
            <a class="btn btn-primary" href="/generate">"New video"</a>
        </section>
        <nav class="row" aria-label="Filter jobs">
            {FILTERS.into_iter().map(|(value, label)| {
                let href = if value.is_empty() { "/jobs".to_owned() } else { format!("/jobs?status={value}") };
                view! { <a class="btn btn-sm" class:btn-primary=move || status.get() == value href=href>{label}</a> }
            }).collect_view()}
        </nav>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(list) if list.is_empty() => view! {
                        <div class="card center"><p class="muted">"No jobs here yet."</p>
                        <a class="btn btn-primary" href="/generate">"Generate your first video"</a></div>
                    }.into_any(),
                    Ok(list) => view! { <JobTable jobs=list/> }.into_any(),
                    Err(err) => view! { <p class="notice notice-error">{err.error}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobTable(jobs: Vec<JobView>) -> impl IntoView {
    view! {
        <div class="card table-wrap">
            <table>
                <thead><tr><th>"Prompt"</th><th>"Status"</th><th>"Length"</th><th>"Quality"</th><th>"Created"</th><th></th></tr></thead>
                <tbody>
                    {jobs.into_iter().map(|job| view! { <JobRow job/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn JobRow(job: JobView) -> impl IntoView {
    let retrying = RwSignal::new(false);
    let retry_error = RwSignal::new(None::<String>);
    let body = serde_json::json!({"prompt": job.prompt, "duration": job.duration, "quality": job.quality.as_str()});
    let retry = move |_| {
        retrying.set(true);
        let body = body.clone();
        leptos::task::spawn_local(async move {
            match crate::hooks::api::post::<JobCreated, _>("/api/v1/videos/generate", &body).await {
                Ok(_) => {
                    let _ = window().location().reload();
                }
                Err(err) => {
                    retry_error.set(Some(crate::pages::generate::explain(&err)));
                    retrying.set(false);
                }
            }
        });
    };
    let watch = (job.status == JobStatus::Completed).then(|| format!("/videos/{}", job.id));
    let can_retry = matches!(job.status, JobStatus::Failed | JobStatus::Canceled);
    view! {
        <tr data-testid="job-row" data-status=job.status.as_str()>
            <td>
                <div class="clamp">{job.prompt.clone()}</div>
                {job.error.clone().map(|e| view! { <div class="muted small">{e}</div> })}
                {move || retry_error.get().map(|e| view! { <div class="notice notice-error small">{e}</div> })}
            </td>
            <td><StatusPill status=job.status/>
                {(!job.status.is_final()).then(|| view! { <span class="muted small">{format!(" {}%", job.progress)}</span> })}</td>
            <td>{format!("{} s", job.duration)}</td>
            <td>{job.quality.as_str()}</td>
            <td class="muted small">{job.created_at.replace('T', " ").chars().take(16).collect::<String>()}</td>
            <td>
                {watch.map(|href| view! { <a class="btn btn-sm" href=href>"Watch"</a> })}
                {can_retry.then(|| view! {
                    <button class="btn btn-sm" data-testid="retry-job" disabled=move || retrying.get() on:click=retry.clone()>"Retry"</button>
                })}
            </td>
        </tr>
    }
}
