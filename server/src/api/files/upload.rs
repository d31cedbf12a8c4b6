//! `POST /api/v1/files/upload`: a multipart form with one `file` field (streamed to storage, never held in
//! memory) and optional text fields kept as metadata. Oversized requests are refused before their body is read.

use app::error::app_error::RateLimitInfo;
use app::error::AppError;
use app::services::auth::Identity;
use app::services::files::upload::{Declared, Upload};
use app::services::limits::LimitedAction;
use app::services::{usage, AppState};
use axum::extract::multipart::{Field, Multipart, MultipartError, MultipartRejection};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::time::Duration;
use tokio::time::Instant;

/// Room for multipart boundaries, part headers and metadata fields on top of the file itself.
pub const FORM_OVERHEAD_BYTES: u64 = 1024 * 1024;

/// Longest wait for the next piece of an upload: no fixed request timeout applies here (big files are slow),
/// but a client that stops sending must not hold a connection and a temp file forever.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// How fast an upload must keep coming: a piece at least every [`IDLE_TIMEOUT`], and once the grace period
/// (`T2M_UPLOAD_GRACE_SECS`) is over, `T2M_UPLOAD_MIN_BYTES_PER_SEC` on average, so a client trickling a
/// byte a minute cannot hold a connection and a temp file for days.
struct Pace {
    started: Instant,
    grace: Duration,
    min_bytes_per_sec: u64,
    received: u64,
    limit_bytes: u64,
}

impl Pace {
    fn new(state: &AppState) -> Self {
        Self {
            started: Instant::now(),
            grace: state.config.abuse.upload_grace,
            min_bytes_per_sec: state.config.abuse.upload_min_bytes_per_sec,
            received: 0,
            limit_bytes: state.config.max_upload_bytes,
        }
    }

    /// When the average rate drops below the minimum unless more arrives: each byte buys `1/rate` seconds.
    fn falls_behind_at(&self) -> Instant {
        let earned = match self.min_bytes_per_sec {
            0 => Duration::MAX,
            rate => Duration::from_secs(self.received / rate),
        };
        self.started
            + self
                .grace
                .max(earned)
                .min(Duration::from_secs(365 * 86_400))
    }

    /// The next piece `read` brings, unless the client went silent or fell below the minimum rate.
    async fn next<T>(
        &self,
        read: impl std::future::Future<Output = Result<T, MultipartError>>,
    ) -> Result<T, AppError> {
        let idle_at = Instant::now() + IDLE_TIMEOUT;
        let behind_at = self.falls_behind_at();
        match tokio::time::timeout_at(idle_at.min(behind_at), read).await {
            Ok(read) => read.map_err(|e| multipart_error(e, self.limit_bytes)),
            Err(_) if behind_at <= idle_at => Err(AppError::UploadTooSlow {
                min_bytes_per_sec: self.min_bytes_per_sec,
            }),
            Err(_) => Err(AppError::invalid(
                "file",
                "The upload stalled and was abandoned.",
            )),
        }
    }

    /// The next chunk of a field, counted towards the rate.
    async fn next_chunk(
        &mut self,
        field: &mut Field<'_>,
    ) -> Result<Option<axum::body::Bytes>, AppError> {
        let chunk = self.next(field.chunk()).await?;
        if let Some(chunk) = &chunk {
            self.received += chunk.len() as u64;
        }
        Ok(chunk)
    }
}

/// The most a metadata field's bytes may take while being read.
const MAX_TEXT_FIELD_BYTES: usize = 16 * 1024;

fn multipart_error(err: MultipartError, limit_bytes: u64) -> AppError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge { limit_bytes }
    } else {
        // Usually the client went away mid-body; the answer then reaches no one.
        AppError::invalid(
            "file",
            "The upload was cut off or is not a valid multipart form.",
        )
    }
}

async fn read_text(field: &mut Field<'_>, pace: &mut Pace) -> Result<String, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = pace.next_chunk(field).await? {
        if bytes.len() + chunk.len() > MAX_TEXT_FIELD_BYTES {
            return Err(AppError::invalid(
                "metadata",
                "A metadata field is too long.",
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes)
        .map_err(|_| AppError::invalid("metadata", "Metadata fields must be UTF-8 text."))
}

fn rate_headers(info: RateLimitInfo) -> [(header::HeaderName, HeaderValue); 3] {
    [
        (
            header::HeaderName::from_static("x-ratelimit-limit"),
            info.limit.into(),
        ),
        (
            header::HeaderName::from_static("x-ratelimit-remaining"),
            info.remaining.into(),
        ),
        (
            header::HeaderName::from_static("x-ratelimit-reset"),
            info.reset.into(),
        ),
    ]
}

/// Receives one upload.
pub async fn upload_file(
    State(state): State<AppState>,
    identity: Identity,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let limit = state.config.max_upload_bytes;
    // Refuse by the declared length before reading a byte; streamed bodies are counted below instead.
    let declared_length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_length.is_some_and(|len| len > limit.saturating_add(FORM_OVERHEAD_BYTES)) {
        return Err(AppError::PayloadTooLarge { limit_bytes: limit });
    }
    let mut multipart = multipart.map_err(|_| {
        AppError::UnsupportedMediaType(
            "Send the upload as multipart/form-data with a `file` field.".into(),
        )
    })?;
    let storage = usage::storage(&state, &identity).await?;
    // The declared length includes the form around the file, so only what exceeds the overhead must fit.
    let least_file_bytes = declared_length.map_or(0, |len| len.saturating_sub(FORM_OVERHEAD_BYTES));
    if storage.room() == 0 {
        return Err(storage.exceeded());
    }
    storage.fits(least_file_bytes)?;
    // A full window refuses before the body is read; the slot itself is taken once the upload is accepted.
    state
        .limiter
        .ensure_room(&identity.user_id, LimitedAction::Upload)
        .await?;

    let mut declared = Declared::default();
    let mut upload: Option<Upload> = None;
    let mut pace = Pace::new(&state);
    while let Some(mut field) = pace.next(multipart.next_field()).await? {
        let name = field.name().unwrap_or_default().to_owned();
        if name != "file" {
            let value = read_text(&mut field, &mut pace).await?;
            declared.add_field(&name, value)?;
            continue;
        }
        if upload.is_some() {
            return Err(AppError::invalid("file", "Send one file per upload."));
        }
        declared.filename = field.file_name().map(str::to_owned);
        declared.content_type = field.content_type().map(str::to_owned);
        let mut receiving = Upload::start(&state, storage).await?;
        while let Some(chunk) = pace.next_chunk(&mut field).await? {
            if let Err(err) = receiving.write(&chunk).await {
                if matches!(err, AppError::InsufficientStorage(_)) {
                    // Read the rest before answering: a proxy still sending the body to a server that has
                    // closed the connection turns the 507 into a 502 of its own.
                    while pace.next_chunk(&mut field).await?.is_some() {}
                }
                return Err(err);
            }
        }
        upload = Some(receiving);
    }
    let upload =
        upload.ok_or_else(|| AppError::invalid("file", "The form has no `file` field."))?;
    let (row, rate) = upload.finish(&state, &identity, declared).await?;
    let body = Json(json!({ "success": true, "data": row.view() }));
    Ok((StatusCode::CREATED, rate_headers(rate), body).into_response())
}
