//! The built-in provider's Backend API subset over HTTP: its secret key (0600 in the data directory) or 401 in
//! Clerk's error shape; metadata merged and carried by the next token; sessions revoked; users deleted.

use super::provider_people::{backend, claims, secret_key, Person};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_backend_api_answers_only_to_the_providers_secret_key() {
    let provider = spawn_app().await;
    let ada = Person::sign_up(&provider, "ada@example.com").await;
    let key = secret_key(&provider);
    assert!(key.starts_with("sk_test_"), "{key}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let file = provider.data_dir.path().join("keys/backend-secret-key");
        let mode = std::fs::metadata(file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let path = format!("/v1/users/{}", ada.user_id);
    for wrong in [None, Some("sk_test_wrong"), Some("")] {
        let (status, body) = backend(&provider, Method::GET, &path, wrong, None).await;
        assert_eq!(status, 401, "{wrong:?}");
        assert_eq!(
            body["errors"][0]["code"], "authentication_invalid",
            "{body}"
        );
        assert!(body["errors"][0]["message"].is_string());
    }
    let (status, user) = backend(&provider, Method::GET, &path, Some(&key), None).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["object"], "user");
    assert_eq!(user["id"], ada.user_id.as_str());
    assert_eq!(
        user["email_addresses"][0]["email_address"],
        "ada@example.com"
    );
    assert_eq!(
        user["email_addresses"][0]["id"],
        user["primary_email_address_id"]
    );
    assert_eq!(user["public_metadata"]["role"], "user");
    assert_eq!(user["public_metadata"]["subscription_tier"], "free");

    let (status, body) = backend(
        &provider,
        Method::GET,
        "/v1/users/user_nobody",
        Some(&key),
        None,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (404, Some("resource_not_found"))
    );
}

#[tokio::test]
async fn metadata_is_merged_and_the_next_token_carries_it() {
    let provider = spawn_app().await;
    let key = secret_key(&provider);
    let ada = Person::sign_up(&provider, "ada@example.com").await;
    assert_eq!(
        claims(&ada.token(&provider).await.unwrap())["subscription_tier"],
        "free"
    );
    let path = format!("/v1/users/{}/metadata", ada.user_id);

    let (status, user) = backend(
        &provider,
        Method::PATCH,
        &path,
        Some(&key),
        Some(
            json!({"public_metadata": {"subscription_tier": "premium", "note": {"a": 1, "b": 2}}}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["public_metadata"]["subscription_tier"], "premium");
    assert_eq!(
        user["public_metadata"]["role"], "user",
        "untouched keys stay"
    );
    assert_eq!(user["public_metadata"]["note"], json!({"a": 1, "b": 2}));
    let token = ada.token(&provider).await.unwrap();
    assert_eq!(claims(&token)["subscription_tier"], "premium");
    let me: serde_json::Value = reqwest::Client::new()
        .get(provider.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["data"]["tier"], "premium", "{me}");

    let (_, user) = backend(
        &provider,
        Method::PATCH,
        &path,
        Some(&key),
        Some(json!({"public_metadata": {"note": {"a": null}, "subscription_tier": null}})),
    )
    .await;
    assert_eq!(
        user["public_metadata"]["note"],
        json!({"b": 2}),
        "null removes a key"
    );
    assert_eq!(
        user["public_metadata"]["subscription_tier"], "free",
        "a removed tier is the default"
    );
    assert_eq!(
        claims(&ada.token(&provider).await.unwrap())["subscription_tier"],
        "free"
    );

    let (status, body) = backend(
        &provider,
        Method::PATCH,
        &path,
        Some(&key),
        Some(json!({"public_metadata": ["not", "an", "object"]})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = backend(
        &provider,
        Method::PATCH,
        "/v1/users/user_nobody/metadata",
        Some(&key),
        Some(json!({"public_metadata": {"role": "admin"}})),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = backend(
        &provider,
        Method::PATCH,
        &path,
        Some("sk_test_no"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_revoked_session_mints_nothing_more_and_its_tokens_are_refused() {
    let provider = spawn_app().await;
    let key = secret_key(&provider);
    let ada = Person::sign_up(&provider, "ada@example.com").await;
    let token = ada.token(&provider).await.unwrap();
    let path = format!("/v1/sessions/{}", ada.session_id);
    let (status, session) = backend(&provider, Method::GET, &path, Some(&key), None).await;
    assert_eq!((status, session["status"].as_str()), (200, Some("active")));
    assert_eq!(session["user_id"], ada.user_id.as_str());

    let (status, session) = backend(
        &provider,
        Method::POST,
        &format!("{path}/revoke"),
        Some(&key),
        None,
    )
    .await;
    assert_eq!(
        (status, session["status"].as_str()),
        (200, Some("revoked")),
        "{session}"
    );
    assert_eq!(ada.token(&provider).await, Err(401));
    let res = reqwest::Client::new()
        .get(provider.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "session_revoked");
    let (status, _) = backend(
        &provider,
        Method::POST,
        "/v1/sessions/sess_nobody/revoke",
        Some(&key),
        None,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_deleted_user_is_gone_with_their_tokens() {
    let provider = spawn_app().await;
    let key = secret_key(&provider);
    let ada = Person::sign_up(&provider, "ada@example.com").await;
    let token = ada.token(&provider).await.unwrap();
    let path = format!("/v1/users/{}", ada.user_id);
    let (status, body) = backend(&provider, Method::DELETE, &path, Some(&key), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"object": "user", "id": ada.user_id, "deleted": true})
    );
    let body: serde_json::Value = reqwest::Client::new()
        .get(provider.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["code"], "user_deleted");
    assert_eq!(
        backend(&provider, Method::DELETE, &path, Some(&key), None)
            .await
            .0,
        404
    );
    assert_eq!(
        backend(&provider, Method::GET, &path, Some(&key), None)
            .await
            .0,
        404
    );
}
