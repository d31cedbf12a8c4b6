//! Rate limits: the in-process window and the Redis window shared by several app instances.

use crate::helpers::{spawn_app, spawn_app_with, Backend};
use app::error::AppError;
use app::services::limits::LimitedAction;

/// A key prefix no other test (or earlier run) uses, so tests sharing one Redis never see each other's slots.
pub fn unique_prefix() -> String {
    format!("t2m-test-{}", uuid::Uuid::new_v4().simple())
}

#[tokio::test]
async fn two_app_instances_sharing_redis_share_one_limit() {
    let prefix = unique_prefix();
    let vars = [
        ("REDIS_URL", "redis://127.0.0.1:6379"),
        ("T2M_REDIS_KEY_PREFIX", prefix.as_str()),
        ("RATE_LIMIT_PER_HOUR", "3"),
    ];
    let first = spawn_app_with(Backend::Suite, &vars).await;
    let second = spawn_app_with(Backend::Suite, &vars).await;
    let (a, b) = (&first.state.limiter, &second.state.limiter);
    let taken = a.check("user_1", LimitedAction::Upload).await.unwrap();
    assert_eq!(taken.remaining, 2);
    assert_eq!(
        b.check("user_1", LimitedAction::Upload)
            .await
            .unwrap()
            .remaining,
        1
    );
    assert_eq!(
        a.check("user_1", LimitedAction::Upload)
            .await
            .unwrap()
            .remaining,
        0
    );
    let Err(AppError::RateLimited(info)) = b.check("user_1", LimitedAction::Upload).await else {
        panic!("the fourth slot across both instances must be refused");
    };
    assert_eq!((info.limit, info.remaining), (3, 0));
    assert!((3590..=3600).contains(&info.retry_after_secs), "{info:?}");
    // Other users and other actions keep their own windows.
    b.check("user_2", LimitedAction::Upload).await.unwrap();
    b.check("user_1", LimitedAction::Generate).await.unwrap();
}

#[tokio::test]
async fn the_in_memory_limiter_refuses_after_the_limit() {
    let app = spawn_app_with(Backend::Suite, &[("RATE_LIMIT_PER_HOUR", "1")]).await;
    app.state
        .limiter
        .check("u", LimitedAction::Generate)
        .await
        .unwrap();
    let err = app
        .state
        .limiter
        .check("u", LimitedAction::Generate)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "rate_limited");
    assert_eq!(app.state.limiter.redis_healthy().await, None);
}

#[tokio::test]
async fn a_configured_redis_that_is_down_answers_503_never_allows() {
    let app = spawn_app_with(Backend::Suite, &[("REDIS_URL", "redis://127.0.0.1:1")]).await;
    let err = app
        .state
        .limiter
        .check("u", LimitedAction::Upload)
        .await
        .unwrap_err();
    assert_eq!(err.status(), 503);
    let res = app.get("/api/system/health").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["checks"]["redis"], "down");
    assert_eq!(body["checks"]["database"], "ok");
}

#[tokio::test]
async fn health_reports_redis_when_configured_and_up() {
    let prefix = unique_prefix();
    let app = spawn_app_with(
        Backend::Suite,
        &[
            ("REDIS_URL", "redis://127.0.0.1:6379"),
            ("T2M_REDIS_KEY_PREFIX", &prefix),
        ],
    )
    .await;
    let res = app.get("/api/system/health").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["checks"]["redis"], "ok");
    let plain = spawn_app().await;
    let body: serde_json::Value = plain.get("/api/system/health").await.json().await.unwrap();
    assert_eq!(body["checks"]["redis"], "not_configured");
}
