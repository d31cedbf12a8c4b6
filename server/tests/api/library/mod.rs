//! The library: renaming videos and files, searching and paging through them, deleting videos for good, and
//! downloading a video as an attachment.

mod delete;
mod download;
mod rename;
mod search;

use crate::helpers::{Backend, TestApp};
use reqwest::Method;
use serde_json::Value;

/// A server trusting the test key, with no render workers (jobs stay queued) unless `workers` is set.
pub async fn library_app(workers: bool) -> TestApp {
    let workers = if workers { "1" } else { "0" };
    crate::jobs::jobs_app(
        Backend::Suite,
        &[("T2M_WORKERS", workers), ("T2M_MAX_ACTIVE_JOBS", "50")],
    )
    .await
}

/// Sends `method path` as `token` with an optional JSON body; returns the status and the body (`Null` if none).
pub async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}
