//! Sign-in and sign-up abuse limits: throttles per account and per client IP (in memory and in Redis), which
//! proxies may name the client, the bound on concurrent hashes, and the 1 KiB password cap.

use crate::auth::local_provider::sign_up;
use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::limits::unique_prefix;
use reqwest::header::HeaderMap;
use serde_json::Value;

const PASSWORD: &str = "correct horse battery";

/// A sign-in post as a program makes it (no browser headers), with extra `headers`.
async fn sign_in_with(
    app: &TestApp,
    email: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/v1/client/sign_ins"))
        .header("origin", &app.address)
        .form(&[("email", email), ("password", password)]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    sign_in_with(app, email, password, &[]).await
}

fn retry_after(headers: &HeaderMap) -> u64 {
    headers["retry-after"].to_str().unwrap().parse().unwrap()
}

async fn assert_throttled(res: reqwest::Response) {
    assert_eq!(res.status(), 429);
    let wait = retry_after(res.headers());
    assert!((1..=900).contains(&wait), "Retry-After {wait}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    assert!(body["error"].is_string());
}

fn hashes(app: &TestApp) -> u64 {
    app.state.sign_in_guard.hashes_run()
}

#[tokio::test]
async fn an_account_is_throttled_even_for_the_right_password_and_costs_no_hash() {
    let app = spawn_app_with(Backend::Suite, &[("T2M_SIGN_IN_ACCOUNT_LIMIT", "3")]).await;
    sign_up(&app, "ada@example.com", PASSWORD, false).await;
    for _ in 0..2 {
        assert_eq!(
            sign_in(&app, "ada@example.com", "wrong password!")
                .await
                .status(),
            303
        );
    }
    let before = hashes(&app);
    assert_throttled(sign_in(&app, "ADA@example.com ", PASSWORD).await).await;
    assert_eq!(hashes(&app), before, "a throttled attempt must not hash");
    // Other accounts from the same address are not affected.
    assert_eq!(
        sign_in(&app, "bob@example.com", PASSWORD).await.status(),
        303
    );
}

#[tokio::test]
async fn sign_ups_count_against_the_same_windows() {
    let app = spawn_app_with(Backend::Suite, &[("T2M_SIGN_IN_IP_LIMIT", "2")]).await;
    assert_eq!(
        sign_up(&app, "a@example.com", PASSWORD, false)
            .await
            .status(),
        303
    );
    assert_eq!(
        sign_up(&app, "b@example.com", PASSWORD, false)
            .await
            .status(),
        303
    );
    assert_throttled(sign_up(&app, "c@example.com", PASSWORD, false).await).await;
}

#[tokio::test]
async fn forwarded_for_from_an_untrusted_peer_does_not_change_the_bucket() {
    let app = spawn_app_with(Backend::Suite, &[("T2M_SIGN_IN_IP_LIMIT", "2")]).await;
    for (n, spoof) in ["198.51.100.1", "198.51.100.2"].iter().enumerate() {
        let email = format!("u{n}@example.com");
        let res = sign_in_with(&app, &email, PASSWORD, &[("x-forwarded-for", spoof)]).await;
        assert_eq!(res.status(), 303);
    }
    let spoofed = sign_in_with(
        &app,
        "u9@example.com",
        PASSWORD,
        &[("x-forwarded-for", "198.51.100.3")],
    )
    .await;
    assert_throttled(spoofed).await;
}

#[tokio::test]
async fn forwarded_for_from_a_trusted_proxy_names_the_client() {
    let app = spawn_app_with(
        Backend::Suite,
        &[
            ("T2M_SIGN_IN_IP_LIMIT", "2"),
            ("T2M_TRUSTED_PROXIES", "127.0.0.0/8, ::1"),
        ],
    )
    .await;
    // Each client behind the proxy gets its own window; the spoofed left-most entry is ignored.
    for client in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        for n in 0..2 {
            let email = format!("{client}-{n}@example.com");
            let xff = format!("6.6.6.6, {client}");
            let res = sign_in_with(&app, &email, PASSWORD, &[("x-forwarded-for", &xff)]).await;
            assert_eq!(res.status(), 303, "{client} attempt {n}");
        }
    }
    let third = sign_in_with(
        &app,
        "x@example.com",
        PASSWORD,
        &[("x-forwarded-for", "7.7.7.7, 198.51.100.1")],
    )
    .await;
    assert_throttled(third).await;
}

#[tokio::test]
async fn redis_backs_the_throttle_across_app_instances() {
    let prefix = unique_prefix();
    let vars = [
        ("REDIS_URL", "redis://127.0.0.1:6379"),
        ("T2M_REDIS_KEY_PREFIX", prefix.as_str()),
        ("T2M_SIGN_IN_ACCOUNT_LIMIT", "2"),
    ];
    let first = spawn_app_with(Backend::Suite, &vars).await;
    let second = spawn_app_with(Backend::Suite, &vars).await;
    assert_eq!(
        sign_in(&first, "ada@example.com", PASSWORD).await.status(),
        303
    );
    assert_eq!(
        sign_in(&second, "ada@example.com", PASSWORD).await.status(),
        303
    );
    assert_throttled(sign_in(&first, "ada@example.com", PASSWORD).await).await;
}

#[tokio::test]
async fn a_configured_redis_that_is_down_refuses_sign_in_without_hashing() {
    let app = spawn_app_with(Backend::Suite, &[("REDIS_URL", "redis://127.0.0.1:1")]).await;
    let res = sign_in(&app, "ada@example.com", PASSWORD).await;
    assert_eq!(res.status(), 503);
    assert_eq!(hashes(&app), 0);
}

#[tokio::test]
async fn a_browser_form_is_sent_back_to_the_page_that_says_when_to_retry() {
    let app = spawn_app_with(Backend::Suite, &[("T2M_SIGN_IN_ACCOUNT_LIMIT", "1")]).await;
    let browser = [
        ("accept", "text/html,application/xhtml+xml,*/*;q=0.8"),
        ("sec-fetch-mode", "navigate"),
    ];
    sign_in_with(&app, "ada@example.com", "wrong password!", &browser).await;
    let res = app
        .client
        .post(app.url("/v1/client/sign_ins"))
        .header("origin", &app.address)
        .header("accept", "text/html")
        .form(&[
            ("email", "ada@example.com"),
            ("password", "wrong password!"),
            ("redirect_url", "/jobs"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let wait = retry_after(res.headers());
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/sign-in?error=too_many_attempts&retry_after=")
            && location.ends_with("&redirect_url=%2Fjobs"),
        "{location}"
    );
    let page = app.get(&location).await.text().await.unwrap();
    let minutes = wait.div_ceil(60);
    assert!(
        page.contains("Too many attempts") && page.contains(&format!("in {minutes} minutes")),
        "the page must say when to retry"
    );
    assert!(!page.contains("alert("));
}

#[tokio::test]
async fn passwords_over_one_kibibyte_are_refused_unhashed() {
    let app = spawn_app_with(Backend::Suite, &[]).await;
    let long = "p".repeat(1025);
    let res = sign_in(&app, "ada@example.com", &long).await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "invalid_password");
    assert_eq!(
        sign_up(&app, "ada@example.com", &long, false)
            .await
            .status(),
        400
    );
    assert_eq!(hashes(&app), 0);
    // Exactly 1 KiB is still a password.
    let kib = "p".repeat(1024);
    assert_eq!(
        sign_up(&app, "ada@example.com", &kib, false).await.status(),
        303
    );
}

#[tokio::test]
async fn hashes_beyond_the_bound_answer_503_at_once() {
    let app = spawn_app_with(
        Backend::Suite,
        &[
            ("T2M_MAX_CONCURRENT_HASHES", "1"),
            ("T2M_SIGN_IN_IP_LIMIT", "1000"),
        ],
    )
    .await;
    let posts = (0..24).map(|n| {
        let app = &app;
        async move { sign_in(app, &format!("user{n}@example.com"), PASSWORD).await }
    });
    let responses = futures_util::future::join_all(posts).await;
    let busy: Vec<&reqwest::Response> = responses.iter().filter(|r| r.status() == 503).collect();
    assert!(!busy.is_empty(), "24 concurrent hashes with a bound of 1");
    for res in &busy {
        assert!(retry_after(res.headers()) >= 1);
    }
    assert!(responses
        .iter()
        .all(|r| [303, 503].contains(&r.status().as_u16())));
    assert_eq!(hashes(&app) as usize, responses.len() - busy.len());
}
