//! `POST /api/v1/videos/{job_id}/signed-url` `{download: true}` serves the video as an attachment, like files.

use super::{call, library_app};
use crate::jobs::{queued, token, wait_final};
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

async fn disposition(
    app: &crate::helpers::TestApp,
    token: &str,
    job: &str,
    body: serde_json::Value,
) -> String {
    let (status, signed) = call(
        app,
        token,
        Method::POST,
        &format!("/api/v1/videos/{job}/signed-url"),
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{signed}");
    let path = signed["data"]["url"]
        .as_str()
        .unwrap()
        .strip_prefix("https://t2m-app.com")
        .unwrap()
        .to_owned();
    let res = reqwest::get(app.url(&path)).await.unwrap();
    assert_eq!(res.status(), 200);
    res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_job_video_downloads_as_an_attachment_when_asked() {
    let app = library_app(true).await;
    let alice = token("user_alice", "free");
    let id = queued(
        &app,
        &alice,
        json!({"prompt": "A blue square spins.", "duration": 1, "quality": "480p"}),
    )
    .await;
    let seen = wait_final(&app, &alice, &id, Duration::from_secs(120)).await;
    assert_eq!(seen.last().unwrap()["status"], "completed");
    let attachment = disposition(&app, &alice, &id, json!({"download": true})).await;
    assert!(attachment.starts_with("attachment"), "{attachment}");
    assert!(attachment.contains(".mp4"), "names the file: {attachment}");
    let inline = disposition(&app, &alice, &id, json!({"download": false})).await;
    assert!(inline.starts_with("inline"), "{inline}");
    let plain = disposition(&app, &alice, &id, json!({})).await;
    assert!(plain.starts_with("inline"), "{plain}");
    let (status, body) = call(
        &app,
        &alice,
        Method::POST,
        &format!("/api/v1/videos/{id}/signed-url"),
        Some(json!({"download": "yes"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_download"))
    );
}
