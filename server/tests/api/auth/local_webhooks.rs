//! The built-in provider's outgoing webhooks: Svix-signed Clerk events to `T2M_LOCAL_WEBHOOK_URLS`, retried on
//! the (here shortened) schedule; and the whole offline Clerk loop, provider A → T2M B in Clerk mode.

use super::provider_people::{backend, claims, secret_key, Person};
use crate::helpers::{spawn_app_with, Backend, TestApp};
use app::domain::user::{Role, Tier};
use app::services::users::repo;
use app::services::webhooks::svix::WebhookSecret;
use axum::http::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a receiver saw: `(svix-id, svix-timestamp, svix-signature, body)`.
type Seen = Arc<Mutex<Vec<(String, String, String, String)>>>;

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A receiver that answers 503 to its first request and 200 after, or (with `forward`) relays each delivery
/// to the T2M whose origin is set there, answering what it answers (503 until one is set).
async fn receiver(refuse_first: bool) -> (Seen, Arc<Mutex<Option<String>>>, String) {
    let seen: Seen = Arc::default();
    let forward: Arc<Mutex<Option<String>>> = Arc::default();
    let (seen_in, forward_in) = (seen.clone(), forward.clone());
    let router = axum::Router::new().fallback(move |headers: HeaderMap, body: String| {
        let (seen, forward) = (seen_in.clone(), forward_in.clone());
        async move {
            let first = seen.lock().unwrap().is_empty();
            let (id, ts, sig) = (
                header(&headers, "svix-id"),
                header(&headers, "svix-timestamp"),
                header(&headers, "svix-signature"),
            );
            seen.lock()
                .unwrap()
                .push((id.clone(), ts.clone(), sig.clone(), body.clone()));
            if refuse_first && first {
                return axum::http::StatusCode::SERVICE_UNAVAILABLE;
            }
            let target = forward.lock().unwrap().clone();
            let Some(target) = target else {
                return if refuse_first {
                    axum::http::StatusCode::OK
                } else {
                    axum::http::StatusCode::SERVICE_UNAVAILABLE
                };
            };
            let res = reqwest::Client::new()
                .post(format!("{target}/api/webhooks/clerk"))
                .header("svix-id", id)
                .header("svix-timestamp", ts)
                .header("svix-signature", sig)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            axum::http::StatusCode::from_u16(res.status().as_u16()).unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (seen, forward, url)
}

fn webhook_secret(provider: &TestApp) -> String {
    std::fs::read_to_string(provider.data_dir.path().join("keys/webhook-signing-secret"))
        .unwrap()
        .trim()
        .to_owned()
}

/// Waits up to ten seconds for `done`.
async fn eventually<F: std::future::Future<Output = bool>>(
    what: &str,
    mut done: impl FnMut() -> F,
) {
    for _ in 0..100 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Waits until the provider's outbox holds no delivery still to make.
async fn until_every_delivery_is_delivered(provider: &TestApp, what: &str) {
    let db = provider.state.db.clone();
    eventually(what, || {
        let db = db.clone();
        async move {
            let (pending,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM local_webhook_deliveries WHERE delivered_at IS NULL",
            )
            .fetch_one(&db.pool)
            .await
            .unwrap();
            pending == 0
        }
    })
    .await;
}

fn types(seen: &Seen) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|(.., body)| {
            serde_json::from_str::<Value>(body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn every_event_is_svix_signed_and_a_refused_delivery_is_tried_again() {
    let (seen, _, url) = receiver(true).await;
    let a = spawn_app_with(
        Backend::Suite,
        &[
            ("T2M_LOCAL_WEBHOOK_URLS", url.as_str()),
            ("T2M_LOCAL_WEBHOOK_RETRY_MS", "0,100,200"),
        ],
    )
    .await;
    let key = secret_key(&a);
    let ada = Person::sign_up(&a, "ada@example.com").await;
    let eve = Person::sign_up(&a, "eve@example.com").await;
    backend(
        &a,
        Method::PATCH,
        &format!("/v1/users/{}/metadata", ada.user_id),
        Some(&key),
        Some(json!({"public_metadata": {"subscription_tier": "premium"}})),
    )
    .await;
    let res = ada
        .client
        .post(a.url(&format!("/v1/client/sessions/{}/end", ada.session_id)))
        .header("origin", &a.address)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    backend(
        &a,
        Method::POST,
        &format!("/v1/sessions/{}/revoke", eve.session_id),
        Some(&key),
        None,
    )
    .await;
    backend(
        &a,
        Method::DELETE,
        &format!("/v1/users/{}", eve.user_id),
        Some(&key),
        None,
    )
    .await;

    let wanted = [
        "user.created",
        "session.created",
        "user.updated",
        "session.ended",
        "session.revoked",
        "user.deleted",
    ];
    eventually("all six event types", || {
        let got = types(&seen);
        async move { wanted.iter().all(|w| got.iter().any(|g| g == w)) }
    })
    .await;

    let secret = WebhookSecret::parse(&webhook_secret(&a)).unwrap();
    let now = chrono::Utc::now().timestamp();
    let all = seen.lock().unwrap().clone();
    for (id, ts, sig, body) in &all {
        assert!(id.starts_with("msg_"), "{id}");
        secret
            .verify(Some(id), Some(ts), Some(sig), body.as_bytes(), now)
            .unwrap_or_else(|e| panic!("{id}: {e:?}"));
        let event: Value = serde_json::from_str(body).unwrap();
        assert_eq!(event["object"], "event");
    }
    let updated: Value = all
        .iter()
        .map(|(.., b)| serde_json::from_str::<Value>(b).unwrap())
        .find(|e| e["type"] == "user.updated")
        .unwrap();
    assert_eq!(
        updated["data"]["public_metadata"]["subscription_tier"],
        "premium"
    );
    assert_eq!(
        updated["data"]["email_addresses"][0]["email_address"],
        "ada@example.com"
    );
    let refused_id = &all[0].0;
    assert!(
        all.iter().filter(|(id, ..)| id == refused_id).count() >= 2,
        "the refused first delivery came again with the same svix-id"
    );
    until_every_delivery_is_delivered(&a, "every delivery marked delivered").await;
}

#[tokio::test]
async fn clerk_mode_runs_offline_against_a_provider_that_sends_its_webhooks() {
    let (_, forward, url) = receiver(false).await;
    let a = spawn_app_with(
        Backend::Suite,
        &[
            ("T2M_LOCAL_WEBHOOK_URLS", url.as_str()),
            ("T2M_LOCAL_WEBHOOK_RETRY_MS", "0,100,200,400,800"),
        ],
    )
    .await;
    let b = spawn_app_with(
        Backend::Suite,
        &[
            ("CLERK_ISSUER", a.address.as_str()),
            ("CLERK_FRONTEND_API", a.address.as_str()),
            ("CLERK_API_URL", a.address.as_str()),
            ("CLERK_SECRET_KEY", secret_key(&a).as_str()),
            ("CLERK_WEBHOOK_SECRET", webhook_secret(&a).as_str()),
            ("CLERK_AUTHORIZED_PARTIES", a.address.as_str()),
        ],
    )
    .await;
    *forward.lock().unwrap() = Some(b.address.clone());

    let boss = Person::sign_up(&a, "boss@example.com").await;
    repo::set_role_and_tier(&a.state.db, &boss.user_id, Role::Admin, Tier::Free, None)
        .await
        .unwrap();
    let ada = Person::sign_up(&a, "ada@example.com").await;
    let b_db = b.state.db.clone();
    let ada_id = ada.user_id.clone();
    eventually("A's user.created mirrored on B", || {
        let (db, id) = (b_db.clone(), ada_id.clone());
        async move { repo::find(&db, &id).await.unwrap().is_some() }
    })
    .await;

    let res = reqwest::Client::new()
        .patch(b.url(&format!("/api/v1/admin/users/{}", ada.user_id)))
        .bearer_auth(boss.token(&a).await.unwrap())
        .json(&json!({"subscription_tier": "premium"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let jwt = ada.token(&a).await.unwrap();
    assert_eq!(claims(&jwt)["subscription_tier"], "premium");
    let page = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(b.url("/premium/priority-queue"))
        .header("cookie", format!("__session={jwt}"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);

    let res = reqwest::Client::new()
        .delete(b.url("/api/v1/me"))
        .bearer_auth(&jwt)
        .json(&json!({"confirm": "DELETE"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert!(
        repo::find(&a.state.db, &ada.user_id)
            .await
            .unwrap()
            .is_none(),
        "A deleted it"
    );
    assert!(
        repo::find(&b.state.db, &ada.user_id)
            .await
            .unwrap()
            .is_none(),
        "B's mirror is gone"
    );
    until_every_delivery_is_delivered(&a, "A's webhooks all accepted by B").await;
    let (deleted,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM webhook_events WHERE event_type = 'user.deleted'")
            .fetch_one(&b.state.db.pool)
            .await
            .unwrap();
    assert_eq!(deleted, 1, "B received A's user.deleted");
}
