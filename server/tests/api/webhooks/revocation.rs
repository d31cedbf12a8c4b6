//! `user.deleted` and the session events take effect at once: tokens that still have lifetime left are refused
//! with a code saying why, and a deleted user's jobs, files and bytes are gone.

use super::{deliver, now, SECRET};
use crate::files::support::{fetch, sample_mp4, signed_path, upload_video};
use crate::helpers::{Backend, TestApp};
use crate::jobs::{jobs_app, queued, token};
use crate::tokens::{api_claims, key_a, sign};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A renderer that reports a little progress and then takes its time, so a job is caught mid-render.
const SLOW_RENDER: &str = "#!/bin/sh\ncat > /dev/null\necho \"progress 5\"\nexec sleep 60\n";

async fn get_me(app: &TestApp, token: &str) -> (u16, Value) {
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

async fn job_states(app: &TestApp, user: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT id, status FROM jobs WHERE user_id = $1 ORDER BY created_at")
        .bind(user)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

async fn wait_for_status(app: &TestApp, user: &str, status: &str) {
    let start = Instant::now();
    while !job_states(app, user).await.iter().any(|(_, s)| s == status) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no job reached {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_deleted_user_is_refused_and_loses_jobs_files_and_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("slow.sh");
    std::fs::write(&script, SLOW_RENDER).unwrap();
    let command = format!("sh {}", script.display());
    let app = jobs_app(
        Backend::Suite,
        &[
            ("CLERK_WEBHOOK_SECRET", SECRET),
            ("T2M_RENDER_COMMAND", &command),
        ],
    )
    .await;
    let user = "user_gone";
    let bearer = token(user, "free");
    let other = token("user_stays", "free");
    let file = upload_video(&app, &bearer, sample_mp4(4096)).await;
    let file_id = file["id"].as_str().unwrap().to_owned();
    let signed = signed_path(&app, &bearer, &file_id, None).await;
    let bytes = crate::jobs::stored_path(&app, &file_id).await;
    assert!(bytes.exists());
    let body = json!({"prompt": "a slow one", "duration": 2, "quality": "480p"});
    queued(&app, &bearer, body.clone()).await;
    wait_for_status(&app, user, "processing").await;
    queued(&app, &bearer, body).await;

    let event =
        json!({"type": "user.deleted", "data": {"id": user, "object": "user", "deleted": true}});
    assert_eq!(
        deliver(&app, "msg_gone", now(), &event, None)
            .await
            .status(),
        200
    );

    let (status, body) = get_me(&app, &bearer).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("user_deleted")),
        "{body}"
    );
    assert_eq!(body["requires_refresh"], false);
    let res = app
        .client
        .get(app.url(&format!("/api/v1/files/{file_id}")))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(
        fetch(&app, &signed, &[]).await.status(),
        404,
        "signed URLs die with the user"
    );
    assert!(!bytes.exists(), "the bytes are removed from storage");
    let start = Instant::now();
    loop {
        let states = job_states(&app, user).await;
        if states.iter().all(|(_, s)| s == "canceled") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "jobs still open: {states:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        get_me(&app, &other).await.0,
        200,
        "other users are untouched"
    );
}

#[tokio::test]
async fn a_revoked_session_refuses_its_tokens_while_they_still_have_lifetime_left() {
    let app = jobs_app(Backend::Suite, &[("CLERK_WEBHOOK_SECRET", SECRET)]).await;
    for (n, kind) in ["session.revoked", "session.ended", "session.removed"]
        .iter()
        .enumerate()
    {
        let sid = format!("sess_{n}");
        let mut claims = api_claims("user_s", "https://t2m-app.com");
        claims.insert("sid".into(), json!(sid));
        let revoked = sign(key_a(), &claims);
        claims.insert("sid".into(), json!(format!("sess_other_{n}")));
        let untouched = sign(key_a(), &claims);
        assert_eq!(get_me(&app, &revoked).await.0, 200);
        let event =
            json!({"type": kind, "data": {"object": "session", "id": sid, "user_id": "user_s"}});
        let res = deliver(&app, &format!("msg_{kind}"), now(), &event, None).await;
        assert_eq!(res.status(), 200);
        let (status, body) = get_me(&app, &revoked).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("session_revoked")),
            "{kind}: {body}"
        );
        assert_eq!(
            get_me(&app, &untouched).await.0,
            200,
            "{kind}: other sessions still work"
        );
    }
}
