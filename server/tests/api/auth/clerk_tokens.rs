//! Every 401 code of the contract, with real RS256 tokens against a Clerk-configured server (PEM key).

use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::tokens::{api_claims, key_a, key_b, now, sign, sign_hs256, ISSUER};
use serde_json::{json, Value};

async fn clerk_app() -> TestApp {
    spawn_app_with(
        Backend::Suite,
        &[
            ("CLERK_ISSUER", ISSUER),
            ("CLERK_JWT_KEY", &key_a().public_pem),
            ("APP_URL", "https://t2m-app.com"),
        ],
    )
    .await
}

async fn me(app: &TestApp, token: &str) -> (u16, Value) {
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

fn claims() -> serde_json::Map<String, Value> {
    api_claims("user_alice", "https://t2m-app.com")
}

#[tokio::test]
async fn a_valid_token_identifies_the_user() {
    let app = clerk_app().await;
    let (status, body) = me(&app, &sign(key_a(), &claims())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["id"], "user_alice");
    assert_eq!(body["data"]["tier"], "free");
}

#[tokio::test]
async fn no_token_is_missing_token() {
    let app = clerk_app().await;
    let res = app.get("/api/v1/me").await;
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "missing_token");
    assert_eq!(body["requires_refresh"], false);
}

#[tokio::test]
async fn each_bad_token_gets_its_own_code() {
    let app = clerk_app().await;
    let mut wrong_iss = claims();
    wrong_iss.insert("iss".into(), json!("https://clerk.evil.dev"));
    let mut wrong_aud = claims();
    wrong_aud.insert("aud".into(), json!("someone-else"));
    let mut wrong_azp = claims();
    wrong_azp.insert("azp".into(), json!("https://t2m-app.com.evil.io"));
    let mut future = claims();
    future.insert("nbf".into(), json!(now() + 120));
    let mut tampered = sign(key_a(), &claims());
    tampered.truncate(tampered.len() - 4);
    tampered.push_str("AAAA");
    let cases = [
        ("not-a-jwt".to_owned(), "malformed_token", false),
        ("a.b.c".to_owned(), "malformed_token", false),
        (sign(key_b(), &claims()), "invalid_signature", false),
        (tampered, "invalid_signature", false),
        (sign(key_a(), &wrong_iss), "wrong_issuer", false),
        (sign(key_a(), &wrong_aud), "wrong_audience", false),
        (sign(key_a(), &wrong_azp), "unauthorized_party", false),
        (sign(key_a(), &future), "token_not_active_yet", true),
        (
            sign_hs256(&claims(), key_a().public_pem.as_bytes()),
            "unsupported_algorithm",
            false,
        ),
    ];
    for (token, code, refresh) in cases {
        let (status, body) = me(&app, &token).await;
        assert_eq!(status, 401, "{code}: {body}");
        assert_eq!(body["code"], code, "{body}");
        assert_eq!(body["requires_refresh"], refresh, "{code}");
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
}

#[tokio::test]
async fn an_expired_token_answers_with_the_contract_body() {
    let app = clerk_app().await;
    let mut expired = claims();
    let exp = now() - 120;
    expired.insert("exp".into(), json!(exp));
    let (status, body) = me(&app, &sign(key_a(), &expired)).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "token_expired");
    assert_eq!(body["error"], "Token has expired");
    assert_eq!(body["expired_at"], exp);
    assert_eq!(body["requires_refresh"], true);
    let current = body["current_time"].as_i64().unwrap();
    assert_eq!(body["expired_seconds_ago"].as_i64().unwrap(), current - exp);
    assert!((current - now()).abs() <= 2);
}

