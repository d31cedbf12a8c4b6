//! `POST /api/v1/files/{id}/signed-url` and `POST /api/v1/videos/{job_id}/signed-url`, body
//! `{"expiresIn"?: seconds, "download"?: bool}` (an empty body takes the defaults).

use app::error::AppError;
use app::services::auth::Identity;
use app::services::files::service;
use app::services::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

struct Options {
    expires_in: i64,
    download: bool,
}

/// Reads the optional body. `expiresIn` must be a whole number of seconds in range.
fn options(body: &Bytes) -> Result<Options, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Options {
            expires_in: service::expires_in(None)?,
            download: false,
        });
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| AppError::invalid("body", "The body is not valid JSON."))?;
    let requested = match value.get("expiresIn") {
        None | Some(Value::Null) => None,
        Some(n) => Some(n.as_i64().ok_or_else(|| {
            AppError::invalid("expires_in", "expiresIn must be a whole number of seconds.")
        })?),
    };
    let download = match value.get("download") {
        None | Some(Value::Null) => false,
        Some(flag) => flag
            .as_bool()
            .ok_or_else(|| AppError::invalid("download", "download must be true or false."))?,
    };
    Ok(Options {
        expires_in: service::expires_in(requested)?,
        download,
    })
}

/// A signed URL for one of the caller's files.
pub async fn sign_file(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let options = options(&body)?;
    let signed =
        service::sign_file_url(&state, &identity, &id, options.expires_in, options.download)
            .await?;
    Ok(Json(json!({ "success": true, "data": signed })))
}

/// A signed URL for the video one of the caller's jobs produced.
pub async fn sign_job_video(
    State(state): State<AppState>,
    identity: Identity,
    Path(job_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let options = options(&body)?;
    let signed = service::sign_job_video_url(
        &state,
        &identity,
        &job_id,
        options.expires_in,
        options.download,
    )
    .await?;
    Ok(Json(json!({ "success": true, "data": signed })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_optional_and_checked() {
        assert_eq!(options(&Bytes::new()).unwrap().expires_in, 3600);
        let o = options(&Bytes::from(r#"{"expiresIn":60,"download":true}"#)).unwrap();
        assert_eq!((o.expires_in, o.download), (60, true));
        for bad in [
            r#"{"expiresIn":0}"#,
            r#"{"expiresIn":604801}"#,
            r#"{"expiresIn":1.5}"#,
            r#"{"expiresIn":"9"}"#,
        ] {
            let err = options(&Bytes::from(bad)).err().unwrap();
            assert_eq!(err.code(), "invalid_expires_in", "{bad}");
        }
        assert_eq!(
            options(&Bytes::from("{")).err().unwrap().code(),
            "invalid_body"
        );
    }
}
