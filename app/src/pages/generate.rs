//! `/generate`: describe a video, pick length and quality, watch it render, play it. The form is a real
//! `<form>` posting to the `generate_video` server function, so it works before the WASM arrives; the server
//! answers with `/generate?job=<id>`, which renders the job (and, once hydrated, follows it live).

use crate::components::access::RequireAccess;
use crate::components::error_notice::ErrorNotice;
use crate::components::job_status::{ProgressBar, StatusPill};
use crate::components::session::use_session;
use crate::domain::access::Access;
use crate::domain::job::{
    JobStatus, JobView, Quality, DEFAULT_DURATION, FREE_MAX_DURATION, MAX_PROMPT_CHARS,
    SOUNDTRACK_FREE,
};
use crate::hooks::use_job_poll::{use_job_poll, JobPoll};
use crate::server_fns::jobs::{get_job, CancelJob, GenerateVideo};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The generator page.
#[component]
pub fn GeneratePage() -> impl IntoView {
    view! {
        <Title text="Generate a video"/>
        <RequireAccess level=Access::SignedIn>
            <Generator/>
            <crate::components::usage_meter::UsageMeter/>
        </RequireAccess>
    }
}

#[component]
fn Generator() -> impl IntoView {
    let session = use_session();
    let premium = Signal::derive(move || {
        session
            .get()
            .and_then(Result::ok)
            .and_then(|i| i.user)
            .is_some_and(|u| u.has_premium())
    });
    let query = use_query_map();
    let job_id = Memo::new(move |_| {
        query
            .with(|q| q.get("job"))
            .filter(|id| id.starts_with("job_"))
    });
    let generate = ServerAction::<GenerateVideo>::new();
    let first = Resource::new(
        move || job_id.get(),
        |id| async move {
            match id {
                Some(id) => get_job(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let poll = use_job_poll(job_id.into());
    let prompt = RwSignal::new(String::new());
    let live = move || poll.job.get().is_some_and(|j| !j.status.is_final());
    let busy = move || generate.pending().get() || live();
    let chars = move || prompt.with(|p| p.trim().chars().count());

    view! {
        <section class="page-head">
            <h1>"Generate a video"</h1>
            <p class="lead">"Each sentence becomes a scene; colours and shapes come from your words."</p>
        </section>
        <div class="generator">
            <ActionForm action=generate attr:class="card form">
                <div class="field">
                    <label for="prompt">"Describe your video"</label>
                    <textarea id="prompt" name="prompt" data-testid="prompt" required maxlength=MAX_PROMPT_CHARS.to_string()
                        placeholder="A red circle drifts over a calm ocean. Then a golden star rises at sunset."
                        prop:value=move || prompt.get()
                        on:input=move |ev| prompt.set(event_target_value(&ev))
                        readonly=busy></textarea>
                    <span class="hint">{move || format!("{} / {MAX_PROMPT_CHARS}", chars())}</span>
                </div>
                <div class="row">
                    <div class="field">
                        <label for="duration">"Length (seconds)"</label>
                        <input id="duration" name="duration" type="number" min="1" max="60" data-testid="duration"
                            value=DEFAULT_DURATION.to_string() readonly=busy/>
                        <span class="hint">{move || if premium.get() { "Up to 60 seconds".to_owned() } else {
                            format!("Up to {FREE_MAX_DURATION} seconds on the free plan; 60 with premium") }}</span>
                    </div>
                    <div class="field">
                        <label for="quality">"Quality"</label>
                        <select id="quality" name="quality" data-testid="quality">
                            {Quality::ALL.into_iter().map(|q| {
                                let locked = move || !q.free_tier_allows() && !premium.get();
                                view! {
                                    <option value=q.as_str() selected=q == Quality::default() disabled=locked>
                                        {q.as_str()} {move || if locked() { " 🔒 Premium" } else { "" }}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field">
                    // `value="true"` so the plain form post and the hydrated one both send a bool.
                    <label class="checkbox">
                        <input type="checkbox" name="soundtrack" value="true" data-testid="soundtrack"
                            disabled=move || busy() || (!SOUNDTRACK_FREE && !premium.get())/>
                        "Soundtrack" {move || if !SOUNDTRACK_FREE && !premium.get() { " 🔒 Premium" } else { "" }}
                    </label>
                    <span class="hint">"An ambient tone bed; your mood words pick its key and tempo."</span>
                </div>
                {move || generate.value().get().and_then(Result::err).map(|error| view! {
                    <ErrorNotice error testid="generate-error"/>
                })}
                <div class="row">
                    <button class="btn btn-primary btn-lg" type="submit" data-testid="generate"
                        disabled=move || busy() || (chars() == 0 && prompt.with(|p| !p.is_empty()))>
                        {move || if generate.pending().get() { "Starting…" } else { "Generate video" }}
                    </button>
                </div>
            </ActionForm>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(first) => view! { <JobPanel first poll job_id/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error testid="job-error"/> }.into_any(),
                    }
                })}
            </Transition>
            {move || poll.error.get().map(|error| view! { <ErrorNotice error/> })}
        </div>
    }
}

/// The job being followed: what the page was rendered with until the poller knows better.
#[component]
fn JobPanel(first: Option<JobView>, poll: JobPoll, job_id: Memo<Option<String>>) -> impl IntoView {
    let cancel = ServerAction::<CancelJob>::new();
    // A cancel answers with the job as it now stands; show it without waiting for the next poll.
    Effect::new(move |_| {
        if let Some(Ok(job)) = cancel.value().get() {
            poll.job.set(Some(job));
        }
    });
    let job = move || {
        let id = job_id.get()?;
        poll.job
            .get()
            .filter(|j| j.id == id)
            .or_else(|| first.clone().filter(|j| j.id == id))
    };
    move || {
        job().map(|job| {
            let percent = job.progress;
            let live = !job.status.is_final();
            let cancel_id = job.id.clone();
            view! {
                <section class="card stack" data-testid="job-panel" data-status=job.status.as_str()>
                    <div class="row">
                        <StatusPill status=job.status/>
                        {job.queue_position.map(|p| view! { <span class="muted">{format!("Position {p} in the queue")}</span> })}
                        <span class="spacer"></span>
                        <span class="muted" data-testid="job-percent">{format!("{percent}%")}</span>
                        {live.then(|| view! {
                            <ActionForm action=cancel>
                                <input type="hidden" name="id" value=cancel_id/>
                                <button class="btn btn-danger btn-sm" type="submit" data-testid="cancel-job">"Cancel"</button>
                            </ActionForm>
                            // Without JavaScript nothing polls, so the page looks again every two seconds.
                            <noscript inner_html=r#"<meta http-equiv="refresh" content="2">"#></noscript>
                        })}
                    </div>
                    <ProgressBar percent=Signal::derive(move || percent)/>
                    {job.error.clone().filter(|_| job.status == JobStatus::Failed).map(|e| view! { <p class="notice notice-error">{e}</p> })}
                    {cancel.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
                    {(job.status == JobStatus::Completed).then(|| view! {
                        <crate::pages::generate_result::GeneratedVideo job_id=job.id.clone()/>
                    })}
                </section>
            }
        })
    }
}
