//! The upload box: pick or drop a file, watch a real progress bar (XHR upload events), cancel, and read
//! plainly why an upload was refused.

use crate::domain::file::{human_size, FileView, ACCEPT};
use crate::error::ApiError;
use leptos::prelude::*;

/// Where the current upload stands.
#[derive(Debug, Clone, PartialEq)]
pub enum UploadState {
    Idle,
    Uploading { name: String, percent: f64 },
    Done { name: String },
    Canceled { name: String },
    Failed { message: String },
}

impl UploadState {
    fn percent(&self) -> f64 {
        match self {
            Self::Uploading { percent, .. } => *percent,
            Self::Done { .. } => 100.0,
            _ => 0.0,
        }
    }
}

/// A sentence for an upload failure, using the figures the server sent.
pub fn failure_message(err: &ApiError) -> String {
    let number = |key: &str| err.details.get(key).and_then(serde_json::Value::as_u64);
    match err.code.as_str() {
        "payload_too_large" => match number("limit_bytes") {
            Some(limit) => format!(
                "That file is too large: the limit is {}.",
                human_size(limit)
            ),
            None => "That file is too large.".into(),
        },
        "rate_limited" => {
            let minutes = number("retry_after").map_or(60, |secs| secs.div_ceil(60).max(1));
            format!("You have reached the hourly upload limit. Try again in {minutes} minute(s).")
        }
        "unsupported_media_type" => err.error.clone(),
        _ => format!("Upload failed: {}", err.error),
    }
}

/// The upload box; `max_bytes` (when known) refuses oversized files before sending, `on_uploaded` runs
/// after each successful upload.
#[component]
pub fn UploadForm(
    #[prop(into)] max_bytes: Signal<Option<u64>>,
    #[prop(into)] on_uploaded: Callback<FileView>,
) -> impl IntoView {
    let state = RwSignal::new(UploadState::Idle);
    let dragging = RwSignal::new(false);
    let busy = move || matches!(state.get(), UploadState::Uploading { .. });
    #[cfg(not(feature = "hydrate"))]
    let _ = on_uploaded;
    #[cfg(feature = "hydrate")]
    let current = StoredValue::new_local(None::<crate::hooks::upload::UploadRequest>);

    #[cfg(feature = "hydrate")]
    let start = move |file: web_sys::File| {
        use crate::hooks::upload;
        let size = file.size() as u64;
        if let Some(limit) = max_bytes.get_untracked().filter(|limit| size > *limit) {
            state.set(UploadState::Failed {
                message: format!(
                    "{} is {}: the limit is {}.",
                    file.name(),
                    human_size(size),
                    human_size(limit)
                ),
            });
            return;
        }
        let xhr = match upload::new_request() {
            Ok(xhr) => xhr,
            Err(err) => {
                return state.set(UploadState::Failed {
                    message: failure_message(&err),
                })
            }
        };
        current.set_value(Some(xhr.clone()));
        let name = file.name();
        state.set(UploadState::Uploading {
            name: name.clone(),
            percent: 0.0,
        });
        leptos::task::spawn_local(async move {
            let progress = move |p: f64| {
                state.update(|s| {
                    if let UploadState::Uploading { percent, .. } = s {
                        *percent = p;
                    }
                });
            };
            let result = upload::upload_file(xhr, file, progress).await;
            current.set_value(None);
            match result {
                Ok(view) => {
                    state.set(UploadState::Done {
                        name: view.filename.clone(),
                    });
                    on_uploaded.run(view);
                }
                Err(err) if err.code == upload::CANCELED => {
                    state.set(UploadState::Canceled { name })
                }
                Err(err) => state.set(UploadState::Failed {
                    message: failure_message(&err),
                }),
            }
        });
    };

    let on_pick = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let input: web_sys::HtmlInputElement = event_target(&_ev);
            if let Some(file) = crate::hooks::upload::first_file(input.files()) {
                start(file);
            }
            // Picking the same file again must fire `change` again.
            input.set_value("");
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        #[cfg(feature = "hydrate")]
        if !busy() {
            if let Some(file) =
                crate::hooks::upload::first_file(ev.data_transfer().and_then(|d| d.files()))
            {
                start(file);
            }
        }
    };
    let cancel = move |_| {
        #[cfg(feature = "hydrate")]
        current.with_value(|xhr| {
            if let Some(xhr) = xhr {
                let _ = xhr.abort();
            }
        });
    };

    view! {
        <section class="card stack">
            <div
                class="dropzone"
                class:dragging=move || dragging.get()
                data-testid="dropzone"
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <p><strong>"Drop a file here"</strong>" or choose one"</p>
                <input type="file" accept=ACCEPT data-testid="file-input" aria-label="Choose a file to upload"
                    disabled=busy on:change=on_pick/>
                <p class="muted">
                    "Videos, images, audio, PDFs and text"
                    {move || max_bytes.get().map(|m| format!(", up to {}", human_size(m)))}
                    "."
                </p>
            </div>
            <div class="row">
                <div class="progress spacer" role="progressbar" aria-label="Upload progress"
                    aria-valuemin="0" aria-valuemax="100"
                    aria-valuenow=move || format!("{:.0}", state.get().percent())
                    data-testid="upload-progress">
                    <div class="bar" style:width=move || format!("{:.1}%", state.get().percent())></div>
                </div>
                <button class="btn btn-sm" data-testid="cancel-upload" disabled=move || !busy() on:click=cancel>
                    "Cancel"
                </button>
            </div>
            <p data-testid="upload-status" role="status"
                class=move || match state.get() { UploadState::Failed { .. } => "notice notice-error", _ => "muted" }>
                {move || match state.get() {
                    UploadState::Idle => "No upload in progress.".to_owned(),
                    UploadState::Uploading { name, percent } => format!("Uploading {name}… {percent:.0}%"),
                    UploadState::Done { name } => format!("Uploaded {name}."),
                    UploadState::Canceled { name } => format!("Upload of {name} canceled; nothing was kept."),
                    UploadState::Failed { message } => message,
                }}
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_read_as_sentences_with_the_servers_figures() {
        let mut err = ApiError::new("rate_limited", "Too many requests; try again later");
        err.details.insert("retry_after".into(), 3599.into());
        assert!(failure_message(&err).contains("60 minute(s)"));
        let mut err = ApiError::new("payload_too_large", "Upload is larger than the limit");
        err.details.insert("limit_bytes".into(), 1_000_000.into());
        assert_eq!(
            failure_message(&err),
            "That file is too large: the limit is 1.0 MB."
        );
        let err = ApiError::new(
            "unsupported_media_type",
            "This type of file is not supported.",
        );
        assert_eq!(failure_message(&err), "This type of file is not supported.");
    }
}
