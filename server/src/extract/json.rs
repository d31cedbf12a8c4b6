//! `ApiJson<T>`: a JSON body whose rejections use the app's error shape instead of axum's plain text.

use app::error::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::Json;
use serde::de::DeserializeOwned;

/// A JSON request body.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(AppError::UnsupportedMediaType(
                "Send the body as JSON with Content-Type: application/json".into(),
            )),
            Err(JsonRejection::JsonDataError(err)) => {
                Err(AppError::invalid("body", err.body_text()))
            }
            Err(err) => Err(AppError::invalid(
                "body",
                format!("The body is not valid JSON: {}", err.body_text()),
            )),
        }
    }
}
