//! Slow and greedy clients on raw sockets: half-sent headers, silent connections, more connections than the
//! cap, and uploads trickled a few bytes at a time.

use crate::files::support::{files_app, sample_mp4, token};
use crate::helpers::{spawn_app_with, Backend, TestApp};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn addr(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection (or resets it), giving up after `limit`.
async fn read_until_closed(
    stream: &mut (impl AsyncReadExt + Unpin),
    limit: Duration,
) -> Option<Vec<u8>> {
    let mut received = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(limit, read).await.ok()?;
    Some(received)
}

#[tokio::test]
async fn a_client_that_stops_mid_request_line_is_disconnected() {
    let app = spawn_app_with(Backend::Suite, &[("T2M_HEADER_READ_TIMEOUT_SECS", "1")]).await;
    let mut stream = TcpStream::connect(addr(&app)).await.unwrap();
    stream
        .write_all(b"GET /api/system/health HT")
        .await
        .unwrap();
    let started = Instant::now();
    let closed = read_until_closed(&mut stream, Duration::from_secs(6)).await;
    assert!(closed.is_some(), "a slowloris must not hold its socket");
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn a_client_that_sends_nothing_is_disconnected() {
    let app = spawn_app_with(Backend::Suite, &[("T2M_HEADER_READ_TIMEOUT_SECS", "1")]).await;
    let mut stream = TcpStream::connect(addr(&app)).await.unwrap();
    let closed = read_until_closed(&mut stream, Duration::from_secs(6)).await;
    assert_eq!(closed, Some(Vec::new()));
}

async fn health_over(stream: &mut TcpStream) {
    stream
        .write_all(
            b"GET /api/system/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let app = spawn_app_with(
        Backend::Suite,
        &[
            ("T2M_MAX_CONNECTIONS", "2"),
            ("T2M_HEADER_READ_TIMEOUT_SECS", "30"),
        ],
    )
    .await;
    let first = TcpStream::connect(addr(&app)).await.unwrap();
    let _second = TcpStream::connect(addr(&app)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut third = TcpStream::connect(addr(&app)).await.unwrap();
    health_over(&mut third).await;
    let mut buf = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_secs(1), third.read(&mut buf)).await;
    assert!(
        early.is_err(),
        "the third connection was served past a cap of 2"
    );
    drop(first);
    let answer = read_until_closed(&mut third, Duration::from_secs(5))
        .await
        .expect("served once a slot freed");
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

fn stored_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                stored_files(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

#[tokio::test]
async fn a_trickling_upload_is_cut_and_leaves_nothing_stored() {
    let app = files_app(
        Backend::Suite,
        &[
            ("T2M_UPLOAD_MIN_BYTES_PER_SEC", "1000"),
            ("T2M_UPLOAD_GRACE_SECS", "1"),
        ],
    )
    .await;
    let stream = TcpStream::connect(addr(&app)).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST /api/v1/files/upload HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Content-Type: multipart/form-data; boundary=XB\r\nContent-Length: 100000\r\n\r\n\
         --XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clip.mp4\"\r\n\
         Content-Type: video/mp4\r\n\r\n",
        token("user_trickle")
    );
    writer.write_all(head.as_bytes()).await.unwrap();
    let body = sample_mp4(4096);
    let trickle = tokio::spawn(async move {
        for piece in body.chunks(16) {
            if writer.write_all(piece).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    });
    let started = Instant::now();
    let answer = read_until_closed(&mut reader, Duration::from_secs(10))
        .await
        .expect("a trickling upload must be cut");
    trickle.abort();
    assert!(started.elapsed() < Duration::from_secs(8));
    if !answer.is_empty() {
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        assert!(text.contains("upload_too_slow"), "{text}");
    }
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM files")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    assert_eq!(
        stored_files(&app.data_dir.path().join("files")),
        Vec::<std::path::PathBuf>::new()
    );
}
