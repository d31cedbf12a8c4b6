//! `DELETE /api/v1/me` in Clerk mode: a typed confirmation, then Clerk's Backend API deletes the user first;
//! if Clerk refuses, the answer is 502 and nothing is deleted here.

use super::{call, rows};
use crate::files::support::{files_app, sample_mp4, token, upload_video};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use reqwest::Method;
use serde_json::json;
use std::sync::{Arc, Mutex};

/// A stand-in for Clerk's Backend API: records `DELETE /v1/users/{id}` calls and answers `status`.
#[derive(Clone, Default)]
struct FakeClerk {
    calls: Arc<Mutex<Vec<(String, String)>>>,
    status: Arc<Mutex<u16>>,
}

async fn delete_user(
    State(fake): State<FakeClerk>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> (StatusCode, axum::Json<serde_json::Value>) {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    fake.calls.lock().unwrap().push((id.clone(), auth));
    let status = StatusCode::from_u16(*fake.status.lock().unwrap()).unwrap();
    (
        status,
        axum::Json(json!({"id": id, "object": "user", "deleted": true})),
    )
}

async fn fake_clerk(status: u16) -> (FakeClerk, String) {
    let fake = FakeClerk::default();
    *fake.status.lock().unwrap() = status;
    let router = axum::Router::new()
        .route("/v1/users/{id}", axum::routing::delete(delete_user))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (fake, url)
}

#[tokio::test]
async fn clerk_deletes_the_user_first_and_a_refusal_deletes_nothing_here() {
    let (fake, api_url) = fake_clerk(500).await;
    let app = files_app(
        crate::helpers::Backend::Suite,
        &[
            ("CLERK_SECRET_KEY", "sk_test_account"),
            ("CLERK_API_URL", api_url.as_str()),
        ],
    )
    .await;
    let user = "user_clerk_leaving";
    let bearer = token(user);
    let file = upload_video(&app, &bearer, sample_mp4(2048)).await;
    let file_id = file["id"].as_str().unwrap();

    let (status, body) = call(
        &app,
        Method::DELETE,
        "/api/v1/me",
        &bearer,
        Some(json!({"confirm": "nope"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_confirm")),
        "{body}"
    );
    assert!(
        fake.calls.lock().unwrap().is_empty(),
        "nothing is asked of Clerk without confirmation"
    );

    let (status, body) = call(
        &app,
        Method::DELETE,
        "/api/v1/me",
        &bearer,
        Some(json!({"confirm": "DELETE"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (502, Some("identity_provider_error")),
        "{body}"
    );
    assert_eq!(
        fake.calls.lock().unwrap().clone(),
        vec![(user.to_owned(), "Bearer sk_test_account".to_owned()); 3],
        "a 500 is tried three times before T2M gives up"
    );
    assert_eq!(
        rows(&app, "files", user).await,
        1,
        "Clerk refused: nothing is deleted here"
    );
    assert_eq!(
        call(&app, Method::GET, "/api/v1/me", &bearer, None).await.0,
        200
    );

    *fake.status.lock().unwrap() = 200;
    let (status, body) = call(
        &app,
        Method::DELETE,
        "/api/v1/me",
        &bearer,
        Some(json!({"confirm": format!("{user}@example.com")})),
    )
    .await;
    assert_eq!(status, 204, "the email confirms too: {body}");
    assert_eq!(fake.calls.lock().unwrap().len(), 4);
    assert_eq!(rows(&app, "files", user).await, 0);
    let (status, body) = call(
        &app,
        Method::GET,
        &format!("/api/v1/files/{file_id}"),
        &bearer,
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("user_deleted")),
        "{body}"
    );
}
