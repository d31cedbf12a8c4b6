//! `?limit=&offset=` with bounds, rejecting junk with `invalid_limit` / `invalid_offset`.

use app::error::AppError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::Deserialize;

/// Most items one page may hold.
pub const MAX_LIMIT: i64 = 100;

#[derive(Deserialize)]
struct Raw {
    limit: Option<String>,
    offset: Option<String>,
}

/// Reads `?limit=`: 20 when absent, otherwise 1–`MAX_LIMIT`.
///
/// # Errors
/// `invalid_limit` for anything else.
pub fn parse_limit(raw: Option<String>) -> Result<i64, AppError> {
    match raw {
        None => Ok(20),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| AppError::invalid("limit", format!("limit must be 1–{MAX_LIMIT}."))),
    }
}

/// A bounded page request.
pub struct Pagination {
    pub limit: i64,
    pub offset: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for Pagination {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(raw) = Query::<Raw>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::invalid("query", "The query string is malformed."))?;
        let limit = parse_limit(raw.limit)?;
        let offset = match raw.offset {
            None => 0,
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| AppError::invalid("offset", "offset must be 0 or more."))?,
        };
        Ok(Self { limit, offset })
    }
}
