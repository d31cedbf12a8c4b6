//! `?limit=&cursor=` for lists that page by cursor (stable under inserts), rejecting junk with `invalid_limit`.

use super::pagination::parse_limit;
use app::error::AppError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::Deserialize;

#[derive(Deserialize)]
struct Raw {
    limit: Option<String>,
    cursor: Option<String>,
}

/// A bounded page request continuing after `cursor` (opaque; the service decodes it).
pub struct CursorPage {
    pub limit: i64,
    pub cursor: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for CursorPage {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(raw) = Query::<Raw>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::invalid("query", "The query string is malformed."))?;
        let limit = parse_limit(raw.limit)?;
        Ok(Self {
            limit,
            cursor: raw.cursor.filter(|c| !c.is_empty()),
        })
    }
}
