//! `T2M_RENDER_COMMAND`: the documented protocol (JSON on stdin, `progress N`, `output PATH`) and its failures.

use super::{jobs_app, probe, queued, stored_path, token, wait_final};
use crate::helpers::Backend;
use serde_json::json;
use std::time::Duration;

const SCRIPT: &str = r#"#!/bin/sh
# Reads the job, renders a test pattern of the asked size and length with ffmpeg, reports progress.
job=$(cat)
w=$(echo "$job" | sed -n 's/.*"width":\([0-9]*\).*/\1/p')
h=$(echo "$job" | sed -n 's/.*"height":\([0-9]*\).*/\1/p')
d=$(echo "$job" | sed -n 's/.*"duration_secs":\([0-9]*\).*/\1/p')
echo "progress 10"
ffmpeg -v error -y -f lavfi -i "testsrc=duration=$d:size=${w}x${h}:rate=24" -pix_fmt yuv420p out.mp4 || exit 3
echo "progress 90"
echo "output out.mp4"
"#;

#[tokio::test]
async fn an_external_program_renders_through_the_documented_protocol() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("render.sh");
    std::fs::write(&script, SCRIPT).unwrap();
    let command = format!("sh {}", script.display());
    let app = jobs_app(Backend::Suite, &[("T2M_RENDER_COMMAND", &command)]).await;
    let user = token("user_ext", "free");
    let id = queued(
        &app,
        &user,
        json!({"prompt": "anything", "duration": 2, "quality": "480p"}),
    )
    .await;
    let last = wait_final(&app, &user, &id, Duration::from_secs(60))
        .await
        .pop()
        .unwrap();
    assert_eq!(last["status"], "completed", "{last}");
    let video = probe(&stored_path(&app, last["video_file_id"].as_str().unwrap()).await);
    assert_eq!((video.width, video.height), (854, 480));
    assert!((video.duration - 2.0).abs() <= 0.5);
}

#[tokio::test]
async fn a_failing_program_fails_the_job_with_a_generic_reason_never_its_stderr() {
    let app = jobs_app(
        Backend::Suite,
        &[(
            "T2M_RENDER_COMMAND",
            "echo 'model weights not found at /srv/secret-models' >&2; exit 4",
        )],
    )
    .await;
    let user = token("user_ext2", "free");
    let id = queued(&app, &user, json!({"prompt": "anything", "duration": 1})).await;
    let last = wait_final(&app, &user, &id, Duration::from_secs(30))
        .await
        .pop()
        .unwrap();
    assert_eq!(last["status"], "failed");
    assert_eq!(
        last["error"].as_str(),
        Some(app::services::render::command::RENDERER_FAILED)
    );
    let view = last.to_string();
    assert!(
        !view.contains("model weights")
            && !view.contains("secret-models")
            && !view.contains("exit 4"),
        "the renderer's own words reach only the logs: {view}"
    );
}
