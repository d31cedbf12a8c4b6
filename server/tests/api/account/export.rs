//! `GET /api/v1/me/export`: a zip with the account, jobs and files as JSON and the stored bytes.

use super::{call, png, sign_up, token, upload};
use crate::helpers::spawn_app_with;
use reqwest::Method;
use serde_json::{json, Value};
use std::io::Read;

#[tokio::test]
async fn the_export_holds_the_callers_records_and_bytes_and_nobody_elses() {
    let app = spawn_app_with(crate::helpers::Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let me = token(&app, &sign_up(&app, "export@example.com").await).await;
    let other = token(&app, &sign_up(&app, "other@example.com").await).await;
    let mine = upload(&app, &me, png(), "dot.png", "image/png").await;
    let theirs = upload(&app, &other, png(), "theirs.png", "image/png").await;
    let (status, job) = call(
        &app,
        Method::POST,
        "/api/v1/videos/generate",
        &me,
        Some(json!({"prompt": "a red circle", "duration": 1, "quality": "480p"})),
    )
    .await;
    assert_eq!(status, 202, "{job}");
    let job_id = job["data"]["job_id"].as_str().unwrap();

    let res = app
        .client
        .get(app.url("/api/v1/me/export"))
        .bearer_auth(&me)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let bytes = res.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut json_of = |name: &str| -> Value {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let account = json_of("account.json");
    assert_eq!(account["email"], "export@example.com");
    let jobs = json_of("jobs.json");
    assert_eq!(jobs.as_array().unwrap().len(), 1);
    assert_eq!(jobs[0]["id"], job_id);
    let files = json_of("files.json");
    assert_eq!(files.as_array().unwrap().len(), 1);
    assert_eq!(files[0]["id"].as_str(), Some(mine.as_str()));
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    assert!(!names.iter().any(|n| n.contains(&theirs)), "{names:?}");
    let mut stored = Vec::new();
    zip.by_name(&format!("uploads/{mine}-dot.png"))
        .unwrap()
        .read_to_end(&mut stored)
        .unwrap();
    assert_eq!(stored, png(), "the file's bytes as uploaded");
    assert_eq!(
        zip.by_name("account.json").unwrap().compression(),
        zip::CompressionMethod::Deflated
    );

    let anonymous = app
        .client
        .get(app.url("/api/v1/me/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}
