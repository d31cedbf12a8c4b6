//! Uploads that must not be read whole or kept: 413 before or while streaming, and a client that goes away.

use super::support::{
    file_rows, files_app, post_raw_multipart, sample_mp4, temp_files, token, upload_video,
};
use crate::helpers::Backend;
use bytes::Bytes;
use futures_util::{stream, StreamExt};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn boundary_head() -> Vec<u8> {
    let mut head =
        b"--XBOUNDARYX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.mp4\"\r\n\
Content-Type: video/mp4\r\n\r\n"
            .to_vec();
    head.extend_from_slice(&sample_mp4(64));
    head
}

/// A body that sends `head`, then endless chunks, counting what the server pulled.
fn endless_body(sent: Arc<AtomicU64>) -> reqwest::Body {
    let chunks = stream::iter(
        std::iter::once(boundary_head()).chain(std::iter::repeat(vec![7u8; 64 * 1024])),
    )
    .map(move |chunk| {
        sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        Ok::<_, std::io::Error>(Bytes::from(chunk))
    });
    reqwest::Body::wrap_stream(chunks)
}

#[tokio::test]
async fn a_declared_length_over_the_limit_gets_413_before_the_body_is_read() {
    let app = files_app(Backend::Suite, &[("T2M_MAX_UPLOAD_BYTES", "1048576")]).await;
    let sent = Arc::new(AtomicU64::new(0));
    let res = tokio::time::timeout(
        Duration::from_secs(10),
        post_raw_multipart(
            &app,
            endless_body(sent.clone()),
            Some(50 * 1024 * 1024 * 1024),
        ),
    )
    .await
    .expect("the server answers without waiting for 50 GB")
    .unwrap();
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "payload_too_large");
    assert_eq!(body["limit_bytes"], 1_048_576);
    assert!(
        sent.load(Ordering::Relaxed) < 64 * 1024 * 1024,
        "the body was not drained"
    );
}

#[tokio::test]
async fn a_streamed_body_over_the_limit_gets_413_while_streaming() {
    let app = files_app(Backend::Suite, &[("T2M_MAX_UPLOAD_BYTES", "1048576")]).await;
    let sent = Arc::new(AtomicU64::new(0));
    let res = tokio::time::timeout(
        Duration::from_secs(20),
        post_raw_multipart(&app, endless_body(sent.clone()), None),
    )
    .await
    .expect("the server stops an endless body")
    .unwrap();
    assert_eq!(res.status(), 413);
    assert!(sent.load(Ordering::Relaxed) < 64 * 1024 * 1024);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(file_rows(&app).await, 0);
    assert!(temp_files(&app).is_empty());
}

#[tokio::test]
async fn an_interrupted_upload_leaves_no_row_and_no_temp_file() {
    let app = files_app(Backend::Suite, &[]).await;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let body = reqwest::Body::wrap_stream(stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }));
    let request = tokio::spawn({
        let app_url = app.url("/api/v1/files/upload");
        let client = app.client.clone();
        async move {
            client
                .post(app_url)
                .bearer_auth(token("user_a"))
                .header("content-type", "multipart/form-data; boundary=XBOUNDARYX")
                .header("content-length", 4 * 1024 * 1024)
                .body(body)
                .send()
                .await
        }
    });
    let mut first = boundary_head();
    first.extend_from_slice(&sample_mp4(512 * 1024));
    tx.send(Ok(Bytes::from(first))).await.unwrap();
    assert!(
        eventually(|| !temp_files(&app).is_empty()).await,
        "the upload streams into a temp file"
    );
    tx.send(Err(std::io::Error::other("client went away")))
        .await
        .unwrap();
    assert!(
        request.await.unwrap().is_err(),
        "the request was cut off mid-body"
    );
    assert!(
        eventually(|| temp_files(&app).is_empty()).await,
        "{:?}",
        temp_files(&app)
    );
    assert_eq!(file_rows(&app).await, 0);
    // The server is still healthy and accepts the next upload.
    upload_video(&app, &token("user_a"), sample_mp4(1000)).await;
}

/// Waits up to five seconds for `check` to hold: the server reacts to a broken connection asynchronously.
async fn eventually(check: impl Fn() -> bool) -> bool {
    for _ in 0..50 {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check()
}
