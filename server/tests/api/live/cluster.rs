//! Two servers on one PostgreSQL database: a job rendered by the second server's worker is followed live on the
//! first's stream (the change feed crosses machines through `LISTEN`/`NOTIFY`).

use super::Events;
use crate::helpers::Backend;
use crate::jobs::{assert_queue_drained, jobs_app, queued, token};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn a_change_made_by_another_server_reaches_this_servers_streams() {
    let api = jobs_app(Backend::Postgres, &[("T2M_WORKERS", "0")]).await;
    let database_url = api.state.config.database_url.clone();
    let worker = jobs_app(
        Backend::Postgres,
        &[
            ("DATABASE_URL", database_url.as_str()),
            ("T2M_WORKERS", "1"),
        ],
    )
    .await;
    let judy = token("user_judy", "free");
    let mut all = Events::open(&api, "/api/v1/jobs/events", &judy).await;
    let id = queued(
        &api,
        &judy,
        json!({"prompt": "Rendered elsewhere.", "duration": 1, "quality": "480p"}),
    )
    .await;
    let mut one = Events::open(&api, &format!("/api/v1/jobs/{id}/events"), &judy).await;
    let mut seen = Vec::new();
    while let Some(event) = one.next(Duration::from_secs(120)).await {
        seen.push(event);
    }
    let statuses: Vec<&str> = seen.iter().map(|e| e["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.last(), Some(&"completed"), "{statuses:?}");
    let across = all
        .until(Duration::from_secs(30), |e| {
            e["id"] == id.as_str() && e["status"] == "completed"
        })
        .await;
    assert!(
        across.iter().any(|e| e["status"] == "processing"),
        "the other server's claim and progress arrive too: {across:?}"
    );
    assert_queue_drained(&api).await;
    drop(worker);
}
