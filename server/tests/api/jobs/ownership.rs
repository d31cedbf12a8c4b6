//! Other users' jobs and unknown ids are 404s that reveal nothing.

use super::{jobs_app, queued, token};
use crate::helpers::Backend;
use serde_json::json;

#[tokio::test]
async fn another_users_job_is_not_found_for_reading_or_canceling() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let (alice, mallory) = (token("user_alice", "free"), token("user_mallory", "free"));
    let id = queued(&app, &alice, json!({"prompt": "Alice's secret video"})).await;
    let unknown = "job_0000000000000000000000000000000";
    for target in [id.as_str(), unknown] {
        let (status, body) = super::job(&app, &mallory, target).await;
        assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
        let res = app
            .client
            .post(app.url(&format!("/api/v1/jobs/{target}/cancel")))
            .bearer_auth(&mallory)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
    let (_, same) = super::job(&app, &mallory, &id).await;
    let (_, missing) = super::job(&app, &mallory, unknown).await;
    assert_eq!(
        same, missing,
        "the answer for someone else's job equals the one for a job that never existed"
    );
    let list = super::list(&app, &mallory).await;
    assert_eq!(list["data"]["items"], json!([]));
    let (status, mine) = super::job(&app, &alice, &id).await;
    assert_eq!(status, 200);
    assert_eq!(mine["data"]["queue_position"], 1);
}

#[tokio::test]
async fn jobs_require_a_session() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let res = app
        .client
        .post(app.url("/api/v1/videos/generate"))
        .json(&json!({"prompt": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(app.get("/api/v1/jobs").await.status(), 401);
}
