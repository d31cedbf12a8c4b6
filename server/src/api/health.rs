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

/// `GET /livez`: the process runs and answers; checks nothing else, so an orchestrator restarts only a stuck
/// process, never one whose database is away.
pub async fn livez() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// How long `/readyz` waits for one part before calling it down: a probe must answer well inside its own timeout.
const READY_CHECK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

async fn within<F: std::future::Future<Output = bool>>(check: F) -> bool {
    tokio::time::timeout(READY_CHECK_TIMEOUT, check)
        .await
        .unwrap_or(false)
}

/// `GET /readyz`: 200 when the database, Redis (when configured) and storage answer; otherwise 503 with a body
/// naming each failing part, so a load balancer takes the server out and an operator sees why.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let (database, redis, storage) = tokio::join!(
        within(state.db.ping()),
        // Bounded by the limiter's own command timeout.
        state.limiter.redis_healthy(),
        within(state.store.healthy())
    );
    let mut failing = Vec::new();
    if !database {
        failing.push("database");
    }
    if redis == Some(false) {
        failing.push("redis");
    }
    if !storage {
        failing.push("storage");
    }
    let ready = failing.is_empty();
    let body = json!({
        "status": if ready { "ready" } else { "unavailable" },
        "failing": failing,
        "checks": {
            "database": word(database),
            "redis": redis.map_or("not_configured", word),
            "storage": word(storage),
        }
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}
