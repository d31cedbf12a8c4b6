//! `/premium/batch-processing`: paste prompts (one per line) or drop a `.txt`/`.csv` file, queue them all, then
//! follow the batch at `?batch=<id>`: an overall progress bar and a row per job, updated live from the job feed,
//! with a download link on each video as it finishes. The form is a real `<form>` (works before hydration).

use crate::components::error_notice::ErrorNotice;
use crate::components::job_status::{ProgressBar, StatusPill};
use crate::domain::batch::{prompts_from_text, BatchView, MAX_BATCH_PROMPTS};
use crate::domain::job::{JobStatus, JobView, Quality, DEFAULT_DURATION};
use crate::hooks::use_job_feed::use_job_feed;
use crate::server_fns::batches::{download_url, get_batch, CancelBatch, CreateBatch};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The batch form and, once a batch is queued, its progress.
#[component]
pub fn BatchWorkbench() -> impl IntoView {
    let query = use_query_map();
    let batch_id = Memo::new(move |_| {
        query
            .with(|q| q.get("batch"))
            .filter(|id| id.starts_with("batch_"))
    });
    view! {
        <BatchForm/>
        {move || batch_id.get().map(|id| view! { <BatchTracker id/> })}
    }
}

#[component]
fn BatchForm() -> impl IntoView {
    let create = ServerAction::<CreateBatch>::new();
    let text = RwSignal::new(String::new());
    let dragging = RwSignal::new(false);
    let count = move || text.with(|t| prompts_from_text(t, false).len());
    let load = move |file: web_sys::File| {
        let csv = file.name().to_ascii_lowercase().ends_with(".csv");
        leptos::task::spawn_local(async move {
            if let Ok(content) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                let content = content.as_string().unwrap_or_default();
                text.set(prompts_from_text(&content, csv).join("\n"));
            }
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            load(file);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let file = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            load(file);
        }
    };
    view! {
        <ActionForm action=create attr:class="card form stack">
            <div class="field">
                <label for="prompts">"Prompts, one per line"</label>
                <textarea id="prompts" name="prompts" rows="8" required data-testid="batch-prompts"
                    placeholder="A red circle drifts over a calm ocean.\nA golden star rises at sunset."
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <span class="hint" data-testid="batch-count">
                    {move || format!("{} of at most {MAX_BATCH_PROMPTS} prompts", count())}
                </span>
            </div>
            <div class="dropzone" class:dragging=move || dragging.get() data-testid="batch-dropzone"
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false) on:drop=on_drop>
                <p><strong>"Drop a .txt or .csv file"</strong>" or choose one: one prompt per line (CSV: the first column)"</p>
                <input type="file" accept=".txt,.csv,text/plain,text/csv" data-testid="batch-file"
                    aria-label="Choose a file of prompts" on:change=on_pick/>
            </div>
            <div class="row">
                <div class="field">
                    <label for="batch-duration">"Length (seconds)"</label>
                    <input id="batch-duration" name="duration" type="number" min="1" max="60"
                        value=DEFAULT_DURATION.to_string() data-testid="batch-duration"/>
                </div>
                <div class="field">
                    <label for="batch-quality">"Quality"</label>
                    <select id="batch-quality" name="quality" data-testid="batch-quality">
                        {Quality::ALL.into_iter().map(|q| view! {
                            <option value=q.as_str() selected=q == Quality::default()>{q.as_str()}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            {move || create.value().get().and_then(Result::err).map(|error| view! {
                <ErrorNotice error testid="batch-error"/>
            })}
            <button class="btn btn-primary btn-lg" type="submit" data-testid="batch-submit"
                disabled=move || create.pending().get()>
                {move || if create.pending().get() { "Queuing…" } else { "Queue the batch" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn BatchTracker(id: String) -> impl IntoView {
    let batch = Resource::new(move || id.clone(), get_batch);
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading the batch…"</p> }>
            {move || Suspend::new(async move {
                match batch.await {
                    Ok(batch) => view! { <BatchProgress batch/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error testid="batch-error"/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BatchProgress(batch: BatchView) -> impl IntoView {
    let feed = use_job_feed();
    let views: Vec<Signal<JobView>> = batch.jobs.iter().map(|j| feed.view_of(j)).collect();
    let cancel = ServerAction::<CancelBatch>::new();
    Effect::new(move |_| {
        if let Some(Ok(batch)) = cancel.value().get() {
            batch.jobs.into_iter().for_each(|j| feed.absorb(j));
        }
    });
    let totals = {
        let views = views.clone();
        Memo::new(move |_| {
            let jobs: Vec<(JobStatus, u32)> = views
                .iter()
                .map(|v| v.with(|j| (j.status, u32::from(j.progress))))
                .collect();
            let count = |s: JobStatus| jobs.iter().filter(|(status, _)| *status == s).count();
            let total = jobs.len().max(1) as u32;
            let mean = jobs.iter().map(|(_, p)| p).sum::<u32>() / total;
            let open = jobs.iter().any(|(s, _)| !s.is_final());
            (
                u8::try_from(mean).unwrap_or(100),
                count(JobStatus::Completed),
                count(JobStatus::Failed),
                count(JobStatus::Canceled),
                open,
            )
        })
    };
    let total = batch.total;
    let id = batch.id.clone();
    view! {
        <section class="card stack" data-testid="batch-panel">
            <div class="row">
                <h2>"Batch progress"</h2>
                <span class="spacer"></span>
                <span class="muted" data-testid="batch-summary">{move || {
                    let (progress, done, failed, canceled, _) = totals.get();
                    format!("{done} of {total} completed · {failed} failed · {canceled} canceled · {progress}%")
                }}</span>
                {move || totals.get().4.then(|| {
                    let id = id.clone();
                    view! {
                    <ActionForm action=cancel>
                        <input type="hidden" name="id" value=id/>
                        <button class="btn btn-danger btn-sm" type="submit" data-testid="batch-cancel">"Cancel the rest"</button>
                    </ActionForm>
                    }
                })}
            </div>
            <ProgressBar percent=Signal::derive(move || totals.get().0)/>
            {move || cancel.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            <div class="table-wrap">
                <table>
                    <thead><tr><th>"Prompt"</th><th>"Status"</th><th>"Progress"</th><th></th></tr></thead>
                    <tbody>
                        {batch.jobs.into_iter().zip(views).map(|(job, view)| view! { <BatchJobRow job live=view/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn BatchJobRow(job: JobView, live: Signal<JobView>) -> impl IntoView {
    // Memos, so a change to another job does not redraw this row's link.
    let status = Memo::new(move |_| live.with(|j| j.status));
    let video = Memo::new(move |_| {
        live.with(|j| {
            j.video_file_id
                .clone()
                .filter(|_| j.status == JobStatus::Completed)
        })
    });
    view! {
        <tr data-testid="batch-job" data-status=move || status.get().as_str()>
            <td><div class="clamp">{job.prompt}</div></td>
            <td>{move || view! { <StatusPill status=status.get()/> }}</td>
            <td class="muted">{move || format!("{}%", live.with(|j| j.progress))}</td>
            <td>{move || video.get().map(|file_id| view! { <DownloadLink file_id/> })}</td>
        </tr>
    }
}

/// A signed link that downloads the video (rather than playing it).
#[component]
fn DownloadLink(file_id: String) -> impl IntoView {
    let signed = Resource::new(move || file_id.clone(), download_url);
    view! {
        <Suspense fallback=|| view! { <span class="muted small">"…"</span> }>
            {move || Suspend::new(async move {
                match signed.await {
                    Ok(signed) => view! {
                        <a class="btn btn-sm" href=signed.url download data-testid="batch-download">"Download"</a>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
