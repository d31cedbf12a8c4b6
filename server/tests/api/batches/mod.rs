//! `/api/v1/batches` (premium): many prompts queued at once, all or nothing; followed and canceled as one.

mod create;
mod follow;

use crate::helpers::TestApp;
use serde_json::Value;

/// `POST /api/v1/batches` with `body`; the status and the JSON answer.
pub async fn post_batch(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    let res = app
        .client
        .post(app.url("/api/v1/batches"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

/// `GET` or `POST` a batch path; the status and the JSON answer.
pub async fn call(app: &TestApp, token: &str, method: &str, path: &str) -> (u16, Value) {
    let url = app.url(path);
    let request = match method {
        "POST" => app.client.post(url),
        _ => app.client.get(url),
    };
    let res = request.bearer_auth(token).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

/// How many jobs the database holds for `user_id`.
pub async fn jobs_of(app: &TestApp, user_id: &str) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    count
}

/// A premium token for `user`; an admin's when `admin`.
pub fn premium(user: &str) -> String {
    crate::jobs::token(user, "premium")
}
