//! Changing the password on the profile: the current one is checked, the new one follows the sign-up rules,
//! and every other session ends.

use super::{call, mint, sign_in, sign_up, token, PASSWORD};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::json;

const NEW: &str = "a much better passphrase";

#[tokio::test]
async fn a_password_change_ends_other_sessions_and_only_the_new_password_signs_in() {
    let app = spawn_app().await;
    let here = sign_up(&app, "pw@example.com").await;
    let elsewhere = sign_in(&app, "pw@example.com", PASSWORD).await.unwrap();
    let here_token = token(&app, &here).await;
    let elsewhere_token = token(&app, &elsewhere).await;

    let (status, body) = call(
        &app,
        Method::POST,
        "/api/v1/me/password",
        &here_token,
        Some(json!({"current_password": PASSWORD, "new_password": NEW})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["sessions_ended"], 1);

    let (status, body) = mint(&app, &elsewhere).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_revoked")),
        "{body}"
    );
    let (status, body) = call(&app, Method::GET, "/api/v1/me", &elsewhere_token, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_revoked")),
        "{body}"
    );
    assert_eq!(
        mint(&app, &here).await.0,
        200,
        "the session that changed it stays"
    );
    assert_eq!(
        call(&app, Method::GET, "/api/v1/me", &here_token, None)
            .await
            .0,
        200
    );

    assert!(
        sign_in(&app, "pw@example.com", PASSWORD).await.is_none(),
        "the old password is refused"
    );
    assert!(
        sign_in(&app, "pw@example.com", NEW).await.is_some(),
        "the new one works"
    );
}

#[tokio::test]
async fn a_wrong_or_missing_current_password_or_a_weak_new_one_changes_nothing() {
    let app = spawn_app().await;
    let browser = sign_up(&app, "wrong@example.com").await;
    let bearer = token(&app, &browser).await;
    for (body, status, code) in [
        (
            json!({"current_password": "not it at all", "new_password": NEW}),
            403,
            "wrong_password",
        ),
        (json!({"new_password": NEW}), 400, "invalid_password"),
        (
            json!({"current_password": PASSWORD, "new_password": "short"}),
            400,
            "invalid_password",
        ),
    ] {
        let (got, answer) = call(
            &app,
            Method::POST,
            "/api/v1/me/password",
            &bearer,
            Some(body.clone()),
        )
        .await;
        assert_eq!(
            (got, answer["code"].as_str()),
            (status, Some(code)),
            "{body}: {answer}"
        );
    }
    assert!(sign_in(&app, "wrong@example.com", PASSWORD).await.is_some());
    assert!(sign_in(&app, "wrong@example.com", NEW).await.is_none());
}
