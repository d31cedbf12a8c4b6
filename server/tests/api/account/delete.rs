//! `DELETE /api/v1/me` with the built-in provider: the password is required and checked; afterwards nothing
//! of the user is left and their tokens, sessions and signed URLs are dead.

use super::{call, mint, png, rows, sign_in, sign_up, token, upload, user_id, PASSWORD};
use crate::helpers::spawn_app_with;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn deleting_the_account_needs_the_password_and_then_removes_everything() {
    let app = spawn_app_with(crate::helpers::Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let browser = sign_up(&app, "leaving@example.com").await;
    let id = user_id(&app, "leaving@example.com").await;
    let bearer = token(&app, &browser).await;
    let stays = token(&app, &sign_up(&app, "stays@example.com").await).await;
    let file = upload(&app, &bearer, png(), "dot.png", "image/png").await;
    let kept = upload(&app, &stays, png(), "kept.png", "image/png").await;
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/v1/videos/generate",
        &bearer,
        Some(json!({"prompt": "a last video", "duration": 1})),
    )
    .await;
    assert_eq!(status, 202);
    let (_, signed) = call(
        &app,
        Method::POST,
        &format!("/api/v1/files/{file}/signed-url"),
        &bearer,
        Some(json!({})),
    )
    .await;
    let signed = signed["data"]["url"].as_str().unwrap().to_owned();
    let stored = crate::jobs::stored_path(&app, &file).await;
    assert!(stored.exists());

    for (body, status, code) in [
        (None, 400, "invalid_password"),
        (Some(json!({})), 400, "invalid_password"),
        (
            Some(json!({"password": "not my password"})),
            403,
            "wrong_password",
        ),
    ] {
        let (got, answer) = call(&app, Method::DELETE, "/api/v1/me", &bearer, body.clone()).await;
        assert_eq!(
            (got, answer["code"].as_str()),
            (status, Some(code)),
            "{body:?}: {answer}"
        );
    }
    assert_eq!(
        rows(&app, "files", &id).await,
        1,
        "a refused deletion deletes nothing"
    );

    let (status, body) = call(
        &app,
        Method::DELETE,
        "/api/v1/me",
        &bearer,
        Some(json!({"password": PASSWORD})),
    )
    .await;
    assert_eq!(status, 204, "{body}");

    let (status, body) = call(&app, Method::GET, "/api/v1/me", &bearer, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("user_deleted")),
        "{body}"
    );
    assert_eq!(mint(&app, &browser).await.0, 401, "the session is over");
    let res = reqwest::get(&signed).await.unwrap();
    assert_eq!(res.status(), 404, "signed URLs die with the account");
    for table in ["files", "jobs", "sessions", "password_resets"] {
        assert_eq!(rows(&app, table, &id).await, 0, "{table} rows are gone");
    }
    let (email,): (Option<String>,) = sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(&id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        email, None,
        "only a tombstone without personal details is left"
    );
    assert!(!stored.exists(), "the bytes are removed");
    assert!(sign_in(&app, "leaving@example.com", PASSWORD)
        .await
        .is_none());

    let (status, _) = call(
        &app,
        Method::GET,
        &format!("/api/v1/files/{kept}"),
        &stays,
        None,
    )
    .await;
    assert_eq!(status, 200, "other users are untouched");
    // The address is free again.
    sign_up(&app, "leaving@example.com").await;
}