#[tokio::test]
async fn leeway_accepts_small_clock_skew_and_no_more() {
    let app = clerk_app().await;
    let mut within = claims();
    within.insert("exp".into(), json!(now() - 3));
    assert_eq!(me(&app, &sign(key_a(), &within)).await.0, 200);
    let mut beyond = claims();
    beyond.insert("exp".into(), json!(now() - 7));
    assert_eq!(
        me(&app, &sign(key_a(), &beyond)).await.1["code"],
        "token_expired"
    );
    let mut early = claims();
    early.insert("nbf".into(), json!(now() + 3));
    assert_eq!(me(&app, &sign(key_a(), &early)).await.0, 200);
}

#[tokio::test]
async fn the_session_cookie_works_like_the_header_but_the_query_string_does_not() {
    let app = clerk_app().await;
    let token = sign(key_a(), &claims());
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .header("cookie", format!("__session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = app
        .get(&format!("/api/v1/me?__session={token}&token={token}"))
        .await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn a_non_bearer_authorization_header_is_malformed() {
    let app = clerk_app().await;
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "malformed_token");
}

#[tokio::test]
async fn admin_endpoints_name_the_missing_role() {
    let app = clerk_app().await;
    let res = app
        .client
        .get(app.url("/api/v1/admin/users"))
        .bearer_auth(sign(key_a(), &claims()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "forbidden");
    assert_eq!(body["required_role"], "admin");
    let mut admin = claims();
    admin.insert("role".into(), json!("admin"));
    let res = app
        .client
        .get(app.url("/api/v1/admin/users"))
        .bearer_auth(sign(key_a(), &admin))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

/// Clerk's components route a new account to `/onboarding` and keep sign-in ↔ sign-up on T2M's own pages.
#[tokio::test]
async fn clerk_components_mount_with_t2m_routing() {
    let app = clerk_app().await;
    let sign_up = app.get("/sign-up").await.text().await.unwrap();
    assert!(
        sign_up.contains(r#"mountSignUp(document.getElementById('clerk-sign-up'),{"signInUrl":"/sign-in","fallbackRedirectUrl":"/onboarding""#),
        "sign-up mounts Clerk's SignUp with /onboarding as its destination: {sign_up}"
    );
    let sign_in = app.get("/sign-in").await.text().await.unwrap();
    assert!(
        sign_in.contains(r#""signUpUrl":"/sign-up","fallbackRedirectUrl":"/dashboard","signUpFallbackRedirectUrl":"/onboarding""#),
        "sign-in mounts Clerk's SignIn with T2M's routes: {sign_in}"
    );
}

/// With Clerk's Account Portal configured, signed-out visitors go there with an absolute way back.
#[tokio::test]
async fn the_account_portal_replaces_the_sign_in_pages_when_configured() {
    let app = spawn_app_with(
        Backend::Suite,
        &[
            ("CLERK_ISSUER", ISSUER),
            ("CLERK_JWT_KEY", &key_a().public_pem),
            ("APP_URL", "https://t2m-app.com"),
            ("CLERK_SIGN_IN_URL", "https://accounts.t2m-app.com/sign-in"),
            ("CLERK_SIGN_UP_URL", "https://accounts.t2m-app.com/sign-up"),
        ],
    )
    .await;
    let location = |res: reqwest::Response| {
        assert!(res.status().is_redirection(), "{}", res.status());
        res.headers()["location"].to_str().unwrap().to_owned()
    };
    assert_eq!(
        location(app.get("/videos?q=cats").await),
        "https://accounts.t2m-app.com/sign-in?redirect_url=https%3A%2F%2Ft2m-app.com%2Fvideos%3Fq%3Dcats"
    );
    assert_eq!(
        location(app.get("/sign-up").await),
        "https://accounts.t2m-app.com/sign-up?redirect_url=https%3A%2F%2Ft2m-app.com%2Fonboarding"
    );
    // A foreign redirect_url is not carried to the portal.
    assert_eq!(
        location(
            app.get("/sign-in?redirect_url=https://evil.example/x")
                .await
        ),
        "https://accounts.t2m-app.com/sign-in?redirect_url=https%3A%2F%2Ft2m-app.com%2Fdashboard"
    );
}
