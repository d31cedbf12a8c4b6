//! Errors as they travel: `ApiError` is the JSON body every failure answers with, on the REST API and through
//! server functions alike, so the browser branches on one stable `code`.

#[cfg(feature = "ssr")]
pub mod app_error;

#[cfg(feature = "ssr")]
pub use app_error::AppError;

use serde::{Deserialize, Serialize};
use server_fn_compat::*;

/// The wire shape of every error: `{"error": "...", "code": "...", ...details}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    /// A sentence for people.
    pub error: String,
    /// A stable snake_case word for programs.
    pub code: String,
    /// Extra fields the contract names for this code (`expired_at`, `required_role`, ...).
    #[serde(flatten)]
    pub details: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    /// An error with no details.
    pub fn new(code: impl Into<String>, error: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            code: code.into(),
            details: serde_json::Map::new(),
        }
    }

    /// Whether the client should fetch a fresh session token and try once more.
    pub fn requires_refresh(&self) -> bool {
        self.details
            .get("requires_refresh")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }

    /// A detail field as a string, when present.
    pub fn detail_str(&self, key: &str) -> Option<&str> {
        self.details.get(key).and_then(serde_json::Value::as_str)
    }

    /// Whether the caller is not signed in (any 401 code).
    pub fn is_unauthenticated(&self) -> bool {
        self.details.contains_key("requires_refresh")
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error)
    }
}

impl std::error::Error for ApiError {}

mod server_fn_compat {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let code = match &value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => "network_error",
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => "invalid_input",
            ServerFnErrorErr::MissingArg(_) => "invalid_input",
            _ => "internal_error",
        };
        Self::new(code, value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_flatten_into_the_body() {
        let mut err = ApiError::new("token_expired", "Token has expired");
        err.details
            .insert("requires_refresh".into(), serde_json::Value::Bool(true));
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "token_expired");
        assert_eq!(json["requires_refresh"], true);
        let back: ApiError = serde_json::from_value(json).unwrap();
        assert!(back.requires_refresh());
    }
}
