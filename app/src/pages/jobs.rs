//! `/jobs`: every generation with its status, length, errors, and a way to try again (a real form: it works
//! before the WASM arrives, and once hydrated the list refetches instead of reloading the page). Searchable by
//! title or prompt (`?q=`), paged with "Load more"; each row renames and deletes in place.

use crate::components::access::RequireAccess;
use crate::components::error_notice::ErrorNotice;
use crate::components::job_status::StatusPill;
use crate::components::library_actions::{DeleteJobButton, RenameJobForm};
use crate::components::paging::{href_with, LoadMore, Paged, SearchBox};
use crate::domain::access::Access;
use crate::domain::job::{JobStatus, JobView};
use crate::domain::library::JobPage;
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
    let q = Memo::new(move |_| query.with(|m| m.get("q")).unwrap_or_default());
    let cursor = Memo::new(move |_| query.with(|m| m.get("cursor")));
    let retry = ServerAction::<RetryJob>::new();
    let feed = crate::hooks::use_job_feed::use_job_feed();
    let jobs = Resource::new(
        move || {
            (
                status.get(),
                q.get(),
                cursor.get(),
                retry.version().get(),
                feed.changes.get(),
            )
        },
        |(s, q, cursor, _, _)| list_jobs(Some(s), Some(q), cursor),
    );
    view! {
        <section class="page-head row">
            <h1>"Your jobs"</h1>
            <span class="spacer"></span>
            <a class="btn btn-primary" href="/generate">"New video"</a>
        </section>
        <nav class="row" aria-label="Filter jobs">
            {FILTERS.into_iter().map(|(value, label)| {
                let href = move || href_with("/jobs", &[("status", value), ("q", &q.get())]);
                view! { <a class="btn btn-sm" class:btn-primary=move || status.get() == value href=href>{label}</a> }
            }).collect_view()}
        </nav>
        {move || view! { <SearchBox action="/jobs" value=q label="Search your jobs" keep=vec![("status", status.get())]/> }}
        {move || retry.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error testid="retry-error"/> })}
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(page) if page.items.is_empty() && !q.get_untracked().is_empty() => view! {
                        <div class="card center"><p class="muted" data-testid="no-results">"No jobs match your search."</p></div>
                    }.into_any(),
                    Ok(page) if page.items.is_empty() => view! {
                        <div class="card center"><p class="muted">"No jobs here yet."</p>
                        <a class="btn btn-primary" href="/generate">"Generate your first video"</a></div>
                    }.into_any(),
                    Ok(page) => view! {
                        <JobTable page retry status=status.get_untracked() q=q.get_untracked()/>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The first page of jobs and those "Load more" adds.
#[component]
fn JobTable(
    page: JobPage,
    retry: ServerAction<RetryJob>,
    status: String,
    q: String,
) -> impl IntoView {
    let paged = Paged::new(page.items, page.next_cursor);
    let (more_status, more_q) = (status.clone(), q.clone());
    let on_more = Callback::new(move |()| {
        let (status, q) = (more_status.clone(), more_q.clone());
        paged.load_more(move |cursor| async move {
            list_jobs(Some(status), Some(q), Some(cursor))
                .await
                .map(|p| (p.items, p.next_cursor))
        });
    });
    let href = move |c: &str| href_with("/jobs", &[("status", &status), ("q", &q), ("cursor", c)]);
    view! {
        <div class="card table-wrap">
            <table>
                <thead><tr><th>"Video"</th><th>"Status"</th><th>"Length"</th><th>"Quality"</th><th>"Created"</th><th></th></tr></thead>
                <tbody>
                    <For each=move || paged.items.get() key=|job| job.id.clone() let:job>
                        <JobRow job retry paged/>
                    </For>
                </tbody>
            </table>
        </div>
        <LoadMore paged href on_more/>
    }
}

#[component]
fn JobRow(job: JobView, retry: ServerAction<RetryJob>, paged: Paged<JobView>) -> impl IntoView {
    let watch = (job.status == JobStatus::Completed).then(|| format!("/videos/{}", job.id));
    let can_retry = matches!(job.status, JobStatus::Failed | JobStatus::Canceled);
    let title = RwSignal::new(job.title.clone());
    let id = job.id.clone();
    let gone = Callback::new(move |()| paged.remove(|j| j.id == id));
    let retry_id = job.id.clone();
    let progress = crate::hooks::use_job_feed::use_live_progress(&job);
    view! {
        <tr data-testid="job-row" data-status=job.status.as_str() data-id=job.id.clone()>
            <td>
                <div class="clamp" data-testid="job-title">{move || title.get()}</div>
                {(job.title != job.prompt).then(|| view! { <div class="muted small clamp">{job.prompt.clone()}</div> })}
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
                        <input type="hidden" name="id" value=retry_id/>
                        <button class="btn btn-sm" type="submit" data-testid="retry-job"
                            disabled=move || retry.pending().get()>"Retry"</button>
                    </ActionForm>
                })}
                <RenameJobForm id=job.id.clone() title/>
                <DeleteJobButton id=job.id.clone() what="this job and its video" on_deleted=gone/>
            </td>
        </tr>
    }
}
