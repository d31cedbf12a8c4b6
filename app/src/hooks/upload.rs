//! Uploads through `XMLHttpRequest`, the one browser API that reports upload progress: the file goes as
//! multipart form data with the `t2m-api` bearer token, a 401 that asks for it refreshes the token and sends
//! once more, and the request can be aborted.

use super::clerk;
use crate::domain::file::FileView;
use crate::error::ApiError;
use js_sys::Promise;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{FormData, ProgressEvent, XmlHttpRequest};

/// Where uploads go.
pub const UPLOAD_PATH: &str = "/api/v1/files/upload";

/// The code an aborted upload fails with.
pub const CANCELED: &str = "canceled";

fn js_error(detail: JsValue) -> ApiError {
    ApiError::new(
        "network_error",
        format!("The upload could not start ({detail:?})."),
    )
}

/// A percentage from a progress event, when the total is known.
fn percent(event: &ProgressEvent) -> Option<f64> {
    (event.length_computable() && event.total() > 0.0)
        .then(|| (event.loaded() / event.total() * 100.0).clamp(0.0, 100.0))
}

/// Sends `file` once on `xhr` with `token`; resolves to the status and response text. `0` means the
/// connection broke (or the request was aborted) before an answer arrived.
async fn send_once(
    xhr: &XmlHttpRequest,
    file: &web_sys::File,
    token: Option<&str>,
    on_progress: &Closure<dyn FnMut(ProgressEvent)>,
) -> Result<(u16, String), ApiError> {
    let form = FormData::new().map_err(js_error)?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(js_error)?;
    xhr.open("POST", UPLOAD_PATH).map_err(js_error)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(js_error)?;
    if let Some(token) = token {
        xhr.set_request_header("Authorization", &format!("Bearer {token}"))
            .map_err(js_error)?;
    }
    xhr.upload()
        .map_err(js_error)?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    // The promise's own resolve function is the load/error/abort handler: no Rust closure to keep alive.
    let settled = Promise::new(&mut |resolve, _reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&resolve));
        xhr.set_onabort(Some(&resolve));
    });
    xhr.send_with_opt_form_data(Some(&form)).map_err(js_error)?;
    let event = JsFuture::from(settled).await.unwrap_or(JsValue::UNDEFINED);
    let kind = js_sys::Reflect::get(&event, &"type".into())
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    if kind == "abort" {
        return Err(ApiError::new(CANCELED, "Upload canceled."));
    }
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    Ok((status, text))
}

fn decode(status: u16, text: &str) -> Result<FileView, ApiError> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        data: FileView,
    }
    match status {
        200..=299 => serde_json::from_str::<Envelope>(text)
            .map(|e| e.data)
            .map_err(|e| ApiError::new("bad_response", format!("Unexpected answer from T2M: {e}"))),
        0 => Err(ApiError::new(
            "network_error",
            "The connection closed before the upload finished. Check your connection and the file size.",
        )),
        _ => Err(serde_json::from_str::<ApiError>(text).unwrap_or_else(|_| {
            ApiError::new("http_error", format!("T2M answered with status {status}"))
        })),
    }
}

/// Uploads `file` on `xhr` (keep it to call `abort()`), reporting progress in percent.
///
/// # Errors
/// The server's error body (`payload_too_large`, `unsupported_media_type`, `rate_limited`, …), `canceled`
/// after an abort, or `network_error`.
pub async fn upload_file(
    xhr: XmlHttpRequest,
    file: web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<FileView, ApiError> {
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        if let Some(p) = percent(&event) {
            on_progress(p);
        }
    });
    let token = clerk::get_token(Some(clerk::API_TEMPLATE), false).await;
    let (status, text) = send_once(&xhr, &file, token.as_deref(), &progress).await?;
    let result = match decode(status, &text) {
        Err(err) if status == 401 && err.requires_refresh() => {
            let token = clerk::refresh_tokens().await;
            let (status, text) = send_once(&xhr, &file, token.as_deref(), &progress).await?;
            decode(status, &text)
        }
        other => other,
    };
    // The progress closure must outlive every event of this request; it is dropped only now.
    drop(progress);
    result
}

/// One upload in flight, kept by the form so it can abort it.
pub type UploadRequest = XmlHttpRequest;

/// A new request object for one upload.
///
/// # Errors
/// When the browser refuses to create one.
pub fn new_request() -> Result<XmlHttpRequest, ApiError> {
    XmlHttpRequest::new().map_err(js_error)
}

/// The first file of a `FileList` (from an input or a drop).
pub fn first_file(list: Option<web_sys::FileList>) -> Option<web_sys::File> {
    list.and_then(|l| l.get(0))
}
