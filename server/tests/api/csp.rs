//! Pages run only the scripts the server sent with this response's CSP nonce; HTTPS deployments pin HTTPS.

use crate::auth::local_provider::sign_up;
use crate::helpers::{spawn_app, spawn_app_with, Backend};

/// The nonce the response's CSP admits scripts with, after checking `script-src` allows nothing inline.
fn script_nonce(res: &reqwest::Response) -> String {
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src "))
        .unwrap_or_else(|| panic!("no script-src in {csp}"));
    assert!(!script_src.contains("'unsafe-inline'"), "{script_src}");
    assert!(script_src.contains("'wasm-unsafe-eval'"), "{script_src}");
    let nonce = script_src
        .split_whitespace()
        .find_map(|s| s.strip_prefix("'nonce-")?.strip_suffix('\''))
        .unwrap_or_else(|| panic!("no nonce in {script_src}"));
    assert!(nonce.len() >= 22, "a nonce of 128 bits or more: {nonce}");
    nonce.to_owned()
}

/// Fetches `path` and checks that every `<script` tag in the page carries the CSP's nonce.
async fn assert_scripts_carry_the_nonce(
    app: &crate::helpers::TestApp,
    path: &str,
    status: u16,
) -> String {
    let res = app.get(path).await;
    assert_eq!(res.status(), status, "{path}");
    let nonce = script_nonce(&res);
    let html = res.text().await.unwrap();
    let tags: Vec<&str> = html
        .match_indices("<script")
        .map(|(at, _)| &html[at..at + html[at..].find('>').unwrap()])
        .collect();
    assert!(!tags.is_empty(), "{path} has no scripts at all");
    for tag in &tags {
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "{path}: {tag}> lacks nonce {nonce}"
        );
    }
    nonce
}

#[tokio::test]
async fn every_script_on_public_signed_in_and_404_pages_carries_the_responses_nonce() {
    let app = spawn_app().await;
    for path in ["/", "/pricing", "/sign-in", "/sign-up"] {
        assert_scripts_carry_the_nonce(&app, path, 200).await;
    }
    assert_scripts_carry_the_nonce(&app, "/no-such-page", 404).await;
    sign_up(&app, "csp@example.com", "correct horse battery", false).await;
    // These stream: resources resolve after the shell, in chunks with scripts of their own.
    for path in ["/dashboard", "/profile", "/jobs", "/files"] {
        assert_scripts_carry_the_nonce(&app, path, 200).await;
    }
    assert_scripts_carry_the_nonce(&app, "/admin", 403).await;
}

#[tokio::test]
async fn each_response_gets_a_fresh_nonce() {
    let app = spawn_app().await;
    let first = assert_scripts_carry_the_nonce(&app, "/pricing", 200).await;
    let second = assert_scripts_carry_the_nonce(&app, "/pricing", 200).await;
    assert_ne!(first, second);
}

#[tokio::test]
async fn connections_go_to_the_app_alone_and_never_to_any_websocket() {
    let app = spawn_app_with(
        Backend::Suite,
        &[
            ("ENVIRONMENT", "production"),
            ("FILE_SIGNING_SECRET", &"s".repeat(32)),
        ],
    )
    .await;
    let res = app.get("/api/system/health").await;
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("connect-src 'self';"), "{csp}");
    assert!(!csp.contains("ws:") && !csp.contains("wss:"), "{csp}");
}

#[tokio::test]
async fn hsts_is_sent_only_when_app_url_is_https() {
    let plain = spawn_app().await;
    let res = plain.get("/pricing").await;
    assert!(!res.headers().contains_key("strict-transport-security"));

    let https = spawn_app_with(Backend::Suite, &[("APP_URL", "https://t2m-app.com")]).await;
    for path in ["/pricing", "/api/system/health"] {
        let res = https.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(
            res.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}
