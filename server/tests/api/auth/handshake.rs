//! Clerk's handshake over real HTTP with the built-in provider as the Frontend API: a page load with a stale
//! session and `__client_uat > 0` goes through `/v1/client/handshake` and lands signed in; signed-out browsers
//! and API calls are never sent there; forged, foreign, expired or misdirected handshakes change nothing.

use crate::helpers::{client_without_redirects, page_load, spawn_app, TestApp};
use app::services::auth::handshake::{sign, HANDSHAKE_PARAM};
use app::services::auth::local_idp::LocalKeys;
use base64::Engine;

const PASSWORD: &str = "correct horse battery";

/// `name=value` of every cookie a response sets.
fn set_cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect()
}

fn value_of(cookies: &[String], name: &str) -> Option<String> {
    cookies
        .iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .map(str::to_owned)
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

/// A session token whose `exp` is long past (only its payload is read before the handshake).
fn stale_token() -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.sig",
        engine.encode(br#"{"alg":"RS256"}"#),
        engine.encode(br#"{"exp":1}"#)
    )
}

/// Signs up and returns the `__client` and `__client_uat` values the provider sets.
async fn sign_up(app: &TestApp, email: &str) -> (String, String) {
    let res = client_without_redirects()
        .post(app.url("/v1/client/sign_ups"))
        .header("origin", &app.address)
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookies = set_cookies(&res);
    let uat = value_of(&cookies, "__client_uat").expect("sign-up sets __client_uat");
    assert!(uat.parse::<i64>().unwrap() > 0);
    (value_of(&cookies, "__client").unwrap(), uat)
}

async fn get(app: &TestApp, path_or_url: &str, cookie: &str) -> reqwest::Response {
    let url = if path_or_url.starts_with("http") {
        path_or_url.to_owned()
    } else {
        app.url(path_or_url)
    };
    page_load(&url, cookie).await
}

#[tokio::test]
async fn an_expired_session_is_renewed_through_the_handshake_and_the_page_renders_signed_in() {
    let app = spawn_app().await;
    let (client, uat) = sign_up(&app, "hs@example.com").await;
    let browser = format!(
        "__client={client}; __client_uat={uat}; __session={}",
        stale_token()
    );

    let page = get(&app, "/profile?tab=1", &browser).await;
    assert_eq!(page.status(), 307);
    let to_handshake = location(&page);
    let expected_return = t2m_server::redirects::urlencode(&app.url("/profile?tab=1"));
    assert_eq!(
        to_handshake,
        app.url(&format!(
            "/v1/client/handshake?redirect_url={expected_return}"
        ))
    );

    let provider = get(&app, &to_handshake, &format!("__client={client}")).await;
    assert_eq!(provider.status(), 307);
    let back = location(&provider);
    assert!(
        back.starts_with(&app.url(&format!("/profile?tab=1&{HANDSHAKE_PARAM}="))),
        "{back}"
    );

    let applied = get(&app, &back, &browser).await;
    assert_eq!(applied.status(), 307);
    assert_eq!(location(&applied), "/profile?tab=1");
    let cookies = set_cookies(&applied);
    let session = value_of(&cookies, "__session").expect("a fresh __session");
    assert!(!session.is_empty());
    assert!(value_of(&cookies, "__client_uat").is_some_and(|v| v != "0"));

    let landed = get(
        &app,
        "/profile?tab=1",
        &format!("__client={client}; __client_uat={uat}; __session={session}"),
    )
    .await;
    assert_eq!(landed.status(), 200);
    let body = landed.text().await.unwrap();
    assert!(
        body.contains("hs@example.com"),
        "the page renders signed in"
    );
}

#[tokio::test]
async fn signed_out_browsers_and_api_calls_are_never_sent_to_the_handshake() {
    let app = spawn_app().await;
    let (client, uat) = sign_up(&app, "out@example.com").await;
    for cookie in [
        format!("__client={client}; __client_uat=0"),
        format!("__client={client}"),
        format!("__client_uat=0; __session={}", stale_token()),
    ] {
        let res = get(&app, "/profile", &cookie).await;
        assert_eq!(res.status(), 303, "{cookie}");
        assert!(location(&res).starts_with("/sign-in"), "{cookie}");
    }
    let api = client_without_redirects()
        .get(app.url("/api/v1/me"))
        .header("cookie", format!("__client={client}; __client_uat={uat}"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 401);
    let api = client_without_redirects()
        .get(app.url("/api/v1/me"))
        .header(
            "cookie",
            format!("__client_uat={uat}; __session={}", stale_token()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 401);
    assert!(api.headers().get("location").is_none());
}

/// Hands `token` back to the app as Clerk would and checks nothing is set and no new handshake follows.
async fn refused(app: &TestApp, token: &str, uat: &str) {
    let cookie = format!("__client_uat={uat}");
    let res = get(app, &format!("/profile?{HANDSHAKE_PARAM}={token}"), &cookie).await;
    assert_eq!(res.status(), 307);
    assert_eq!(location(&res), "/profile");
    let cookies = set_cookies(&res);
    assert!(value_of(&cookies, "__session").is_none(), "{cookies:?}");
    let count = value_of(&cookies, "__clerk_redirect_count").expect("loop guard set");
    let again = get(
        app,
        "/profile",
        &format!("{cookie}; __clerk_redirect_count={count}"),
    )
    .await;
    assert_eq!(
        again.status(),
        303,
        "renders signed out, no second handshake"
    );
}

#[tokio::test]
async fn forged_foreign_and_expired_handshakes_are_refused() {
    let app = spawn_app().await;
    let (_, uat) = sign_up(&app, "refuse@example.com").await;
    let keys = app.state.local_keys.clone().unwrap();
    let now = chrono::Utc::now().timestamp();
    let cookies = vec!["__session=forged; Path=/".to_owned()];

    let other_dir = tempfile::tempdir().unwrap();
    let mut other = LocalKeys::load_or_create(other_dir.path()).unwrap();
    other.kid.clone_from(&keys.kid);
    let bad_signature = sign(&other, &app.state.config.app_url, cookies.clone(), now).unwrap();
    refused(&app, &bad_signature, &uat).await;

    let wrong_issuer = sign(&keys, "https://evil.example", cookies.clone(), now).unwrap();
    refused(&app, &wrong_issuer, &uat).await;

    let expired = sign(&keys, &app.state.config.app_url, cookies, now - 3600).unwrap();
    refused(&app, &expired, &uat).await;
}

#[tokio::test]
async fn the_provider_only_returns_to_the_app_origin() {
    let app = spawn_app().await;
    for target in [
        "https://evil.example/steal",
        "//evil.example/x",
        "/\\evil.example",
    ] {
        let res = get(
            &app,
            &format!(
                "/v1/client/handshake?redirect_url={}",
                t2m_server::redirects::urlencode(target)
            ),
            "",
        )
        .await;
        assert_eq!(res.status(), 307);
        let back = location(&res);
        assert!(
            back.starts_with(&app.url(&format!("/?{HANDSHAKE_PARAM}="))),
            "{target} -> {back}"
        );
    }
}

#[tokio::test]
async fn a_signed_out_client_gets_sign_out_cookies_from_the_handshake() {
    let app = spawn_app().await;
    let res = get(
        &app,
        &format!(
            "/v1/client/handshake?redirect_url={}",
            t2m_server::redirects::urlencode(&app.url("/profile"))
        ),
        "__client=not-a-live-secret",
    )
    .await;
    let back = location(&res);
    assert!(set_cookies(&res).contains(&"__client=".to_owned()));
    let applied = get(&app, &back, "__client_uat=5").await;
    let cookies = set_cookies(&applied);
    assert_eq!(value_of(&cookies, "__session").as_deref(), Some(""));
    assert_eq!(value_of(&cookies, "__client_uat").as_deref(), Some("0"));
}

/// Tokens shorter-lived than the freshness margin (tests and strict deployments use 10 s) must not send every
/// page load round the handshake: the token it just minted counts as fresh, and the loop guard is not reset.
#[tokio::test]
async fn short_lived_tokens_do_not_loop_through_the_handshake() {
    let app = crate::helpers::spawn_app_with(
        crate::helpers::Backend::Suite,
        &[("T2M_SESSION_TOKEN_TTL_SECS", "10")],
    )
    .await;
    crate::auth::local_provider::sign_up(&app, "brief@example.com", PASSWORD, false).await;
    for page in ["/profile", "/dashboard", "/profile"] {
        assert_eq!(app.get(page).await.status(), 200, "{page}");
    }
}
