//! T2M in Clerk mode (B) against a built-in provider (A) acting as its Clerk: `CLERK_ISSUER`,
//! `CLERK_FRONTEND_API` and `CLERK_API_URL` point at A, `CLERK_SECRET_KEY` is A's secret key. An admin's
//! plan change on B is written to A first and the user's next token carries it; a refusal changes nothing;
//! ending a session on B revokes it at A. Retries are watched against a small stand-in answering 503 first.

use super::provider_people::{backend, claims, secret_key, Person};
use crate::files::support::{files_app, APP_URL};
use crate::helpers::{spawn_app, spawn_app_with, Backend, TestApp};
use crate::tokens::{api_claims, key_a, sign};
use app::domain::user::{Role, Tier};
use app::services::users::repo;
use app::services::webhooks::clerk_user;
use reqwest::Method;
use serde_json::{json, Value};

/// A (the provider) and B (Clerk mode, calling A's Backend API with `key`, A's own when `None`).
async fn pair(key: Option<&str>) -> (TestApp, TestApp) {
    let a = spawn_app().await;
    let key = key.map_or_else(|| secret_key(&a), str::to_owned);
    let b = spawn_app_with(
        Backend::Suite,
        &[
            ("CLERK_ISSUER", a.address.as_str()),
            ("CLERK_FRONTEND_API", a.address.as_str()),
            ("CLERK_API_URL", a.address.as_str()),
            ("CLERK_SECRET_KEY", key.as_str()),
            ("CLERK_AUTHORIZED_PARTIES", a.address.as_str()),
        ],
    )
    .await;
    (a, b)
}

