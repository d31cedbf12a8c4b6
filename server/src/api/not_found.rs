//! Unknown paths under `/api`: API clients get the JSON error shape, never an HTML page.

use app::error::AppError;

/// Any method on an `/api/…` path no route claims.
pub async fn api_not_found() -> AppError {
    AppError::NotFound
}
