//! `GET /api/system/health` and `GET /api/auth/health`.

use app::services::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// 200 when the database answers, 503 when it does not.
pub async fn system_health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = state.db.ping().await;
    let status = if database {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if database { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "checks": {
            "database": if database { "ok" } else { "down" },
            "database_kind": format!("{:?}", state.db.kind).to_lowercase(),
        }
    });
    (status, Json(body))
}

/// Which identity provider verifies sessions.
pub async fn auth_health(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "provider": if state.config.uses_local_identity() { "local" } else { "clerk" },
        "issuer": state.config.issuer(),
        "dev_mode": state.config.dev_mode,
    }))
}
