//! `GET /api/system/health` and `GET /api/auth/health`.

use app::services::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

fn word(up: bool) -> &'static str {
    if up {
        "ok"
    } else {
        "down"
    }
}

/// 200 when every required part answers: the database, and Redis and the S3 bucket when configured; 503
/// otherwise.
pub async fn system_health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let (database, redis, bucket) = tokio::join!(
        state.db.ping(),
        state.limiter.redis_healthy(),
        state.store.remote_healthy()
    );
    let healthy = database && redis.unwrap_or(true) && bucket.unwrap_or(true);
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if healthy { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "checks": {
            "database": word(database),
            "database_kind": format!("{:?}", state.db.kind).to_lowercase(),
            "redis": redis.map_or("not_configured", word),
            "storage": bucket.map_or("local", |up| if up { "s3" } else { "s3_down" }),
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
