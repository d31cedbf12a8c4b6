//! `AppError`: every way a request can fail on the server, each with one HTTP status and one stable code.

use super::ApiError;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

/// A failure inside the service layer. Internal variants keep their cause for the logs and send a generic sentence.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("Authentication required")]
    MissingToken,
    #[error("Token has expired")]
    TokenExpired { expired_at: i64, current_time: i64 },
    #[error("Token is not valid yet")]
    TokenNotActiveYet,
    #[error("Token is malformed")]
    MalformedToken,
    #[error("Token signature is invalid")]
    InvalidSignature,
    #[error("Token was signed with an unknown key")]
    UnknownKey,
    #[error("Token was issued by an unexpected issuer")]
    WrongIssuer,
    #[error("Token audience is not accepted here")]
    WrongAudience,
    #[error("Token was requested by an unauthorized party")]
    UnauthorizedParty,
    #[error("Token algorithm is not supported")]
    UnsupportedAlgorithm,
    #[error("Your session has ended; please sign in again")]
    SessionRevoked,
    #[error("Your session expired after a period of inactivity; please sign in again")]
    SessionExpired,
    #[error("This account has been deleted")]
    UserDeleted,
    #[error("You do not have access to this")]
    Forbidden(Requirement),
    #[error("Request origin is not allowed")]
    CsrfRejected,
    #[error("Not found")]
    NotFound,
    #[error("Too many requests; try again later")]
    RateLimited(RateLimitInfo),
    #[error("{message}")]
    InvalidInput {
        field: &'static str,
        message: String,
    },
    #[error("Upload is larger than the limit of {limit_bytes} bytes")]
    PayloadTooLarge { limit_bytes: u64 },
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error(
        "This would exceed your storage quota of {limit_bytes} bytes; delete some files first"
    )]
    QuotaExceeded { used_bytes: u64, limit_bytes: u64 },
    #[error("You already have {count} videos queued or rendering (the most is {limit}); wait for one to finish")]
    TooManyActiveJobs { count: u64, limit: u64 },
    #[error("The upload was too slow and was abandoned")]
    UploadTooSlow { min_bytes_per_sec: u64 },
    #[error("Signed URL is missing a parameter")]
    SignedUrlIncomplete,
    #[error("Signed URL expired")]
    SignedUrlExpired,
    #[error("Invalid signature")]
    SignedUrlForged,
    #[error("Webhook signature is invalid")]
    WebhookRejected,
    #[error("{0}")]
    Conflict(String),
    #[error("This video is not ready yet; share it once it has finished rendering")]
    VideoNotReady,
    #[error("Email or password is incorrect")]
    BadCredentials,
    /// A signed-in user's own password, asked again before a sensitive change, did not match.
    #[error("That password is not correct")]
    WrongPassword,
    /// Clerk's Backend API refused or could not be reached; the cause goes to the logs only.
    #[error("The identity provider could not complete this; nothing was changed")]
    IdentityProvider(String),
    #[error("Service temporarily unavailable")]
    Unavailable(String),
    #[error("The server has no room left to store this; try again later")]
    InsufficientStorage(String),
    #[error("The server is busy; try again in a moment")]
    Overloaded { retry_after_secs: u64 },
    #[error("Something went wrong on our side")]
    Internal(String),
}

/// The `code` an error response carries, for middleware that logs refusals without reading the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCode(pub String);

/// What a 403 says is missing.
#[derive(Debug, Clone, PartialEq)]
pub enum Requirement {
    Role(String),
    Permissions(Vec<String>),
    Tier(String),
}

/// Figures a 429 reports in its headers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimitInfo {
    pub limit: u64,
    pub remaining: u64,
    /// Unix seconds when the window frees a slot.
    pub reset: i64,
    pub retry_after_secs: u64,
}

