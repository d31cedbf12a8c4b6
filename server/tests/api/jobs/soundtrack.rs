//! The optional soundtrack end to end: asked for in the generate request, stored with the job, rendered as an
//! Opus track next to the H.264 one, and absent unless asked for.

use super::{generate, jobs_app, queued, token, wait_final};
use crate::helpers::{Backend, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

/// Downloads the job's video through a signed URL and returns the codec of each stream, in order.
async fn streams_of_download(app: &TestApp, token: &str, job_id: &str) -> Vec<String> {
    let res = app
        .client
        .post(app.url(&format!("/api/v1/videos/{job_id}/signed-url")))
        .bearer_auth(token)
        .json(&json!({ "expiresIn": 300 }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let url = res.json::<Value>().await.unwrap()["data"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = url.strip_prefix("https://t2m-app.com").expect("APP_URL");
    let video = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(video.status(), 200);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("download.mp4");
    std::fs::write(&file, video.bytes().await.unwrap()).unwrap();
    let json = super::ffprobe(&file, &["-show_entries", "stream=codec_name"]);
    json["streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["codec_name"].as_str().unwrap_or("?").to_owned())
        .collect()
}

async fn finished(app: &TestApp, token: &str, body: Value) -> Value {
    let id = queued(app, token, body).await;
    let seen = wait_final(app, token, &id, Duration::from_secs(120)).await;
    let last = seen.last().unwrap().clone();
    assert_eq!(last["status"], "completed", "{last}");
    last
}

async fn soundtrack_only_when_asked(backend: Backend) {
    let app = jobs_app(backend, &[]).await;
    let prompt = "A calm night over the quiet sea";
    // Premium only (`SOUNDTRACK_FREE`): it made a 720p render 11 % slower.
    let free = token("user_bob", "free");
    let asked = json!({"prompt": prompt, "duration": 2, "quality": "480p", "soundtrack": true});
    let refused = generate(&app, &free, asked).await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "forbidden", "{body}");

    let alice = token("user_alice", "premium");
    let with = finished(
        &app,
        &alice,
        json!({"prompt": prompt, "duration": 2, "quality": "480p", "soundtrack": true}),
    )
    .await;
    assert_eq!(with["soundtrack"], true, "stored with the job: {with}");
    let id = with["id"].as_str().unwrap();
    assert_eq!(
        streams_of_download(&app, &alice, id).await,
        ["h264", "opus"]
    );

    let without = finished(
        &app,
        &alice,
        json!({"prompt": prompt, "duration": 2, "quality": "480p"}),
    )
    .await;
    assert_eq!(without["soundtrack"], false, "off by default: {without}");
    let id = without["id"].as_str().unwrap();
    assert_eq!(streams_of_download(&app, &alice, id).await, ["h264"]);
}

#[tokio::test]
async fn a_soundtrack_job_has_an_opus_track_and_others_none_on_sqlite() {
    soundtrack_only_when_asked(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_soundtrack_job_has_an_opus_track_and_others_none_on_postgres() {
    soundtrack_only_when_asked(Backend::Postgres).await;
}
