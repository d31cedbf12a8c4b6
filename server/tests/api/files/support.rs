//! Shared pieces for file tests: a server that accepts minted tokens, sample bytes, upload and sign calls.

use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::tokens::{api_claims, key_a, sign, ISSUER};
use serde_json::Value;

pub const APP_URL: &str = "https://t2m-app.com";

/// A server that trusts tokens signed with the test key, so a test can act as any user.
pub async fn files_app(backend: Backend, vars: &[(&str, &str)]) -> TestApp {
    let mut all = vec![
        ("CLERK_ISSUER", ISSUER),
        ("CLERK_JWT_KEY", key_a().public_pem.as_str()),
        ("APP_URL", APP_URL),
    ];
    all.extend_from_slice(vars);
    spawn_app_with(backend, &all).await
}

/// A valid `t2m-api` token for `user`.
pub fn token(user: &str) -> String {
    sign(key_a(), &api_claims(user, APP_URL))
}

/// `len` bytes that sniff as MP4: an `ftyp` box, then a pattern that makes misplaced ranges obvious.
pub fn sample_mp4(len: usize) -> Vec<u8> {
    let mut bytes = b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41".to_vec();
    let mut x: u32 = 0x1234_5678;
    while bytes.len() < len {
        // xorshift: cheap, deterministic, and no two nearby windows alike.
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push((x & 0xff) as u8);
    }
    bytes.truncate(len);
    bytes
}

/// Uploads `bytes` as the `file` field, with `fields` as extra form fields.
pub async fn upload(
    app: &TestApp,
    token: &str,
    bytes: Vec<u8>,
    filename: &str,
    mime: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(filename.to_owned())
        .mime_str(mime)
        .unwrap();
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text((*name).to_owned(), (*value).to_owned());
    }
    form = form.part("file", part);
    app.client
        .post(app.url("/api/v1/files/upload"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Uploads a sample video and returns its record.
pub async fn upload_video(app: &TestApp, token: &str, bytes: Vec<u8>) -> Value {
    let res = upload(app, token, bytes, "clip.mp4", "video/mp4", &[]).await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["data"].clone()
}

/// `POST /api/v1/files/{id}/signed-url` with an optional JSON body.
pub async fn sign_file(
    app: &TestApp,
    token: &str,
    id: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url(&format!("/api/v1/files/{id}/signed-url")))
        .bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

/// A signed URL's path and query against the test server (the URL itself names the public origin).
pub async fn signed_path(app: &TestApp, token: &str, id: &str, body: Option<Value>) -> String {
    let res = sign_file(app, token, id, body).await;
    assert_eq!(res.status(), 200);
    let url = res.json::<Value>().await.unwrap()["data"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    url.strip_prefix(APP_URL)
        .expect("signed URLs use APP_URL")
        .to_owned()
}

/// A GET with extra headers, through a client that never asks for compression.
pub async fn fetch(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = reqwest::Client::new().get(app.url(path));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.unwrap()
}

/// Files left in the upload temp directory.
pub fn temp_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(app.data_dir.path().join("files").join("tmp"))
        .map(|dir| dir.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// Rows in `files`, whoever owns them.
pub async fn file_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM files")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// Posts a hand-made multipart body (boundary `XBOUNDARYX`) as `user_a`, with or without a `Content-Length`, so
/// tests control exactly what the server is sent and when.
pub async fn post_raw_multipart(
    app: &TestApp,
    body: reqwest::Body,
    content_length: Option<u64>,
) -> reqwest::Result<reqwest::Response> {
    let mut req = app
        .client
        .post(app.url("/api/v1/files/upload"))
        .bearer_auth(token("user_a"))
        .header("content-type", "multipart/form-data; boundary=XBOUNDARYX");
    if let Some(len) = content_length {
        req = req.header("content-length", len);
    }
    req.body(body).send().await
}
