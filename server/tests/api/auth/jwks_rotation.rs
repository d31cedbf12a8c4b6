//! Clerk keys fetched from a JWKS URL: rotation in both directions, and a cooldown against floods of bad kids.

use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::tokens::{api_claims, key_a, key_b, sign, TestKey, ISSUER};
use axum::routing::get;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

struct Jwks {
    keys: Arc<RwLock<Vec<Value>>>,
    fetches: Arc<AtomicUsize>,
    url: String,
}

impl Jwks {
    fn publish(&self, keys: &[&TestKey]) {
        *self.keys.write().unwrap() = keys.iter().map(|k| k.jwk.clone()).collect();
    }
}

async fn jwks_server(initial: &[&TestKey]) -> Jwks {
    let keys = Arc::new(RwLock::new(
        initial.iter().map(|k| k.jwk.clone()).collect::<Vec<_>>(),
    ));
    let fetches = Arc::new(AtomicUsize::new(0));
    let (k, f) = (Arc::clone(&keys), Arc::clone(&fetches));
    let router = axum::Router::new().route(
        "/.well-known/jwks.json",
        get(move || {
            let (k, f) = (Arc::clone(&k), Arc::clone(&f));
            async move {
                f.fetch_add(1, Ordering::SeqCst);
                axum::Json(json!({ "keys": *k.read().unwrap() }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/.well-known/jwks.json",
        listener.local_addr().unwrap()
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    Jwks { keys, fetches, url }
}

async fn app_for(jwks: &Jwks, ttl: &str, cooldown: &str) -> TestApp {
    spawn_app_with(
        Backend::Suite,
        &[
            ("CLERK_ISSUER", ISSUER),
            ("CLERK_JWKS_URL", &jwks.url),
            ("CLERK_JWKS_TTL_SECS", ttl),
            ("CLERK_JWKS_COOLDOWN_SECS", cooldown),
            ("APP_URL", "https://t2m-app.com"),
        ],
    )
    .await
}

async fn status_with(app: &TestApp, key: &TestKey) -> (u16, Value) {
    let token = sign(key, &api_claims("user_rot", "https://t2m-app.com"));
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn a_new_kid_is_fetched_and_a_removed_kid_is_rejected_after_refresh() {
    let jwks = jwks_server(&[key_a()]).await;
    let app = app_for(&jwks, "1", "0").await;
    assert_eq!(status_with(&app, key_a()).await.0, 200);
    let (status, body) = status_with(&app, key_b()).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("unknown_key")));

    jwks.publish(&[key_a(), key_b()]);
    assert_eq!(
        status_with(&app, key_b()).await.0,
        200,
        "rotated-in key accepted"
    );

    jwks.publish(&[key_b()]);
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let (status, body) = refused_soon(|| status_with(&app, key_a())).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("unknown_key")),
        "rotated-out key rejected"
    );
    assert_eq!(status_with(&app, key_b()).await.0, 200);
}

#[tokio::test]
async fn a_token_already_verified_is_refused_once_its_key_is_rotated_out() {
    let jwks = jwks_server(&[key_a(), key_b()]).await;
    let app = app_for(&jwks, "1", "0").await;
    // One token, sent again and again: the second answer comes from the verified-token cache.
    let token = sign(key_a(), &api_claims("user_rot", "https://t2m-app.com"));
    let me = || {
        app.client
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(me().await.unwrap().status(), 200);
    let fetches = jwks.fetches.load(Ordering::SeqCst);
    assert_eq!(me().await.unwrap().status(), 200);
    assert_eq!(
        jwks.fetches.load(Ordering::SeqCst),
        fetches,
        "a cached verdict needs no fetch"
    );

    jwks.publish(&[key_b()]);
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let (status, body) = refused_soon(|| async {
        let res = me().await.unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    })
    .await;
    assert_eq!(status, 401, "the cache must not outlive the key");
    assert_eq!(body["code"], "unknown_key");
}

/// Past the TTL the stale set still answers while a background fetch replaces it, so a rotated-out key is
/// refused from the moment that fetch lands, a few milliseconds after the first request that noticed.
async fn refused_soon<F, Fut>(request: F) -> (u16, Value)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = (u16, Value)>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        let (status, body) = request().await;
        if status != 200 || std::time::Instant::now() > deadline {
            return (status, body);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_flood_of_unknown_kids_fetches_the_jwks_at_most_once_per_cooldown() {
    let jwks = jwks_server(&[key_a()]).await;
    let app = app_for(&jwks, "300", "60").await;
    assert_eq!(status_with(&app, key_a()).await.0, 200);
    let before = jwks.fetches.load(Ordering::SeqCst);
    for i in 0..25 {
        let stranger = TestKey {
            kid: format!("bogus-{i}"),
            ..clone_key(key_b())
        };
        assert_eq!(status_with(&app, &stranger).await.0, 401);
    }
    let extra = jwks.fetches.load(Ordering::SeqCst) - before;
    assert!(extra <= 1, "{extra} extra JWKS fetches for 25 unknown kids");
}

fn clone_key(key: &TestKey) -> TestKey {
    TestKey {
        kid: key.kid.clone(),
        encoding: key.encoding.clone(),
        public_pem: key.public_pem.clone(),
        jwk: key.jwk.clone(),
    }
}
