//! Share links: making them, the public page they open (no session, real video bytes), and every way a link
//! stops working: revoked, expired, video deleted, owner deleted.

mod creating;
mod lifecycle;
mod page;

use crate::helpers::TestApp;
use crate::jobs::{jobs_app, queued, wait_final};
use serde_json::{json, Value};
use std::time::Duration;

pub use crate::jobs::token;

/// The origin every URL the app makes starts with (`APP_URL` in these tests).
pub const APP_URL: &str = "https://t2m-app.com";

/// An app whose tokens the tests mint; `extra` adds settings.
pub async fn shares_app(extra: &[(&str, &str)]) -> TestApp {
    jobs_app(crate::helpers::Backend::Suite, extra).await
}

/// Renders a one-second video for the holder of `bearer`; returns the job and its video file.
pub async fn rendered_job(app: &TestApp, bearer: &str) -> (String, String) {
    let body = json!({"prompt": "a red circle on a blue field", "duration": 1, "quality": "480p"});
    let job_id = queued(app, bearer, body).await;
    let seen = wait_final(app, bearer, &job_id, Duration::from_secs(120)).await;
    let last = seen.last().unwrap();
    assert_eq!(last["status"], "completed", "{last}");
    let video = last["video_file_id"].as_str().unwrap().to_owned();
    (job_id, video)
}

/// `POST /api/v1/videos/{job_id}/shares` with an optional raw JSON body.
pub async fn create_share(
    app: &TestApp,
    bearer: &str,
    job_id: &str,
    body: Option<&str>,
) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url(&format!("/api/v1/videos/{job_id}/shares")))
        .bearer_auth(bearer);
    if let Some(body) = body {
        req = req
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    req.send().await.unwrap()
}

/// A link that must be made: its `data`.
pub async fn created(app: &TestApp, bearer: &str, job_id: &str, body: Option<&str>) -> Value {
    let res = create_share(app, bearer, job_id, body).await;
    assert_eq!(res.status(), 201, "the link is made");
    res.json::<Value>().await.unwrap()["data"].clone()
}

/// The path and query of an absolute URL the app made.
pub fn path_of(url: &str) -> String {
    url.strip_prefix(APP_URL)
        .unwrap_or_else(|| panic!("{url} does not start with APP_URL"))
        .to_owned()
}

/// A GET from a browser that has never been here: no cookies, no token.
pub async fn visit(app: &TestApp, path: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url(path))
        .send()
        .await
        .unwrap()
}

/// The status of a link's page, opened by a stranger.
pub async fn page_status(app: &TestApp, link: &Value) -> u16 {
    visit(app, &path_of(link["url"].as_str().unwrap()))
        .await
        .status()
        .as_u16()
}

/// `GET /api/v1/shares`: the items.
pub async fn list(app: &TestApp, bearer: &str) -> Vec<Value> {
    let res = app
        .client
        .get(app.url("/api/v1/shares"))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["success"], true);
    body["data"]["items"].as_array().unwrap().clone()
}

/// `DELETE /api/v1/shares/{id}`: the status.
pub async fn revoke(app: &TestApp, bearer: &str, id: &str) -> u16 {
    app.client
        .delete(app.url(&format!("/api/v1/shares/{id}")))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Status and `code` of an error answer.
pub async fn code_of(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}
