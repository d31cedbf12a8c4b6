//! `GET /api/v1/me/usage`: generations this hour, stored bytes and active jobs, each against its limit.

use crate::files::support::{files_app, sample_mp4, token, upload};
use crate::helpers::{Backend, TestApp};
use crate::limits::unique_prefix;
use serde_json::{json, Value};

async fn usage(app: &TestApp, token: &str) -> Value {
    let res = app
        .client
        .get(app.url("/api/v1/me/usage"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["success"], true);
    body["data"].clone()
}

async fn usage_counts_what_the_user_did(app: &TestApp) {
    let user = token("user_u");
    let fresh = usage(app, &user).await;
    assert_eq!(fresh["generations"]["used"], 0);
    assert_eq!(fresh["generations"]["limit"], 7);
    assert_eq!(
        fresh["storage"],
        json!({"used_bytes": 0, "limit_bytes": 50000})
    );
    assert_eq!(fresh["active_jobs"], json!({"count": 0, "limit": 3}));

    let res = upload(app, &user, sample_mp4(1234), "clip.mp4", "video/mp4", &[]).await;
    assert_eq!(res.status(), 201);
    let res = app
        .client
        .post(app.url("/api/v1/videos/generate"))
        .bearer_auth(&user)
        .json(&json!({"prompt": "a red circle"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);

    let after = usage(app, &user).await;
    assert_eq!(after["generations"]["used"], 1);
    let resets_at = after["generations"]["resets_at"].as_str().unwrap();
    let resets_at = chrono::DateTime::parse_from_rfc3339(resets_at).unwrap();
    let in_secs = resets_at.timestamp() - chrono::Utc::now().timestamp();
    assert!((3500..=3601).contains(&in_secs), "{in_secs}");
    assert_eq!(after["storage"]["used_bytes"], 1234);
    assert_eq!(after["active_jobs"]["count"], 1);
    // Peeking took no slot.
    assert_eq!(usage(app, &user).await["generations"]["used"], 1);
    // Another user sees only their own figures.
    assert_eq!(
        usage(app, &token("user_v")).await["storage"]["used_bytes"],
        0
    );
}

const LIMITS: [(&str, &str); 4] = [
    ("T2M_WORKERS", "0"),
    ("RATE_LIMIT_PER_HOUR", "7"),
    ("T2M_STORAGE_QUOTA_BYTES", "50000"),
    ("T2M_MAX_ACTIVE_JOBS", "3"),
];

#[tokio::test]
async fn usage_reports_generations_storage_and_active_jobs_against_their_limits() {
    let app = files_app(Backend::Suite, &LIMITS).await;
    usage_counts_what_the_user_did(&app).await;
}

#[tokio::test]
async fn usage_reads_the_shared_window_from_redis_on_postgres() {
    let prefix = unique_prefix();
    let mut vars = LIMITS.to_vec();
    vars.push(("REDIS_URL", "redis://127.0.0.1:6379"));
    vars.push(("T2M_REDIS_KEY_PREFIX", prefix.as_str()));
    let app = files_app(Backend::Postgres, &vars).await;
    usage_counts_what_the_user_did(&app).await;
}

#[tokio::test]
async fn usage_needs_a_session() {
    let app = files_app(Backend::Suite, &[]).await;
    let res = app.get("/api/v1/me/usage").await;
    assert_eq!(res.status(), 401);
}
