//! A job from request to playable video, on both databases, and canceled mid-render.

use super::{
    assert_queue_drained, generate, jobs_app, probe, queued, stored_path, token, wait_final,
};
use crate::helpers::Backend;
use serde_json::{json, Value};
use std::time::Duration;

async fn renders_a_playable_video(backend: Backend) {
    let app = jobs_app(backend, &[]).await;
    let alice = token("user_alice", "free");
    let res = generate(&app, &alice, json!({"prompt": "A red circle over the ocean. Then a golden star rises.", "duration": 3, "quality": "480p"})).await;
    assert_eq!(res.status(), 202);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["data"]["status"], "queued");
    let id = body["data"]["job_id"].as_str().unwrap().to_owned();
    let seen = wait_final(&app, &alice, &id, Duration::from_secs(120)).await;
    let last = seen.last().unwrap();
    assert_eq!(last["status"], "completed", "{last}");
    assert_eq!(last["progress"], 100);
    assert!(last["finished_at"].is_string() && last["started_at"].is_string());
    let progress: Vec<i64> = seen
        .iter()
        .filter(|s| s["status"] == "processing")
        .map(|s| s["progress"].as_i64().unwrap())
        .collect();
    assert!(
        progress.windows(2).all(|w| w[0] <= w[1]),
        "progress never goes back: {progress:?}"
    );
    let video = probe(&stored_path(&app, last["video_file_id"].as_str().unwrap()).await);
    assert_eq!(video.codec, "h264");
    assert_eq!((video.width, video.height), (854, 480));
    assert!(
        (video.duration - 3.0).abs() <= 0.5,
        "duration {}",
        video.duration
    );
    assert!(last["thumbnail_file_id"].is_string());
    let status_alias: Value = app
        .client
        .get(app.url(&format!("/api/status/{id}")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status_alias["data"]["status"], "completed");
    assert_queue_drained(&app).await;
}

#[tokio::test]
async fn a_job_renders_a_playable_video_of_the_asked_length_on_sqlite() {
    renders_a_playable_video(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_job_renders_a_playable_video_of_the_asked_length_on_postgres() {
    renders_a_playable_video(Backend::Postgres).await;
}

#[tokio::test]
async fn progress_rises_while_processing() {
    let app = jobs_app(Backend::Suite, &[("T2M_RENDER_FPS", "24")]).await;
    let bob = token("user_bob", "free");
    let id = queued(
        &app,
        &bob,
        json!({"prompt": "Slow waves at night.", "duration": 8, "quality": "480p"}),
    )
    .await;
    let seen = wait_final(&app, &bob, &id, Duration::from_secs(180)).await;
    let mid: Vec<i64> = seen
        .iter()
        .filter(|s| s["status"] == "processing")
        .map(|s| s["progress"].as_i64().unwrap())
        .filter(|p| (1..100).contains(p))
        .collect();
    assert!(
        mid.len() >= 2 && mid.first() < mid.last(),
        "saw rising progress: {mid:?}"
    );
    assert_eq!(seen.last().unwrap()["status"], "completed");
}

#[tokio::test]
async fn canceling_stops_a_running_render_within_two_seconds() {
    let app = jobs_app(Backend::Suite, &[]).await;
    let carol = token("user_carol", "premium");
    let id = queued(
        &app,
        &carol,
        json!({"prompt": "A very long sunset.", "duration": 60, "quality": "1080p"}),
    )
    .await;
    loop {
        let (_, job) = super::job(&app, &carol, &id).await;
        if job["data"]["status"] == "processing" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let started = std::time::Instant::now();
    let res = app
        .client
        .post(app.url(&format!("/api/v1/jobs/{id}/cancel")))
        .bearer_auth(&carol)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let seen = wait_final(&app, &carol, &id, Duration::from_secs(5)).await;
    assert_eq!(seen.last().unwrap()["status"], "canceled");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    let (files,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM files")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(files, 0, "a canceled render stores nothing");
    let again = app
        .client
        .post(app.url(&format!("/api/v1/jobs/{id}/cancel")))
        .bearer_auth(&carol)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200, "canceling twice is harmless");
}

#[tokio::test]
async fn a_queued_job_cancels_at_once_and_a_finished_one_cannot() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let dan = token("user_dan", "free");
    let id = queued(&app, &dan, json!({"prompt": "Queued forever."})).await;
    let res: Value = app
        .client
        .post(app.url(&format!("/api/v1/jobs/{id}/cancel")))
        .bearer_auth(&dan)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(res["data"]["status"], "canceled");
    sqlx::query("UPDATE jobs SET status = 'completed' WHERE id = $1")
        .bind(&id)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let res = app
        .client
        .post(app.url(&format!("/api/v1/jobs/{id}/cancel")))
        .bearer_auth(&dan)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "conflict");
}
