//! `T2M_MAX_ACTIVE_JOBS`: queued + processing jobs per user are capped (429 `too_many_active_jobs`), the cap holds
//! under concurrent requests, and a full storage quota refuses new generations.

use super::{generate, jobs_app, queued, token};
use crate::helpers::{Backend, TestApp};
use serde_json::{json, Value};

async fn assert_too_many(res: reqwest::Response, limit: u64) {
    assert_eq!(res.status(), 429);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "too_many_active_jobs", "{body}");
    assert_eq!(body["limit"], limit, "{body}");
}

async fn cancel(app: &TestApp, user: &str, id: &str) {
    let res = app
        .client
        .post(app.url(&format!("/api/v1/jobs/{id}/cancel")))
        .bearer_auth(user)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

async fn the_cap_counts_queued_jobs_per_user(backend: Backend) {
    let app = jobs_app(
        backend,
        &[("T2M_WORKERS", "0"), ("T2M_MAX_ACTIVE_JOBS", "2")],
    )
    .await;
    let user = token("user_busy", "free");
    let first = queued(&app, &user, json!({"prompt": "one"})).await;
    queued(&app, &user, json!({"prompt": "two"})).await;
    assert_too_many(generate(&app, &user, json!({"prompt": "three"})).await, 2).await;
    // Another user has their own count.
    queued(&app, &token("user_idle", "free"), json!({"prompt": "mine"})).await;
    // A finished (here canceled) job no longer counts.
    cancel(&app, &user, &first).await;
    queued(&app, &user, json!({"prompt": "three again"})).await;
    assert_too_many(generate(&app, &user, json!({"prompt": "four"})).await, 2).await;
}

#[tokio::test]
async fn a_user_at_the_active_job_cap_gets_429_too_many_active_jobs() {
    the_cap_counts_queued_jobs_per_user(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_user_at_the_active_job_cap_gets_429_too_many_active_jobs_on_postgres() {
    the_cap_counts_queued_jobs_per_user(Backend::Postgres).await;
}

async fn concurrent_requests_cannot_pass_the_cap(backend: Backend) {
    let app = jobs_app(
        backend,
        &[("T2M_WORKERS", "0"), ("T2M_MAX_ACTIVE_JOBS", "3")],
    )
    .await;
    let user = token("user_burst", "free");
    let answers = futures_util::future::join_all(
        (0..10).map(|i| generate(&app, &user, json!({"prompt": format!("burst {i}")}))),
    )
    .await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        3,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [202, 429].contains(s)),
        "{statuses:?}"
    );
    let (active,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'processing')")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(active, 3);
}

#[tokio::test]
async fn concurrent_generations_cannot_pass_the_active_job_cap() {
    concurrent_requests_cannot_pass_the_cap(Backend::Sqlite).await;
}

#[tokio::test]
async fn concurrent_generations_cannot_pass_the_active_job_cap_on_postgres() {
    concurrent_requests_cannot_pass_the_cap(Backend::Postgres).await;
}

#[tokio::test]
async fn premium_users_get_the_premium_cap() {
    let app = jobs_app(
        Backend::Suite,
        &[
            ("T2M_WORKERS", "0"),
            ("T2M_MAX_ACTIVE_JOBS", "1"),
            ("T2M_PREMIUM_MAX_ACTIVE_JOBS", "2"),
        ],
    )
    .await;
    let paid = token("user_paid", "premium");
    queued(&app, &paid, json!({"prompt": "one"})).await;
    queued(&app, &paid, json!({"prompt": "two"})).await;
    assert_too_many(generate(&app, &paid, json!({"prompt": "three"})).await, 2).await;
}

#[tokio::test]
async fn a_user_whose_storage_is_full_cannot_start_a_generation() {
    let app = jobs_app(
        Backend::Suite,
        &[("T2M_WORKERS", "0"), ("T2M_STORAGE_QUOTA_BYTES", "1000")],
    )
    .await;
    let user = token("user_full", "free");
    let part = reqwest::multipart::Part::bytes(crate::files::support::sample_mp4(1000))
        .file_name("clip.mp4")
        .mime_str("video/mp4")
        .unwrap();
    let res = app
        .client
        .post(app.url("/api/v1/files/upload"))
        .bearer_auth(&user)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let res = generate(&app, &user, json!({"prompt": "no room"})).await;
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "quota_exceeded");
    assert_eq!(
        (body["used_bytes"].as_u64(), body["limit_bytes"].as_u64()),
        (Some(1000), Some(1000))
    );
}
