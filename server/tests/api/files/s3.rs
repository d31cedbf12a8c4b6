//! The S3 store against a real S3-compatible server: moto's, started on a free loopback port per test.

use super::support::{fetch, files_app, sample_mp4, signed_path, token, upload_video};
use crate::helpers::{Backend, TestApp};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A moto S3 server that stops when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_moto() -> Moto {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server must be installed (scripts/setup.sh installs moto[server] from PyPI)");
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..150 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return moto;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("moto_server did not start on port {port}");
}

async fn s3_app(moto: &Moto, bucket: &str) -> TestApp {
    // moto accepts any credentials; creating the bucket is a plain PUT.
    let created = reqwest::Client::new()
        .put(format!("{}/{bucket}", moto.endpoint))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "{}", created.status());
    files_app(
        Backend::Suite,
        &[
            ("T2M_S3_BUCKET", bucket),
            ("T2M_S3_ENDPOINT", &moto.endpoint),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_REGION", "us-east-1"),
        ],
    )
    .await
}

async fn stored_keys(moto: &Moto, bucket: &str) -> usize {
    let listing = reqwest::get(format!("{}/{bucket}?list-type=2", moto.endpoint))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    listing.matches("<Key>").count()
}

#[tokio::test]
async fn files_in_s3_round_trip_serve_ranges_and_delete() {
    let moto = start_moto().await;
    let app = s3_app(&moto, "t2m-files").await;
    // Larger than one 8 MiB part, so the multipart upload path is exercised.
    let bytes = sample_mp4(9 * 1024 * 1024 + 123);
    let file = upload_video(&app, &token("user_a"), bytes.clone()).await;
    let id = file["id"].as_str().unwrap().to_owned();
    assert_eq!(stored_keys(&moto, "t2m-files").await, 1);
    assert!(app
        .state
        .store
        .path_of("0123456789abcdef0123456789abcdef")
        .is_none());
    let local_objects = app.data_dir.path().join("files").join("objects");
    assert_eq!(
        std::fs::read_dir(&local_objects).unwrap().count(),
        0,
        "nothing stored locally"
    );
    assert!(super::support::temp_files(&app).is_empty());

    let path = signed_path(&app, &token("user_a"), &id, None).await;
    let res = fetch(&app, &path, &[]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "video/mp4");
    assert_eq!(res.headers()["accept-ranges"], "bytes");
    assert!(res.headers().contains_key("last-modified"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), bytes.as_slice());

    let len = bytes.len();
    for (range, start, end) in [
        ("bytes=10-19", 10, 19),
        ("bytes=-100", len - 100, len - 1),
        ("bytes=9437184-", 9_437_184, len - 1),
    ] {
        let res = fetch(&app, &path, &[("range", range)]).await;
        assert_eq!(res.status(), 206, "{range}");
        assert_eq!(
            res.headers()["content-range"],
            format!("bytes {start}-{end}/{len}").as_str()
        );
        assert_eq!(res.bytes().await.unwrap().as_ref(), &bytes[start..=end]);
    }
    let res = fetch(&app, &path, &[("range", &format!("bytes={}-", len + 5))]).await;
    assert_eq!(res.status(), 416);
    assert_eq!(
        res.headers()["content-range"],
        format!("bytes */{len}").as_str()
    );
    let head = reqwest::Client::new()
        .head(app.url(&path))
        .send()
        .await
        .unwrap();
    assert_eq!(head.headers()["content-length"], len.to_string().as_str());

    let res = app
        .client
        .delete(app.url(&format!("/api/v1/files/{id}")))
        .bearer_auth(token("user_a"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(stored_keys(&moto, "t2m-files").await, 0);
    assert_eq!(fetch(&app, &path, &[]).await.status(), 404);
}

#[tokio::test]
async fn an_unreachable_bucket_answers_503_not_a_silent_loss() {
    let moto = start_moto().await;
    let app = s3_app(&moto, "t2m-gone").await;
    let file = upload_video(&app, &token("user_a"), sample_mp4(2000)).await;
    let path = signed_path(&app, &token("user_a"), file["id"].as_str().unwrap(), None).await;
    let health: serde_json::Value = app.get("/api/system/health").await.json().await.unwrap();
    assert_eq!(health["checks"]["storage"], "s3");
    drop(moto);
    let res = app.get("/api/system/health").await;
    assert_eq!(res.status(), 503);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["checks"]["storage"],
        "s3_down"
    );
    let res = fetch(&app, &path, &[]).await;
    assert_eq!(res.status(), 503);
    let res = super::support::upload(
        &app,
        &token("user_a"),
        sample_mp4(2000),
        "b.mp4",
        "video/mp4",
        &[],
    )
    .await;
    assert_eq!(res.status(), 503);
    assert_eq!(super::support::file_rows(&app).await, 1);
    assert!(super::support::temp_files(&app).is_empty());
}