/// Copies A's user into B's mirror, as A's `user.created` webhook would.
async fn mirror(a: &TestApp, b: &TestApp, user_id: &str) {
    let (status, user) = backend(
        a,
        Method::GET,
        &format!("/v1/users/{user_id}"),
        Some(&secret_key(a)),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let mut conn = b.state.db.pool.acquire().await.unwrap();
    let mirrored = clerk_user::user_from(&user).unwrap();
    repo::apply_mirrored(&mut conn, &mirrored, clerk_user::updated_at(&user))
        .await
        .unwrap();
}

/// An admin on A (and so in the tokens A mints), mirrored into B.
async fn admin(a: &TestApp, b: &TestApp) -> Person {
    let boss = Person::sign_up(a, "boss@example.com").await;
    repo::set_role_and_tier(&a.state.db, &boss.user_id, Role::Admin, Tier::Free, None)
        .await
        .unwrap();
    mirror(a, b, &boss.user_id).await;
    boss
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    jwt: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(jwt);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let res = request.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn page_status(app: &TestApp, path: &str, jwt: &str) -> u16 {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url(path))
        .header("cookie", format!("__session={jwt}"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_plan_changed_on_b_is_written_to_the_provider_and_the_next_token_carries_it() {
    let (a, b) = pair(None).await;
    let boss = admin(&a, &b).await;
    let ada = Person::sign_up(&a, "ada@example.com").await;
    mirror(&a, &b, &ada.user_id).await;
    let boss_jwt = boss.token(&a).await.unwrap();
    assert_eq!(claims(&boss_jwt)["role"], "admin");
    let before = ada.token(&a).await.unwrap();
    assert_eq!(
        page_status(&b, "/premium/priority-queue", &before).await,
        403
    );

    let (status, body) = call(
        &b,
        Method::PATCH,
        &format!("/api/v1/admin/users/{}", ada.user_id),
        &boss_jwt,
        Some(json!({"subscription_tier": "premium"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["tier"], "premium");
    assert_eq!(body["data"]["role"], "user");

    let (_, at_a) = backend(
        &a,
        Method::GET,
        &format!("/v1/users/{}", ada.user_id),
        Some(&secret_key(&a)),
        None,
    )
    .await;
    assert_eq!(
        at_a["public_metadata"]["subscription_tier"], "premium",
        "{at_a}"
    );
    let after = ada.token(&a).await.unwrap();
    assert_eq!(claims(&after)["subscription_tier"], "premium");
    assert_eq!(
        page_status(&b, "/premium/priority-queue", &after).await,
        200
    );
    let stored = repo::find(&b.state.db, &ada.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.tier(),
        Tier::Premium,
        "B's mirror follows once A accepted"
    );

    let (status, _) = call(
        &b,
        Method::PATCH,
        "/api/v1/admin/users/user_nobody",
        &boss_jwt,
        Some(json!({"role": "admin"})),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = call(
        &b,
        Method::PATCH,
        &format!("/api/v1/admin/users/{}", boss.user_id),
        &after,
        Some(json!({"role": "user"})),
    )
    .await;
    assert_eq!(status, 403, "members cannot change anyone");
}

#[tokio::test]
async fn a_provider_refusing_the_change_answers_502_and_nothing_changes() {
    let (a, b) = pair(Some("sk_test_not_the_providers")).await;
    let boss = admin(&a, &b).await;
    let ada = Person::sign_up(&a, "ada@example.com").await;
    mirror(&a, &b, &ada.user_id).await;
    let (status, body) = call(
        &b,
        Method::PATCH,
        &format!("/api/v1/admin/users/{}", ada.user_id),
        &boss.token(&a).await.unwrap(),
        Some(json!({"role": "admin", "subscription_tier": "premium"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (502, Some("identity_provider_error")),
        "{body}"
    );
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("nothing was changed"));
    let stored = repo::find(&b.state.db, &ada.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.role(), stored.tier()), (Role::User, Tier::Free));
    let at_a = repo::find(&a.state.db, &ada.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((at_a.role(), at_a.tier()), (Role::User, Tier::Free));
    assert_eq!(
        claims(&ada.token(&a).await.unwrap())["subscription_tier"],
        "free"
    );
}

#[tokio::test]
async fn ending_a_session_on_b_revokes_it_at_the_provider() {
    let (a, b) = pair(None).await;
    let ada = Person::sign_up(&a, "ada@example.com").await;
    let eve = Person::sign_up(&a, "eve@example.com").await;
    let jwt = ada.token(&a).await.unwrap();
    assert_eq!(call(&b, Method::GET, "/api/v1/me", &jwt, None).await.0, 200);

    let (status, _) = call(
        &b,
        Method::DELETE,
        &format!("/api/v1/me/sessions/{}", eve.session_id),
        &jwt,
        None,
    )
    .await;
    assert_eq!(status, 404, "another user's session is not found");
    assert!(eve.token(&a).await.is_ok(), "and stays alive");

    let (status, body) = call(
        &b,
        Method::DELETE,
        &format!("/api/v1/me/sessions/{}", ada.session_id),
        &jwt,
        None,
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (_, session) = backend(
        &a,
        Method::GET,
        &format!("/v1/sessions/{}", ada.session_id),
        Some(&secret_key(&a)),
        None,
    )
    .await;
    assert_eq!(session["status"], "revoked");
    assert_eq!(
        ada.token(&a).await,
        Err(401),
        "A mints no more tokens for it"
    );
    let (status, body) = call(&b, Method::GET, "/api/v1/me", &jwt, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_revoked"))
    );
}

/// A stand-in Backend API answering `PATCH /v1/users/{id}/metadata` with 503 `failures` times, then 200.
async fn flaky_clerk(failures: usize) -> (std::sync::Arc<std::sync::atomic::AtomicUsize>, String) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let calls = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let router = axum::Router::new().route(
        "/v1/users/{id}/metadata",
        axum::routing::patch(
            move |axum::extract::Path(id): axum::extract::Path<String>,
                  axum::Json(body): axum::Json<Value>| {
                let seen = seen.clone();
                async move {
                    let n = seen.fetch_add(1, Ordering::SeqCst);
                    if n < failures {
                        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({})));
                    }
                    let user = json!({"object": "user", "id": id, "updated_at": 1_900_000_000_000_i64,
                        "public_metadata": body["public_metadata"]});
                    (axum::http::StatusCode::OK, axum::Json(user))
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (calls, url)
}

async fn admin_on_minted_app(app: &TestApp, user: &str) -> String {
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let new = app::services::users::NewUser {
        id: user.into(),
        email: Some(format!("{user}@example.com")),
        ..Default::default()
    };
    repo::apply_mirrored(&mut conn, &new, None).await.unwrap();
    let mut boss = api_claims("user_boss", APP_URL);
    boss.insert("role".into(), json!("admin"));
    sign(key_a(), &boss)
}

#[tokio::test]
async fn a_busy_backend_api_is_tried_again_and_the_change_lands() {
    use std::sync::atomic::Ordering;
    let (calls, api_url) = flaky_clerk(1).await;
    let app = files_app(
        Backend::Suite,
        &[
            ("CLERK_SECRET_KEY", "sk_test_stub"),
            ("CLERK_API_URL", api_url.as_str()),
        ],
    )
    .await;
    let boss = admin_on_minted_app(&app, "user_flaky").await;
    let (status, body) = call(
        &app,
        Method::PATCH,
        "/api/v1/admin/users/user_flaky",
        &boss,
        Some(json!({"subscription_tier": "premium"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "one 503, then the retry");
    let stored = repo::find(&app.state.db, "user_flaky")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.tier(), Tier::Premium);
}

#[tokio::test]
async fn a_backend_api_that_stays_down_is_given_up_after_three_attempts() {
    use std::sync::atomic::Ordering;
    let (calls, api_url) = flaky_clerk(usize::MAX).await;
    let app = files_app(
        Backend::Suite,
        &[
            ("CLERK_SECRET_KEY", "sk_test_stub"),
            ("CLERK_API_URL", api_url.as_str()),
        ],
    )
    .await;
    let boss = admin_on_minted_app(&app, "user_down").await;
    let (status, body) = call(
        &app,
        Method::PATCH,
        "/api/v1/admin/users/user_down",
        &boss,
        Some(json!({"subscription_tier": "premium"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (502, Some("identity_provider_error"))
    );
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let stored = repo::find(&app.state.db, "user_down")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.tier(), Tier::Free);
}
