//! Clerk's JWKS unreachable: cached keys keep verifying for `CLERK_JWKS_MAX_STALE_SECS`, then stop; a slow
//! issuer never holds up a request whose key is cached.

use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::tokens::{api_claims, key_a, sign, ISSUER};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const UP: u8 = 0;
const DOWN: u8 = 1;
const HANGING: u8 = 2;

/// A JWKS endpoint serving key A that a test can take down or make hang.
struct Issuer {
    mode: Arc<AtomicU8>,
    url: String,
}

impl Issuer {
    async fn start() -> Self {
        let mode = Arc::new(AtomicU8::new(UP));
        let m = Arc::clone(&mode);
        let router = axum::Router::new().route(
            "/.well-known/jwks.json",
            get(move || {
                let m = Arc::clone(&m);
                async move {
                    match m.load(Ordering::SeqCst) {
                        UP => axum::Json(json!({ "keys": [key_a().jwk.clone()] })).into_response(),
                        DOWN => StatusCode::SERVICE_UNAVAILABLE.into_response(),
                        _ => {
                            tokio::time::sleep(Duration::from_secs(30)).await;
                            StatusCode::GATEWAY_TIMEOUT.into_response()
                        }
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/.well-known/jwks.json",
            listener.local_addr().unwrap()
        );
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { mode, url }
    }

    fn set(&self, mode: u8) {
        self.mode.store(mode, Ordering::SeqCst);
    }
}

async fn app_for(issuer: &Issuer, max_stale: &str) -> TestApp {
    spawn_app_with(
        Backend::Suite,
        &[
            ("CLERK_ISSUER", ISSUER),
            ("CLERK_JWKS_URL", &issuer.url),
            ("CLERK_JWKS_TTL_SECS", "1"),
            ("CLERK_JWKS_COOLDOWN_SECS", "0"),
            ("CLERK_JWKS_MAX_STALE_SECS", max_stale),
            ("APP_URL", "https://t2m-app.com"),
        ],
    )
    .await
}

async fn me(app: &TestApp) -> (u16, Value) {
    let token = sign(key_a(), &api_claims("user_stale", "https://t2m-app.com"));
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
async fn cached_keys_verify_while_the_issuer_is_down_until_max_stale_and_again_once_it_is_back() {
    let issuer = Issuer::start().await;
    let app = app_for(&issuer, "3").await;
    assert_eq!(me(&app).await.0, 200);

    issuer.set(DOWN);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(me(&app).await.0, 200, "stale but within max-stale");

    tokio::time::sleep(Duration::from_millis(2000)).await;
    let (status, body) = me(&app).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (503, Some("unavailable")),
        "past max-stale the keys vouch for nothing: {body}"
    );

    issuer.set(UP);
    assert_eq!(me(&app).await.0, 200, "a successful fetch restores trust");
}

#[tokio::test]
async fn a_hanging_jwks_fetch_does_not_hold_up_tokens_whose_key_is_cached() {
    let issuer = Issuer::start().await;
    let app = app_for(&issuer, "86400").await;
    assert_eq!(me(&app).await.0, 200);

    issuer.set(HANGING);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    for _ in 0..3 {
        let started = Instant::now();
        assert_eq!(me(&app).await.0, 200);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "verification waited {:?} on the JWKS fetch",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn an_unknown_kid_answers_401_within_the_fetch_timeout_while_the_issuer_hangs() {
    let issuer = Issuer::start().await;
    let app = app_for(&issuer, "86400").await;
    assert_eq!(me(&app).await.0, 200, "key A is cached");

    issuer.set(HANGING);
    let unknown = sign(
        crate::tokens::key_b(),
        &api_claims("user_stale", "https://t2m-app.com"),
    );
    let started = Instant::now();
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(unknown)
        .send()
        .await
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "unknown_key");
    // The refetch an unknown kid triggers gives up after 5 s; the answer must not wait on the issuer longer.
    assert!(waited < Duration::from_secs(7), "waited {waited:?}");
    assert_eq!(me(&app).await.0, 200, "the cached key still verifies");
}