impl AppError {
    /// The HTTP status this failure answers with.
    pub fn status(&self) -> StatusCode {
        use AppError::*;
        match self {
            MissingToken
            | TokenExpired { .. }
            | TokenNotActiveYet
            | MalformedToken
            | InvalidSignature
            | UnknownKey
            | WrongIssuer
            | WrongAudience
            | UnauthorizedParty
            | UnsupportedAlgorithm
            | SessionRevoked
            | SessionExpired
            | UserDeleted
            | BadCredentials => StatusCode::UNAUTHORIZED,
            Forbidden(_) | CsrfRejected | SignedUrlForged | WrongPassword => StatusCode::FORBIDDEN,
            IdentityProvider(_) => StatusCode::BAD_GATEWAY,
            NotFound => StatusCode::NOT_FOUND,
            RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            InvalidInput { .. } | SignedUrlIncomplete => StatusCode::BAD_REQUEST,
            PayloadTooLarge { .. } | QuotaExceeded { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            TooManyActiveJobs { .. } => StatusCode::TOO_MANY_REQUESTS,
            UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            UploadTooSlow { .. } => StatusCode::REQUEST_TIMEOUT,
            SignedUrlExpired => StatusCode::GONE,
            WebhookRejected => StatusCode::BAD_REQUEST,
            Conflict(_) | VideoNotReady => StatusCode::CONFLICT,
            Unavailable(_) | Overloaded { .. } => StatusCode::SERVICE_UNAVAILABLE,
            InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable snake_case code programs branch on.
    pub fn code(&self) -> String {
        use AppError::*;
        let code = match self {
            MissingToken => "missing_token",
            TokenExpired { .. } => "token_expired",
            TokenNotActiveYet => "token_not_active_yet",
            MalformedToken => "malformed_token",
            InvalidSignature => "invalid_signature",
            UnknownKey => "unknown_key",
            WrongIssuer => "wrong_issuer",
            WrongAudience => "wrong_audience",
            UnauthorizedParty => "unauthorized_party",
            UnsupportedAlgorithm => "unsupported_algorithm",
            SessionRevoked => "session_revoked",
            SessionExpired => "session_expired",
            UserDeleted => "user_deleted",
            BadCredentials => "bad_credentials",
            WrongPassword => "wrong_password",
            IdentityProvider(_) => "identity_provider_error",
            Forbidden(_) => "forbidden",
            CsrfRejected => "csrf_rejected",
            NotFound => "not_found",
            RateLimited(_) => "rate_limited",
            InvalidInput { field, .. } => return format!("invalid_{field}"),
            PayloadTooLarge { .. } => "payload_too_large",
            UnsupportedMediaType(_) => "unsupported_media_type",
            QuotaExceeded { .. } => "quota_exceeded",
            TooManyActiveJobs { .. } => "too_many_active_jobs",
            UploadTooSlow { .. } => "upload_too_slow",
            SignedUrlIncomplete => "invalid_signed_url",
            SignedUrlExpired => "signed_url_expired",
            SignedUrlForged => "invalid_url_signature",
            WebhookRejected => "invalid_webhook_signature",
            Conflict(_) => "conflict",
            VideoNotReady => "video_not_ready",
            Unavailable(_) => "unavailable",
            InsufficientStorage(_) => "insufficient_storage",
            Overloaded { .. } => "server_busy",
            Internal(_) => "internal_error",
        };
        code.to_owned()
    }

    /// Shorthand for a rejected input field.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::InvalidInput {
            field,
            message: message.into(),
        }
    }

    /// Wraps any unexpected failure; its text reaches the logs only.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    fn details(&self) -> Map<String, Value> {
        let mut details = Map::new();
        if self.status() == StatusCode::UNAUTHORIZED {
            let refresh = matches!(self, Self::TokenExpired { .. } | Self::TokenNotActiveYet);
            details.insert("requires_refresh".into(), Value::Bool(refresh));
        }
        match self {
            Self::TokenExpired {
                expired_at,
                current_time,
            } => {
                details.insert("expired_at".into(), json!(expired_at));
                details.insert("current_time".into(), json!(current_time));
                details.insert(
                    "expired_seconds_ago".into(),
                    json!(current_time.saturating_sub(*expired_at)),
                );
            }
            Self::Forbidden(Requirement::Role(role)) => {
                details.insert("required_role".into(), json!(role));
            }
            Self::Forbidden(Requirement::Permissions(perms)) => {
                details.insert("required_permissions".into(), json!(perms));
            }
            Self::Forbidden(Requirement::Tier(tier)) => {
                details.insert("required_tier".into(), json!(tier));
            }
            Self::InvalidInput { field, .. } => {
                details.insert("field".into(), json!(field));
            }
            Self::PayloadTooLarge { limit_bytes } => {
                details.insert("limit_bytes".into(), json!(limit_bytes));
            }
            Self::QuotaExceeded {
                used_bytes,
                limit_bytes,
            } => {
                details.insert("used_bytes".into(), json!(used_bytes));
                details.insert("limit_bytes".into(), json!(limit_bytes));
            }
            Self::TooManyActiveJobs { count, limit } => {
                details.insert("active_jobs".into(), json!(count));
                details.insert("limit".into(), json!(limit));
            }
            Self::UploadTooSlow { min_bytes_per_sec } => {
                details.insert("min_bytes_per_sec".into(), json!(min_bytes_per_sec));
            }
            Self::RateLimited(info) => {
                details.insert("retry_after".into(), json!(info.retry_after_secs));
            }
            Self::Overloaded { retry_after_secs } => {
                details.insert("retry_after".into(), json!(retry_after_secs));
            }
            Self::Unavailable(_) => {
                details.insert("retry_after".into(), json!(UNAVAILABLE_RETRY_AFTER_SECS));
            }
            _ => {}
        }
        details
    }

