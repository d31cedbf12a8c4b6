//! `GET /api/v1/jobs/{id}/events`: the current view first, each change after, the end after a final state; only
//! for the job's owner.

use super::Events;
use crate::helpers::Backend;
use crate::jobs::{jobs_app, queued, token};
use serde_json::{json, Value};
use std::time::Duration;

const QUICK: Duration = Duration::from_secs(10);

#[tokio::test]
async fn a_job_stream_starts_with_the_current_view_and_ends_after_completion() {
    let app = jobs_app(Backend::Suite, &[]).await;
    let alice = token("user_alice", "free");
    let id = queued(
        &app,
        &alice,
        json!({"prompt": "A red circle at dawn.", "duration": 2, "quality": "480p"}),
    )
    .await;
    let mut events = Events::open(&app, &format!("/api/v1/jobs/{id}/events"), &alice).await;
    let first = events.next(QUICK).await.expect("a first event");
    assert_eq!(first["id"], id.as_str(), "{first}");
    for field in [
        "status",
        "progress",
        "queue_position",
        "error",
        "video_file_id",
        "created_at",
    ] {
        assert!(
            first.get(field).is_some(),
            "the view carries {field}: {first}"
        );
    }
    let mut seen = vec![first];
    while let Some(event) = events.next(Duration::from_secs(120)).await {
        seen.push(event);
    }
    let last = seen.last().unwrap();
    assert_eq!(last["status"], "completed", "the final event: {last}");
    assert_eq!(last["progress"], 100);
    assert!(last["video_file_id"].is_string(), "{last}");
    let statuses: Vec<&str> = seen.iter().map(|e| e["status"].as_str().unwrap()).collect();
    assert!(
        statuses.iter().filter(|s| **s == "completed").count() == 1,
        "the stream ends at the first final state: {statuses:?}"
    );
    let progress: Vec<i64> = seen
        .iter()
        .filter(|e| e["status"] == "processing")
        .map(|e| e["progress"].as_i64().unwrap())
        .collect();
    assert!(
        progress.windows(2).all(|w| w[0] <= w[1]),
        "progress only rises: {progress:?}"
    );
}

#[tokio::test]
async fn a_queued_job_streams_its_queue_position_then_its_cancellation_and_the_stream_ends() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let bob = token("user_bob", "free");
    let id = queued(&app, &bob, json!({"prompt": "A quiet lake."})).await;
    let mut events = Events::open(&app, &format!("/api/v1/jobs/{id}/events"), &bob).await;
    let first = events.next(QUICK).await.unwrap();
    assert_eq!(
        (&first["status"], &first["queue_position"]),
        (&json!("queued"), &json!(1)),
        "{first}"
    );
    let res = app
        .client
        .post(app.url(&format!("/api/v1/jobs/{id}/cancel")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let canceled = events
        .next(QUICK)
        .await
        .expect("the cancellation is streamed");
    assert_eq!(canceled["status"], "canceled", "{canceled}");
    assert!(
        events.next(QUICK).await.is_none(),
        "the stream ends after a final state"
    );
    // A finished job's stream is its final view alone.
    let mut again = Events::open(&app, &format!("/api/v1/jobs/{id}/events"), &bob).await;
    assert_eq!(again.next(QUICK).await.unwrap()["status"], "canceled");
    assert!(again.next(QUICK).await.is_none());
}

#[tokio::test]
async fn the_session_cookie_authenticates_a_stream_as_it_does_any_request() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let carol = token("user_carol", "free");
    let id = queued(&app, &carol, json!({"prompt": "Cookies."})).await;
    let res = app
        .client
        .get(app.url(&format!("/api/v1/jobs/{id}/events")))
        .header("cookie", format!("__session={carol}"))
        .send()
        .await
        .unwrap();
    let mut events = Events::from_response(res);
    assert_eq!(events.next(QUICK).await.unwrap()["id"], id.as_str());
}

async fn refused(app: &crate::helpers::TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let res = request.send().await.unwrap();
    let status = res.status().as_u16();
    let kind = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        kind.starts_with("application/json"),
        "a refusal is JSON, not a stream: {kind}"
    );
    (status, res.json().await.unwrap())
}

#[tokio::test]
async fn another_users_job_is_not_found_and_a_stream_without_a_token_is_refused() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let dave = token("user_dave", "free");
    let erin = token("user_erin", "free");
    let id = queued(&app, &dave, json!({"prompt": "Mine alone."})).await;
    let path = format!("/api/v1/jobs/{id}/events");
    let (status, body) = refused(&app, &path, Some(&erin)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    let (status, body) = refused(&app, "/api/v1/jobs/job_nonexistent/events", Some(&dave)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    for path in [path.as_str(), "/api/v1/jobs/events"] {
        let (status, body) = refused(&app, path, None).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("missing_token")),
            "{path}: {body}"
        );
    }
}
