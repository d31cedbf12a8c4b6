//! `/generate`: describe a video, pick length and quality, watch it render, play it.

use crate::components::access::RequireAccess;
use crate::components::job_status::{ProgressBar, StatusPill};
use crate::components::session::use_session;
use crate::domain::access::Access;
use crate::domain::job::{
    JobCreated, JobStatus, Quality, DEFAULT_DURATION, FREE_MAX_DURATION, MAX_PROMPT_CHARS,
};
use crate::error::ApiError;
use leptos::prelude::*;
use leptos_meta::Title;

/// Words for the errors a generate request can meet.
pub fn explain(err: &ApiError) -> String {
    match err.code.as_str() {
        "rate_limited" => {
            let wait = err
                .details
                .get("retry_after")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(60);
            format!(
                "You've reached your hourly limit. Try again in {} minutes.",
                wait.div_ceil(60)
            )
        }
        "forbidden" => "That length or quality needs the premium plan.".into(),
        _ => err.error.clone(),
    }
}

/// The generator page.
#[component]
pub fn GeneratePage() -> impl IntoView {
    view! {
        <Title text="Generate a video"/>
        <RequireAccess level=Access::SignedIn>
            <Generator/>
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
    let prompt = RwSignal::new(String::new());
    let duration = RwSignal::new(DEFAULT_DURATION);
    let quality = RwSignal::new(Quality::default());
    let job_id = RwSignal::new(None::<String>);
    let submit_error = RwSignal::new(None::<String>);
    let submitting = RwSignal::new(false);
    let poll = crate::hooks::use_job_poll::use_job_poll(job_id.into());
    let status = move || poll.job.get().map(|j| j.status);
    let busy = move || submitting.get() || status().is_some_and(|s| !s.is_final());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit_error.set(None);
        submitting.set(true);
        let body = serde_json::json!({
            "prompt": prompt.get_untracked(),
            "duration": duration.get_untracked(),
            "quality": quality.get_untracked().as_str(),
        });
        leptos::task::spawn_local(async move {
            match crate::hooks::api::post::<JobCreated, _>("/api/v1/videos/generate", &body).await {
                Ok(created) => {
                    poll.job.set(None);
                    job_id.set(Some(created.job_id));
                }
                Err(err) => submit_error.set(Some(explain(&err))),
            }
            submitting.set(false);
        });
    };
    let cancel = move |_| {
        if let Some(id) = job_id.get_untracked() {
            leptos::task::spawn_local(async move {
                let path = format!("/api/v1/jobs/{id}/cancel");
                if let Err(err) =
                    crate::hooks::api::post::<serde_json::Value, _>(&path, &serde_json::json!({}))
                        .await
                {
                    submit_error.set(Some(explain(&err)));
                }
            });
        }
    };
    let chars = move || prompt.with(|p| p.trim().chars().count());

    view! {
        <section class="page-head">
            <h1>"Generate a video"</h1>
            <p class="lead">"Each sentence becomes a scene; colours and shapes come from your words."</p>
        </section>
        <div class="generator">
            <form class="card form" on:submit=submit>
                <div class="field">
                    <label for="prompt">"Describe your video"</label>
                    <textarea id="prompt" name="prompt" data-testid="prompt" maxlength=MAX_PROMPT_CHARS.to_string()
                        placeholder="A red circle drifts over a calm ocean. Then a golden star rises at sunset."
                        prop:value=move || prompt.get()
                        on:input=move |ev| prompt.set(event_target_value(&ev))
                        disabled=busy></textarea>
                    <span class="hint">{move || format!("{} / {MAX_PROMPT_CHARS}", chars())}</span>
                </div>
                <div class="row">
                    <div class="field">
                        <label for="duration">"Length (seconds)"</label>
                        <input id="duration" type="number" min="1" max="60" data-testid="duration"
                            prop:value=move || duration.get().to_string()
                            on:input=move |ev| {
                                if let Ok(v) = event_target_value(&ev).parse::<u32>() { duration.set(v) }
                            }
                            disabled=busy/>
                        <span class="hint">{move || if premium.get() { "Up to 60 seconds".to_owned() } else {
                            format!("Up to {FREE_MAX_DURATION} seconds on the free plan; 60 with premium") }}</span>
                    </div>
                    <div class="field">
                        <label for="quality">"Quality"</label>
                        <select id="quality" data-testid="quality" disabled=busy
                            on:change=move |ev| {
                                if let Some(q) = Quality::parse(&event_target_value(&ev)) { quality.set(q) }
                            }>
                            {Quality::ALL.into_iter().map(|q| {
                                let locked = move || !q.free_tier_allows() && !premium.get();
                                view! {
                                    <option value=q.as_str() selected=move || quality.get() == q disabled=locked>
                                        {q.as_str()} {move || if locked() { " 🔒 Premium" } else { "" }}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                {move || submit_error.get().map(|e| view! { <p class="notice notice-error" role="alert" data-testid="generate-error">{e}</p> })}
                <div class="row">
                    <button class="btn btn-primary btn-lg" type="submit" data-testid="generate"
                        disabled=move || busy() || chars() == 0>
                        {move || if submitting.get() { "Starting…" } else { "Generate video" }}
                    </button>
                    {move || busy().then(|| view! {
                        <button class="btn btn-danger" type="button" data-testid="cancel-job" on:click=cancel>"Cancel"</button>
                    })}
                </div>
            </form>
            <JobPanel poll/>
            {move || poll.error.get().map(|e| view! { <p class="notice notice-warn">{explain(&e)}</p> })}
        </div>
    }
}

#[component]
fn JobPanel(poll: crate::hooks::use_job_poll::JobPoll) -> impl IntoView {
    view! {
            {move || poll.job.get().map(|job| {
                let percent = job.progress;
                view! {
                    <section class="card stack" data-testid="job-panel" data-status=job.status.as_str()>
                        <div class="row">
                            <StatusPill status=job.status/>
                            {job.queue_position.map(|p| view! { <span class="muted">{format!("Position {p} in the queue")}</span> })}
                            <span class="spacer"></span>
                            <span class="muted" data-testid="job-percent">{format!("{percent}%")}</span>
                        </div>
                        <ProgressBar percent=Signal::derive(move || percent)/>
                        {job.error.clone().filter(|_| job.status == JobStatus::Failed).map(|e| view! { <p class="notice notice-error">{e}</p> })}
                        {(job.status == JobStatus::Completed).then(|| view! {
                            <crate::pages::generate_result::GeneratedVideo job_id=job.id.clone()/>
                        })}
                    </section>
                }
            })}
    }
}