    /// The JSON body sent to clients.
    pub fn to_api_error(&self) -> ApiError {
        ApiError {
            error: self.to_string(),
            code: self.code(),
            details: self.details(),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        err.log_if_internal();
        err.to_api_error()
    }
}

impl AppError {
    fn log_if_internal(&self) {
        match self {
            Self::Internal(cause) => tracing::error!(%cause, "internal error"),
            Self::Unavailable(cause) => tracing::warn!(%cause, "dependency unavailable"),
            Self::IdentityProvider(cause) => tracing::warn!(%cause, "identity provider refused"),
            Self::InsufficientStorage(cause) => tracing::error!(%cause, "storage full"),
            _ => {}
        }
    }
}

/// What a 503 from a missing dependency (database, Redis, bucket, JWKS) asks clients to wait: about how long a
/// database restart or failover takes.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => Self::NotFound,
            ref e if database_unreachable(e) => Self::Unavailable(err.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

/// Whether `err` means the database is away (down, restarting, unreachable, out of connections) rather than that
/// the query was wrong: the first is a 503 worth retrying, the second a bug.
pub fn database_unreachable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        // A connection cut mid-message by a server shutting down.
        | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // Class 08: connection exceptions; 57P01–57P03: the server is shutting down or starting;
            // 53300: too many connections.
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

impl From<std::io::Error> for AppError {
    /// A full disk is 507 (nothing was kept); any other I/O failure is internal.
    fn from(err: std::io::Error) -> Self {
        if is_storage_full(&err) {
            Self::InsufficientStorage(err.to_string())
        } else {
            Self::Internal(err.to_string())
        }
    }
}

/// Whether an I/O error says the disk or the user's disk quota is full.
pub fn is_storage_full(err: &std::io::Error) -> bool {
    const ENOSPC: i32 = 28;
    const EDQUOT: i32 = 122;
    err.kind() == std::io::ErrorKind::StorageFull
        || err.kind() == std::io::ErrorKind::QuotaExceeded
        || matches!(err.raw_os_error(), Some(ENOSPC | EDQUOT))
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log_if_internal();
        let status = self.status();
        let rate = match &self {
            Self::RateLimited(info) => Some(*info),
            _ => None,
        };
        let busy_for = match &self {
            Self::Overloaded { retry_after_secs } => Some(*retry_after_secs),
            Self::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        };
        let body = self.to_api_error();
        let code = ResponseCode(body.code.clone());
        let mut response = (status, axum::Json(body)).into_response();
        response.extensions_mut().insert(code);
        if let Some(secs) = busy_for {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let Some(info) = rate {
            let headers = response.headers_mut();
            for (name, value) in [
                ("x-ratelimit-limit", info.limit.to_string()),
                ("x-ratelimit-remaining", info.remaining.to_string()),
                ("x-ratelimit-reset", info.reset.to_string()),
                ("retry-after", info.retry_after_secs.to_string()),
            ] {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    headers.insert(name, value);
                }
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_token_body_matches_the_contract() {
        let body = AppError::TokenExpired {
            expired_at: 1_630_000_000,
            current_time: 1_755_935_527,
        }
        .to_api_error();
        let json = serde_json::to_value(body).unwrap();
        assert_eq!(json["error"], "Token has expired");
        assert_eq!(json["code"], "token_expired");
        assert_eq!(json["expired_seconds_ago"], 125_935_527);
        assert_eq!(json["requires_refresh"], true);
    }

    #[test]
    fn not_yet_valid_tokens_ask_for_refresh_and_bad_ones_do_not() {
        assert!(AppError::TokenNotActiveYet
            .to_api_error()
            .requires_refresh());
        assert!(!AppError::InvalidSignature.to_api_error().requires_refresh());
    }

    #[test]
    fn ended_sessions_and_deleted_users_are_401s_that_a_refresh_cannot_fix() {
        for (err, code) in [
            (AppError::UserDeleted, "user_deleted"),
            (AppError::SessionRevoked, "session_revoked"),
            (AppError::SessionExpired, "session_expired"),
        ] {
            assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
            assert_eq!(err.code(), code);
            assert!(!err.to_api_error().requires_refresh());
            assert!(err.to_api_error().is_unauthenticated());
        }
    }

    #[test]
    fn a_database_that_is_away_is_503_with_retry_after_and_a_bad_query_is_500() {
        for err in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)),
        ] {
            let response = AppError::from(err).into_response();
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(response.headers()["retry-after"], "5");
        }
        let bad_query = AppError::from(sqlx::Error::ColumnNotFound("x".into()));
        assert_eq!(bad_query.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn a_full_disk_is_507_insufficient_storage() {
        let full = AppError::from(std::io::Error::from_raw_os_error(28));
        assert_eq!(full.status(), StatusCode::INSUFFICIENT_STORAGE);
        assert_eq!(full.code(), "insufficient_storage");
        let other = AppError::from(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert_eq!(other.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn account_refusals_have_their_own_codes() {
        assert_eq!(
            (
                AppError::WrongPassword.status(),
                AppError::WrongPassword.code()
            ),
            (StatusCode::FORBIDDEN, "wrong_password".to_owned())
        );
        let clerk = AppError::IdentityProvider("HTTP 500".into());
        assert_eq!(
            (clerk.status(), clerk.code()),
            (
                StatusCode::BAD_GATEWAY,
                "identity_provider_error".to_owned()
            )
        );
        assert!(
            !clerk.to_api_error().error.contains("500"),
            "the cause stays in the logs"
        );
    }

    #[test]
    fn invalid_input_code_names_the_field() {
        let err = AppError::invalid("prompt", "Prompt is empty");
        assert_eq!(err.code(), "invalid_prompt");
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
    }
}
