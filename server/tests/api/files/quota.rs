//! The per-user storage quota: uploads fill it, the one beyond it is refused before it is stored, and refused
//! uploads cost no rate-limit slot.

use super::support::{
    file_rows, files_app, post_raw_multipart, sample_mp4, temp_files, token, upload,
};
use crate::helpers::{Backend, TestApp};
use bytes::Bytes;
use futures_util::{stream, StreamExt};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

async fn put(app: &TestApp, user: &str, len: usize) -> reqwest::Response {
    upload(
        app,
        &token(user),
        sample_mp4(len),
        "clip.mp4",
        "video/mp4",
        &[],
    )
    .await
}

async fn assert_quota_exceeded(res: reqwest::Response, used: u64, limit: u64) {
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "quota_exceeded", "{body}");
    assert_eq!(body["used_bytes"], used, "{body}");
    assert_eq!(body["limit_bytes"], limit, "{body}");
}

async fn uploads_fill_the_quota_exactly(backend: Backend) {
    let app = files_app(backend, &[("T2M_STORAGE_QUOTA_BYTES", "10000")]).await;
    assert_eq!(put(&app, "user_a", 4000).await.status(), 201);
    assert_eq!(put(&app, "user_a", 4000).await.status(), 201);
    assert_quota_exceeded(put(&app, "user_a", 4000).await, 8000, 10000).await;
    assert_eq!(file_rows(&app).await, 2, "the refused upload left no row");
    assert_eq!(stored_objects(&app), 2, "nor bytes");
    assert!(temp_files(&app).is_empty(), "nor a temp file");
    assert_eq!(
        put(&app, "user_a", 2000).await.status(),
        201,
        "up to the quota fits"
    );
    assert_quota_exceeded(put(&app, "user_a", 1).await, 10000, 10000).await;
    assert_eq!(
        put(&app, "user_b", 4000).await.status(),
        201,
        "quotas are per user"
    );
}

#[tokio::test]
async fn uploads_up_to_the_quota_succeed_and_the_one_beyond_gets_413_quota_exceeded() {
    uploads_fill_the_quota_exactly(Backend::Sqlite).await;
}

#[tokio::test]
async fn uploads_up_to_the_quota_succeed_and_the_one_beyond_gets_413_on_postgres() {
    uploads_fill_the_quota_exactly(Backend::Postgres).await;
}

/// A multipart body of `len` file bytes sent in chunks without a `Content-Length`, counting what was pulled.
fn chunked_body(len: usize, sent: Arc<AtomicU64>) -> reqwest::Body {
    let mut bytes =
        b"--XBOUNDARYX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.mp4\"\r\n\
Content-Type: video/mp4\r\n\r\n"
            .to_vec();
    bytes.extend_from_slice(&sample_mp4(len));
    bytes.extend_from_slice(b"\r\n--XBOUNDARYX--\r\n");
    let chunks: Vec<Vec<u8>> = bytes.chunks(16 * 1024).map(<[u8]>::to_vec).collect();
    let chunks = stream::iter(chunks).map(move |chunk| {
        sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        Ok::<_, std::io::Error>(Bytes::from(chunk))
    });
    reqwest::Body::wrap_stream(chunks)
}

