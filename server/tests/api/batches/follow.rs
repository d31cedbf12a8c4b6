//! Following batches: totals and mean progress as the jobs render, canceling the unfinished ones, and other
//! users' batches answering 404.

use super::{call, post_batch, premium};
use crate::helpers::Backend;
use crate::jobs::{assert_queue_drained, jobs_app};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn batch(app: &crate::helpers::TestApp, token: &str, prompts: &[&str]) -> String {
    let (status, body) = post_batch(
        app,
        token,
        json!({"prompts": prompts, "duration": 1, "quality": "480p"}),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    body["data"]["batch_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_batch_reports_its_totals_and_reaches_full_progress_when_every_job_completes() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "2")]).await;
    let pat = premium("user_pat");
    let id = batch(
        &app,
        &pat,
        &["a red circle", "a blue square", "a green star"],
    )
    .await;
    let started = Instant::now();
    let done: Value = loop {
        let (status, body) = call(&app, &pat, "GET", &format!("/api/v1/batches/{id}")).await;
        assert_eq!(status, 200, "{body}");
        let data = body["data"].clone();
        assert_eq!(data["total"], 3);
        let progress = data["progress"].as_u64().unwrap();
        assert!(progress <= 100);
        if data["completed"] == 3 {
            break data;
        }
        assert!(started.elapsed() < Duration::from_secs(180), "still {data}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(done["id"], id.as_str());
    assert_eq!(
        (done["failed"].as_u64(), done["canceled"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(done["progress"], 100);
    let jobs = done["jobs"].as_array().unwrap();
    assert!(
        jobs.iter()
            .all(|j| j["status"] == "completed" && j["video_file_id"].is_string()),
        "{done}"
    );
    assert_queue_drained(&app).await;
}

#[tokio::test]
async fn canceling_a_batch_cancels_every_unfinished_job() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let quinn = premium("user_quinn");
    let id = batch(&app, &quinn, &["one", "two", "three"]).await;
    let (status, body) = call(&app, &quinn, "GET", &format!("/api/v1/batches/{id}")).await;
    assert_eq!(status, 200);
    let first = body["data"]["jobs"][0]["id"].as_str().unwrap().to_owned();
    let (status, _) = call(
        &app,
        &quinn,
        "POST",
        &format!("/api/v1/jobs/{first}/cancel"),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = call(
        &app,
        &quinn,
        "POST",
        &format!("/api/v1/batches/{id}/cancel"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let data = &body["data"];
    assert_eq!(
        (data["total"].as_u64(), data["canceled"].as_u64()),
        (Some(3), Some(3)),
        "{data}"
    );
    assert!(data["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|j| j["status"] == "canceled"));
    // Canceling again changes nothing and still answers the batch.
    let (status, again) = call(
        &app,
        &quinn,
        "POST",
        &format!("/api/v1/batches/{id}/cancel"),
    )
    .await;
    assert_eq!((status, &again["data"]["canceled"]), (200, &json!(3)));
    assert_queue_drained(&app).await;
}

#[tokio::test]
async fn another_users_batch_is_not_found_for_reading_or_canceling() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let owner = premium("user_rita");
    let stranger = premium("user_sam");
    let id = batch(&app, &owner, &["mine"]).await;
    for (method, path) in [
        ("GET", format!("/api/v1/batches/{id}")),
        ("POST", format!("/api/v1/batches/{id}/cancel")),
        ("GET", "/api/v1/batches/batch_nonexistent".to_owned()),
    ] {
        let (status, body) = call(&app, &stranger, method, &path).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("not_found")),
            "{method} {path}: {body}"
        );
    }
    let (_, body) = call(&app, &owner, "GET", &format!("/api/v1/batches/{id}")).await;
    assert_eq!(
        body["data"]["jobs"][0]["status"], "queued",
        "the stranger's cancel touched nothing"
    );
}
