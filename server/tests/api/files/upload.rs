//! `POST /api/v1/files/upload`: round trips on both databases, sniffing, sanitising, rate limits.

use super::support::{file_rows, files_app, sample_mp4, temp_files, token, upload, upload_video};
use crate::auth::local_provider::{api_token, sign_up};
use crate::helpers::{spawn_app_with, Backend};
use serde_json::Value;

async fn round_trip_on(backend: Backend) {
    let app = spawn_app_with(backend, &[]).await;
    sign_up(&app, "ada@example.com", "correct horse battery", false).await;
    let jwt = api_token(&app).await.json::<Value>().await.unwrap()["jwt"]
        .as_str()
        .unwrap()
        .to_owned();
    let bytes = sample_mp4(3 * 1024 * 1024 + 17);
    let res = upload(
        &app,
        &jwt,
        bytes.clone(),
        "my clip.mp4",
        "video/mp4",
        &[("title", "Sunset")],
    )
    .await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["x-ratelimit-remaining"], "99");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["success"], true);
    let file = &body["data"];
    assert_eq!(file["filename"], "my clip.mp4");
    assert_eq!(file["content_type"], "video/mp4");
    assert_eq!(file["kind"], "video");
    assert_eq!(file["size_bytes"], bytes.len());
    assert_eq!(file["metadata"]["title"], "Sunset");
    use sha2::Digest;
    assert_eq!(file["sha256"], hex::encode(sha2::Sha256::digest(&bytes)));

    let id = file["id"].as_str().unwrap();
    let signed: Value = app
        .client
        .post(app.url(&format!("/api/v1/files/{id}/signed-url")))
        .bearer_auth(&jwt)
        .json(&serde_json::json!({ "expiresIn": 120 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = signed["data"]["url"].as_str().unwrap();
    assert!(url.starts_with(&app.address), "{url}");
    let res = reqwest::get(url).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "video/mp4");
    assert_eq!(
        res.headers()["content-length"],
        bytes.len().to_string().as_str()
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), bytes.as_slice());
    assert!(temp_files(&app).is_empty());
}

#[tokio::test]
async fn an_upload_round_trips_byte_exact_on_sqlite() {
    round_trip_on(Backend::Sqlite).await;
}

#[tokio::test]
async fn an_upload_round_trips_byte_exact_on_postgres() {
    round_trip_on(Backend::Postgres).await;
}

#[tokio::test]
async fn uploads_need_a_session() {
    let app = files_app(Backend::Suite, &[]).await;
    let res = upload(
        &app,
        "not-a-token",
        sample_mp4(100),
        "a.mp4",
        "video/mp4",
        &[],
    )
    .await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn content_that_contradicts_its_declared_type_is_refused_with_415() {
    let app = files_app(Backend::Suite, &[]).await;
    let res = upload(
        &app,
        &token("user_a"),
        sample_mp4(1000),
        "a.png",
        "image/png",
        &[],
    )
    .await;
    assert_eq!(res.status(), 415);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "unsupported_media_type");
    assert_eq!(file_rows(&app).await, 0);
    assert!(temp_files(&app).is_empty());
}

#[tokio::test]
async fn unsupported_content_is_refused_with_415() {
    let app = files_app(Backend::Suite, &[]).await;
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".repeat(10);
    let res = upload(
        &app,
        &token("user_a"),
        elf,
        "tool",
        "application/octet-stream",
        &[],
    )
    .await;
    assert_eq!(res.status(), 415);
    assert_eq!(
        res.json::<Value>().await.unwrap()["code"],
        "unsupported_media_type"
    );
}

#[tokio::test]
async fn text_and_images_are_recognised_and_names_are_sanitised() {
    let app = files_app(Backend::Suite, &[]).await;
    let res = upload(
        &app,
        &token("user_a"),
        b"hello\n".to_vec(),
        "../../etc/notes.txt",
        "text/plain",
        &[],
    )
    .await;
    assert_eq!(res.status(), 201);
    let file = &res.json::<Value>().await.unwrap()["data"];
    assert_eq!(file["filename"], "notes.txt");
    assert_eq!(file["kind"], "document");
    assert_eq!(file["content_type"], "text/plain; charset=utf-8");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    let res = upload(&app, &token("user_a"), png, "dot.png", "image/png", &[]).await;
    assert_eq!(res.json::<Value>().await.unwrap()["data"]["kind"], "image");
}

#[tokio::test]
async fn a_form_without_a_file_is_a_400() {
    let app = files_app(Backend::Suite, &[]).await;
    let form = reqwest::multipart::Form::new().text("title", "nothing");
    let res = app
        .client
        .post(app.url("/api/v1/files/upload"))
        .bearer_auth(token("user_a"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "invalid_file");
}

#[tokio::test]
async fn uploads_past_the_hourly_limit_get_429_with_the_rate_headers() {
    let app = files_app(Backend::Suite, &[("RATE_LIMIT_PER_HOUR", "2")]).await;
    for _ in 0..2 {
        upload_video(&app, &token("user_a"), sample_mp4(500)).await;
    }
    let res = upload(
        &app,
        &token("user_a"),
        sample_mp4(500),
        "a.mp4",
        "video/mp4",
        &[],
    )
    .await;
    assert_eq!(res.status(), 429);
    let h = res.headers();
    assert_eq!(h["x-ratelimit-limit"], "2");
    assert_eq!(h["x-ratelimit-remaining"], "0");
    let reset: i64 = h["x-ratelimit-reset"].to_str().unwrap().parse().unwrap();
    assert!(reset > chrono::Utc::now().timestamp());
    let retry: u64 = h["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3590..=3600).contains(&retry), "{retry}");
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "rate_limited");
    // Someone else is not affected.
    upload_video(&app, &token("user_b"), sample_mp4(500)).await;
}

#[tokio::test]
async fn uploads_through_a_shared_redis_share_the_limit_across_instances() {
    let prefix = crate::limits::unique_prefix();
    let vars = [
        ("REDIS_URL", "redis://127.0.0.1:6379"),
        ("T2M_REDIS_KEY_PREFIX", prefix.as_str()),
        ("RATE_LIMIT_PER_HOUR", "1"),
    ];
    let first = files_app(Backend::Suite, &vars).await;
    let second = files_app(Backend::Suite, &vars).await;
    upload_video(&first, &token("user_a"), sample_mp4(500)).await;
    let res = upload(
        &second,
        &token("user_a"),
        sample_mp4(500),
        "a.mp4",
        "video/mp4",
        &[],
    )
    .await;
    assert_eq!(res.status(), 429);
}
