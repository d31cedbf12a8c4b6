//! `/jobs`: every generation with its status, length, errors, and a way to try again (a real form: it works
//! before the WASM arrives, and once hydrated the list refetches instead of reloading the page).

use crate::components::access::RequireAccess;
use crate::components::error_notice::ErrorNotice;
use crate::components::job_status::StatusPill;
use crate::domain::access::Access;
use crate::domain::job::{JobStatus, JobView};
use crate::server_fns::jobs::{list_jobs, RetryJob};
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
    let retry = ServerAction::<RetryJob>::new();
    let feed = crate::hooks::use_job_feed::use_job_feed();
    let jobs = Resource::new(
        move || (status.get(), retry.version().get(), feed.changes.get()),
        |(s, _, _)| list_jobs(Some(s), 0),
    );
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
        {move || retry.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error testid="retry-error"/> })}
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(list) if list.is_empty() => view! {
                        <div class="card center"><p class="muted">"No jobs here yet."</p>
                        <a class="btn btn-primary" href="/generate">"Generate your first video"</a></div>
                    }.into_any(),
                    Ok(list) => view! { <JobTable jobs=list retry/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobTable(jobs: Vec<JobView>, retry: ServerAction<RetryJob>) -> impl IntoView {
    view! {
        <div class="card table-wrap">
            <table>
                <thead><tr><th>"Prompt"</th><th>"Status"</th><th>"Length"</th><th>"Quality"</th><th>"Created"</th><th></th></tr></thead>
                <tbody>
                    {jobs.into_iter().map(|job| view! { <JobRow job retry/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn JobRow(job: JobView, retry: ServerAction<RetryJob>) -> impl IntoView {
    let watch = (job.status == JobStatus::Completed).then(|| format!("/videos/{}", job.id));
    let can_retry = matches!(job.status, JobStatus::Failed | JobStatus::Canceled);
    let progress = crate::hooks::use_job_feed::use_live_progress(&job);
    view! {
        <tr data-testid="job-row" data-status=job.status.as_str()>
            <td>
                <div class="clamp">{job.prompt.clone()}</div>
                {job.error.clone().map(|e| view! { <div class="muted small">{e}</div> })}
            </td>
            <td><StatusPill status=job.status/>
                {(!job.status.is_final()).then(|| view! { <span class="muted small" data-testid="job-row-progress">{move || format!(" {}%", progress.get())}</span> })}</td>
            <td>{format!("{} s", job.duration)}</td>
            <td>{job.quality.as_str()}</td>
            <td class="muted small">{job.created_at.replace('T', " ").chars().take(16).collect::<String>()}</td>
            <td>
                {watch.map(|href| view! { <a class="btn btn-sm" href=href>"Watch"</a> })}
                {can_retry.then(|| view! {
                    <ActionForm action=retry>
                        <input type="hidden" name="id" value=job.id.clone()/>
                        <button class="btn btn-sm" type="submit" data-testid="retry-job"
                            disabled=move || retry.pending().get()>"Retry"</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
