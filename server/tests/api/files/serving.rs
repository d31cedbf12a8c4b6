//! How a signed file is served: ranges (bounded, open, suffix), 416, HEAD, conditional requests, headers.

use super::support::{fetch, files_app, sample_mp4, signed_path, token, upload, upload_video};
use crate::helpers::{Backend, TestApp};
use serde_json::json;

const LEN: usize = 100_000;

async fn served_video(app: &TestApp) -> (Vec<u8>, String, String) {
    let bytes = sample_mp4(LEN);
    let file = upload_video(app, &token("user_a"), bytes.clone()).await;
    let id = file["id"].as_str().unwrap().to_owned();
    let path = signed_path(app, &token("user_a"), &id, None).await;
    (bytes, id, path)
}

#[tokio::test]
async fn ranges_answer_206_with_exactly_the_requested_slice() {
    let app = files_app(Backend::Suite, &[]).await;
    let (bytes, _, path) = served_video(&app).await;
    for (range, start, end) in [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=99000-", 99_000, LEN - 1),
        ("bytes=-500", LEN - 500, LEN - 1),
        ("bytes=99990-200000", 99_990, LEN - 1),
    ] {
        let res = fetch(&app, &path, &[("range", range)]).await;
        assert_eq!(res.status(), 206, "{range}");
        let h = res.headers();
        assert_eq!(
            h["content-range"],
            format!("bytes {start}-{end}/{LEN}").as_str(),
            "{range}"
        );
        assert_eq!(h["content-length"], (end - start + 1).to_string().as_str());
        assert_eq!(h["content-type"], "video/mp4");
        assert!(h.contains_key("etag"));
        assert_eq!(
            res.bytes().await.unwrap().as_ref(),
            &bytes[start..=end],
            "{range}"
        );
    }
}

#[tokio::test]
async fn an_unsatisfiable_range_answers_416_with_the_length() {
    let app = files_app(Backend::Suite, &[]).await;
    let (_, _, path) = served_video(&app).await;
    let res = fetch(&app, &path, &[("range", "bytes=200000-300000")]).await;
    assert_eq!(res.status(), 416);
    assert_eq!(
        res.headers()["content-range"],
        format!("bytes */{LEN}").as_str()
    );
}

#[tokio::test]
async fn a_full_answer_carries_the_contract_headers() {
    let app = files_app(Backend::Suite, &[]).await;
    let (bytes, _, path) = served_video(&app).await;
    let res = fetch(&app, &path, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["accept-ranges"], "bytes");
    assert!(
        !h.contains_key("content-encoding"),
        "media is never compressed"
    );
    assert_eq!(
        h["content-disposition"],
        "inline; filename=\"clip.mp4\"; filename*=UTF-8''clip.mp4"
    );
    let cache = h["cache-control"].to_str().unwrap();
    let max_age: i64 = cache
        .strip_prefix("private, max-age=")
        .unwrap()
        .parse()
        .unwrap();
    assert!((3590..=3600).contains(&max_age), "{cache}");
    assert!(h.contains_key("last-modified"));
    assert_eq!(res.bytes().await.unwrap().len(), bytes.len());
}

#[tokio::test]
async fn head_answers_headers_without_a_body() {
    let app = files_app(Backend::Suite, &[]).await;
    let (_, _, path) = served_video(&app).await;
    let res = reqwest::Client::new()
        .head(app.url(&path))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-length"], LEN.to_string().as_str());
    assert_eq!(res.headers()["content-type"], "video/mp4");
    assert!(res.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_matching_etag_answers_304() {
    let app = files_app(Backend::Suite, &[]).await;
    let (_, _, path) = served_video(&app).await;
    let first = fetch(&app, &path, &[]).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let res = fetch(&app, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(res.status(), 304);
    assert_eq!(res.headers()["etag"], etag.as_str());
    assert!(res.bytes().await.unwrap().is_empty());
    let res = fetch(&app, &path, &[("if-none-match", "\"something-else\"")]).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_stale_if_range_gets_the_whole_file() {
    let app = files_app(Backend::Suite, &[]).await;
    let (_, _, path) = served_video(&app).await;
    let res = fetch(
        &app,
        &path,
        &[("range", "bytes=0-9"), ("if-range", "\"old\"")],
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().len(), LEN);
}

#[tokio::test]
async fn a_download_url_serves_an_attachment_with_the_unicode_name() {
    let app = files_app(Backend::Suite, &[]).await;
    let res = upload(
        &app,
        &token("user_a"),
        sample_mp4(2000),
        "été 2026.mp4",
        "video/mp4",
        &[],
    )
    .await;
    let id = res.json::<serde_json::Value>().await.unwrap()["data"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = signed_path(
        &app,
        &token("user_a"),
        &id,
        Some(json!({ "download": true })),
    )
    .await;
    assert!(path.ends_with("&download=1"), "{path}");
    let res = fetch(&app, &path, &[]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"_t_ 2026.mp4\"; filename*=UTF-8''%C3%A9t%C3%A9%202026.mp4"
    );
    // Dropping `download=1` from a download URL breaks its signature.
    let inline = path.trim_end_matches("&download=1");
    assert_eq!(fetch(&app, inline, &[]).await.status(), 403);
}

#[tokio::test]
async fn concurrent_range_requests_each_get_their_own_slice() {
    let app = files_app(Backend::Suite, &[]).await;
    let (bytes, _, path) = served_video(&app).await;
    let tasks = (0..16).map(|i| {
        let url = app.url(&path);
        async move {
            let start = i * 6000;
            let res = reqwest::Client::new()
                .get(url)
                .header("range", format!("bytes={start}-{}", start + 4095))
                .send()
                .await
                .unwrap();
            (start, res.bytes().await.unwrap())
        }
    });
    for (start, body) in futures_util::future::join_all(tasks).await {
        assert_eq!(body.as_ref(), &bytes[start..start + 4096]);
    }
}
