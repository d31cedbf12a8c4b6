//! `GET /api/v1/jobs/events`: every change to any of the caller's jobs, nobody else's; outside the request
//! timeout; and a client that leaves is no longer followed.

use super::Events;
use crate::helpers::Backend;
use crate::jobs::{jobs_app, queued, token};
use serde_json::json;
use std::time::{Duration, Instant};

const QUICK: Duration = Duration::from_secs(10);

#[tokio::test]
async fn the_all_jobs_stream_carries_each_of_the_callers_jobs_as_it_changes_and_no_one_elses() {
    let app = jobs_app(Backend::Suite, &[]).await;
    let frank = token("user_frank", "free");
    let grace = token("user_grace", "free");
    let mut events = Events::open(&app, "/api/v1/jobs/events", &frank).await;
    let theirs = queued(
        &app,
        &grace,
        json!({"prompt": "Not for Frank.", "duration": 1, "quality": "480p"}),
    )
    .await;
    let first = queued(
        &app,
        &frank,
        json!({"prompt": "A green field.", "duration": 1, "quality": "480p"}),
    )
    .await;
    let second = queued(
        &app,
        &frank,
        json!({"prompt": "A blue sky.", "duration": 1, "quality": "480p"}),
    )
    .await;
    let done = |id: &str, e: &serde_json::Value| e["id"] == id && e["status"] == "completed";
    let mut seen = events
        .until(Duration::from_secs(120), |e| done(&first, e))
        .await;
    if !seen.iter().any(|e| done(&second, e)) {
        seen.extend(
            events
                .until(Duration::from_secs(120), |e| done(&second, e))
                .await,
        );
    }
    assert!(
        seen.iter().all(|e| e["id"] != theirs.as_str()),
        "another user's job leaked: {seen:?}"
    );
    for id in [&first, &second] {
        let statuses: Vec<&str> = seen
            .iter()
            .filter(|e| e["id"] == id.as_str())
            .map(|e| e["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            statuses.first(),
            Some(&"queued"),
            "{id} is streamed from its creation: {statuses:?}"
        );
        assert!(statuses.contains(&"processing"), "{id}: {statuses:?}");
        assert_eq!(statuses.last(), Some(&"completed"), "{id}: {statuses:?}");
    }
}

#[tokio::test]
async fn the_all_jobs_stream_outlives_the_request_timeout() {
    let app = jobs_app(
        Backend::Suite,
        &[("T2M_WORKERS", "0"), ("T2M_REQUEST_TIMEOUT_SECS", "1")],
    )
    .await;
    let heidi = token("user_heidi", "free");
    let mut events = Events::open(&app, "/api/v1/jobs/events", &heidi).await;
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let id = queued(&app, &heidi, json!({"prompt": "Still listening."})).await;
    let event = events.next(QUICK).await.expect("the stream is still open");
    assert_eq!(event["id"], id.as_str());
}

#[tokio::test]
async fn a_client_that_leaves_is_no_longer_followed() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let ivan = token("user_ivan", "free");
    let feed = app.state.job_events.clone();
    let mut events = Events::open(&app, "/api/v1/jobs/events", &ivan).await;
    let id = queued(&app, &ivan, json!({"prompt": "Hello."})).await;
    events.next(QUICK).await.unwrap();
    assert_eq!(feed.subscribers(), 1);
    drop(events);
    // The server learns the client left when it next writes to it: each notice gives it something to write.
    let started = Instant::now();
    while feed.subscribers() > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the stream outlived its client"
        );
        app::services::jobs::events::publish(&app.state, "user_ivan", &id).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_stream_ends_once_its_session_is_revoked() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let kate = token("user_kate", "free");
    let mut events = Events::open(&app, "/api/v1/jobs/events", &kate).await;
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    app::services::auth::revocations::revoke(&mut conn, "sess_test", Some("user_kate"), "revoked")
        .await
        .unwrap();
    drop(conn);
    // Streams look at their session's standing every 15 seconds.
    assert!(
        events.next(Duration::from_secs(25)).await.is_none(),
        "the stream ended"
    );
}
