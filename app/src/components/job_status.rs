//! Small pieces for showing a job: its status pill and its progress bar.

use crate::domain::job::JobStatus;
use leptos::prelude::*;

/// A coloured status label.
#[component]
pub fn StatusPill(status: JobStatus) -> impl IntoView {
    let label = match status {
        JobStatus::Queued => "Queued",
        JobStatus::Processing => "Rendering",
        JobStatus::Completed => "Completed",
        JobStatus::Failed => "Failed",
        JobStatus::Canceled => "Canceled",
    };
    view! { <span class=format!("status-pill status-{}", status.as_str())>{label}</span> }
}

/// An accessible progress bar.
#[component]
pub fn ProgressBar(#[prop(into)] percent: Signal<u8>) -> impl IntoView {
    view! {
        <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
            aria-valuenow=move || percent.get().to_string() data-testid="job-progress">
            <div class="bar" style:width=move || format!("{}%", percent.get())></div>
        </div>
    }
}