#[tokio::test]
async fn a_chunked_upload_beyond_the_quota_is_stopped_while_streaming_and_leaves_nothing() {
    let app = files_app(Backend::Suite, &[("T2M_STORAGE_QUOTA_BYTES", "100000")]).await;
    assert_eq!(put(&app, "user_a", 60_000).await.status(), 201);
    let sent = Arc::new(AtomicU64::new(0));
    let res = post_raw_multipart(&app, chunked_body(50_000, sent.clone()), None)
        .await
        .unwrap();
    assert_quota_exceeded(res, 60_000, 100_000).await;
    assert_eq!(file_rows(&app).await, 1);
    assert!(temp_files(&app).is_empty());
    // The same size fits once room is there: the refusal was the quota, not the body.
    let res = post_raw_multipart(&app, chunked_body(40_000, sent), None)
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn a_declared_length_beyond_the_quota_is_refused_before_the_body_is_read() {
    let app = files_app(Backend::Suite, &[("T2M_STORAGE_QUOTA_BYTES", "1048576")]).await;
    let sent = Arc::new(AtomicU64::new(0));
    let endless = stream::iter(std::iter::repeat(vec![7u8; 64 * 1024])).map({
        let sent = sent.clone();
        move |chunk| {
            sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            Ok::<_, std::io::Error>(Bytes::from(chunk))
        }
    });
    let res = tokio::time::timeout(
        Duration::from_secs(10),
        post_raw_multipart(
            &app,
            reqwest::Body::wrap_stream(endless),
            Some(100 * 1024 * 1024),
        ),
    )
    .await
    .expect("the server answers without reading 100 MB")
    .unwrap();
    assert_quota_exceeded(res, 0, 1_048_576).await;
    assert!(sent.load(Ordering::Relaxed) < 64 * 1024 * 1024);
    assert_eq!(file_rows(&app).await, 0);
}

async fn concurrent_uploads_cannot_jointly_exceed_the_quota(backend: Backend) {
    let app = files_app(backend, &[("T2M_STORAGE_QUOTA_BYTES", "10000")]).await;
    // Each passes the check at its start (nothing is stored yet); only the commit can tell them apart.
    let answers = futures_util::future::join_all((0..6).map(|_| put(&app, "user_a", 4000))).await;
    let created = answers.iter().filter(|r| r.status() == 201).count();
    assert!(answers
        .iter()
        .all(|r| [201, 413].contains(&r.status().as_u16())));
    assert_eq!(
        created, 2,
        "two 4000-byte files fit in 10000 bytes, never three"
    );
    assert_eq!(file_rows(&app).await, 2);
    let stored: i64 = sqlx::query_scalar("SELECT CAST(SUM(size_bytes) AS BIGINT) FROM files")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 8000);
    assert_eq!(
        stored_objects(&app),
        2,
        "refused uploads' bytes are removed"
    );
}

/// Files in the local store's object tree.
fn stored_objects(app: &TestApp) -> usize {
    let Ok(shards) = std::fs::read_dir(app.data_dir.path().join("files").join("objects")) else {
        return 0;
    };
    shards
        .flatten()
        .filter_map(|shard| std::fs::read_dir(shard.path()).ok())
        .map(|dir| dir.flatten().count())
        .sum()
}

#[tokio::test]
async fn concurrent_uploads_cannot_jointly_exceed_the_quota_on_sqlite() {
    concurrent_uploads_cannot_jointly_exceed_the_quota(Backend::Sqlite).await;
}

#[tokio::test]
async fn concurrent_uploads_cannot_jointly_exceed_the_quota_on_postgres() {
    concurrent_uploads_cannot_jointly_exceed_the_quota(Backend::Postgres).await;
}

#[tokio::test]
async fn refused_uploads_do_not_use_a_rate_limit_slot() {
    let app = files_app(
        Backend::Suite,
        &[
            ("RATE_LIMIT_PER_HOUR", "2"),
            ("T2M_STORAGE_QUOTA_BYTES", "5000"),
        ],
    )
    .await;
    let user = token("user_a");
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".repeat(10);
    for _ in 0..3 {
        let res = upload(
            &app,
            &user,
            elf.clone(),
            "tool",
            "application/octet-stream",
            &[],
        )
        .await;
        assert_eq!(res.status(), 415);
        let res = upload(&app, &user, sample_mp4(1000), "a.png", "image/png", &[]).await;
        assert_eq!(res.status(), 415);
        assert_eq!(put(&app, "user_a", 6000).await.status(), 413);
    }
    let first = put(&app, "user_a", 1000).await;
    assert_eq!(first.status(), 201);
    assert_eq!(first.headers()["x-ratelimit-remaining"], "1");
    assert_eq!(put(&app, "user_a", 1000).await.status(), 201);
    let limited = put(&app, "user_a", 1000).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(
        limited.json::<Value>().await.unwrap()["code"],
        "rate_limited"
    );
}
