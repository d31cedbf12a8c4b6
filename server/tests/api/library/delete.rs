//! `DELETE /api/v1/jobs/{id}`: the job, its video and thumbnail (rows and bytes) go; its signed URLs stop
//! working; a render in flight is stopped and leaves nothing behind.

use super::{call, library_app};
use crate::helpers::TestApp;
use crate::jobs::{assert_queue_drained, queued, stored_path, token, wait_final};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn file_rows_of(app: &TestApp, user: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM files WHERE user_id = $1")
        .bind(user)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// Objects in the local store (two directory levels: a prefix, then the key).
fn stored_objects(root: &std::path::Path) -> usize {
    let Ok(prefixes) = std::fs::read_dir(root) else {
        return 0;
    };
    prefixes
        .flatten()
        .filter_map(|prefix| std::fs::read_dir(prefix.path()).ok())
        .map(|keys| keys.flatten().count())
        .sum()
}

/// The path and query of a signed URL for the job's video (the URL itself names the public origin).
async fn signed_video_path(app: &TestApp, token: &str, job: &str) -> String {
    let (status, body) = call(
        app,
        token,
        Method::POST,
        &format!("/api/v1/videos/{job}/signed-url"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let url = body["data"]["url"].as_str().unwrap();
    url.strip_prefix("https://t2m-app.com").unwrap().to_owned()
}

#[tokio::test]
async fn a_queued_job_is_deleted_and_answers_not_found_afterwards() {
    let app = library_app(false).await;
    let alice = token("user_alice", "free");
    let keep = queued(&app, &alice, json!({"prompt": "Keep me", "duration": 2})).await;
    let id = queued(&app, &alice, json!({"prompt": "Delete me", "duration": 2})).await;
    let path = format!("/api/v1/jobs/{id}");
    let res = app
        .client
        .delete(app.url(&path))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert!(res.bytes().await.unwrap().is_empty(), "204 has no body");
    let (status, body) = call(&app, &alice, Method::GET, &path, None).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let (status, _) = call(&app, &alice, Method::DELETE, &path, None).await;
    assert_eq!(status, 404, "a second delete finds nothing");
    let (status, _) = call(&app, &alice, Method::POST, &format!("{path}/cancel"), None).await;
    assert_eq!(status, 404);
    let (_, list) = call(&app, &alice, Method::GET, "/api/v1/jobs", None).await;
    let ids: Vec<&str> = list["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![keep.as_str()]);
    let (_, kept) = call(
        &app,
        &alice,
        Method::GET,
        &format!("/api/v1/jobs/{keep}"),
        None,
    )
    .await;
    assert_eq!(
        kept["data"]["queue_position"], 1,
        "the deleted job no longer holds a place"
    );
}

#[tokio::test]
async fn a_finished_video_is_deleted_with_its_bytes_and_signed_urls() {
    let app = library_app(true).await;
    let alice = token("user_alice", "free");
    let id = queued(
        &app,
        &alice,
        json!({"prompt": "A golden star rises.", "duration": 1, "quality": "480p"}),
    )
    .await;
    let seen = wait_final(&app, &alice, &id, Duration::from_secs(120)).await;
    let done = seen.last().unwrap().clone();
    assert_eq!(done["status"], "completed", "{done}");
    let video = stored_path(&app, done["video_file_id"].as_str().unwrap()).await;
    let thumbnail = stored_path(&app, done["thumbnail_file_id"].as_str().unwrap()).await;
    assert!(video.exists() && thumbnail.exists());
    let signed = signed_video_path(&app, &alice, &id).await;
    assert_eq!(reqwest::get(app.url(&signed)).await.unwrap().status(), 200);

    let (status, _) = call(
        &app,
        &alice,
        Method::DELETE,
        &format!("/api/v1/jobs/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert!(!video.exists(), "the video's bytes are gone");
    assert!(!thumbnail.exists(), "the thumbnail's bytes are gone");
    assert_eq!(file_rows_of(&app, "user_alice").await, 0);
    assert_eq!(reqwest::get(app.url(&signed)).await.unwrap().status(), 404);
    let (status, _) = call(
        &app,
        &alice,
        Method::POST,
        &format!("/api/v1/videos/{id}/signed-url"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = call(
        &app,
        &alice,
        Method::GET,
        &format!("/api/v1/jobs/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (_, usage) = call(&app, &alice, Method::GET, "/api/v1/me/usage", None).await;
    assert_eq!(usage["data"]["storage"]["used_bytes"], 0, "{usage}");
}

#[tokio::test]
async fn deleting_a_job_mid_render_stops_it_and_leaves_nothing_behind() {
    let app = crate::jobs::jobs_app(
        crate::helpers::Backend::Suite,
        &[("T2M_WORKERS", "1"), ("T2M_RENDER_FPS", "24")],
    )
    .await;
    let alice = token("user_alice", "free");
    let id = queued(
        &app,
        &alice,
        json!({"prompt": "Slow waves at night.", "duration": 20, "quality": "720p"}),
    )
    .await;
    let start = Instant::now();
    loop {
        let (_, body) = call(
            &app,
            &alice,
            Method::GET,
            &format!("/api/v1/jobs/{id}"),
            None,
        )
        .await;
        match body["data"]["status"].as_str() {
            Some("processing") => break,
            Some("queued") => {}
            other => panic!("expected the job to start rendering, saw {other:?}"),
        }
        assert!(start.elapsed() < Duration::from_secs(60), "never started");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, _) = call(
        &app,
        &alice,
        Method::DELETE,
        &format!("/api/v1/jobs/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    // The worker is free again only once it stopped: a short job queued now completes.
    let next = queued(
        &app,
        &alice,
        json!({"prompt": "A red circle.", "duration": 1, "quality": "480p"}),
    )
    .await;
    let seen = wait_final(&app, &alice, &next, Duration::from_secs(120)).await;
    assert_eq!(seen.last().unwrap()["status"], "completed");
    assert_eq!(
        file_rows_of(&app, "user_alice").await,
        2,
        "only the second job's video and thumbnail"
    );
    let stored = stored_objects(&app.data_dir.path().join("files").join("objects"));
    assert_eq!(stored, 2, "no bytes of the deleted render remain");
    let (status, _) = call(
        &app,
        &alice,
        Method::GET,
        &format!("/api/v1/jobs/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_queue_drained(&app).await;
}

#[tokio::test]
async fn a_render_completing_after_its_job_was_deleted_records_nothing() {
    use app::services::files::NewFile;
    use app::services::jobs::queue;
    let app = library_app(false).await;
    let alice = token("user_alice", "free");
    let id = queued(
        &app,
        &alice,
        json!({"prompt": "Vanishing act", "duration": 1}),
    )
    .await;
    let claimed = queue::claim(&app.state.db, "test-worker", 30_000)
        .await
        .unwrap();
    assert_eq!(claimed.map(|job| job.id), Some(id.clone()));
    let (status, _) = call(
        &app,
        &alice,
        Method::DELETE,
        &format!("/api/v1/jobs/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 204, "a processing job can be deleted");
    let output = |kind: &str| NewFile {
        user_id: "user_alice".into(),
        kind: kind.into(),
        filename: format!("{kind}.bin"),
        content_type: "application/octet-stream".into(),
        size_bytes: 3,
        sha256: "00".into(),
        storage_key: app::services::files::Storage::new_key(),
        metadata: Value::Null,
    };
    let completed = queue::complete_with_files(
        &app.state.db,
        &id,
        "test-worker",
        &output("video"),
        Some(&output("thumbnail")),
    )
    .await
    .unwrap();
    assert!(!completed, "there is no job left to complete");
    assert_eq!(
        file_rows_of(&app, "user_alice").await,
        0,
        "its file rows were rolled back"
    );
    let beat = queue::heartbeat(&app.state.db, &id, "test-worker", 50, 30_000)
        .await
        .unwrap();
    assert_eq!(
        beat,
        queue::Beat::Lost,
        "the worker's next heartbeat tells it to stop"
    );
}
