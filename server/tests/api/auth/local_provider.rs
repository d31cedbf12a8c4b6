//! The built-in identity provider end to end over HTTP: sign-up, sign-in, tokens, JWKS, sign-out.

use crate::helpers::{spawn_app, TestApp};
use serde_json::Value;

pub async fn sign_up(
    app: &TestApp,
    email: &str,
    password: &str,
    remember: bool,
) -> reqwest::Response {
    let mut form = vec![
        ("email", email),
        ("password", password),
        ("first_name", "Ada"),
    ];
    if remember {
        form.push(("remember_me", "on"));
    }
    app.client
        .post(app.url("/v1/client/sign_ups"))
        .header("origin", &app.address)
        .form(&form)
        .send()
        .await
        .unwrap()
}

pub async fn client(app: &TestApp) -> Value {
    app.get("/v1/client").await.json().await.unwrap()
}

pub async fn api_token(app: &TestApp) -> reqwest::Response {
    let sid = client(app).await["session"]["id"]
        .as_str()
        .unwrap_or("none")
        .to_owned();
    app.client
        .post(app.url(&format!("/v1/client/sessions/{sid}/tokens/t2m-api")))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn sign_up_signs_in_and_lands_on_onboarding() {
    let app = spawn_app().await;
    let res = sign_up(&app, "Ada@Example.com", "correct horse battery", false).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/onboarding");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("__client=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let client = client(&app).await;
    assert_eq!(client["signed_in"], true);
    assert_eq!(client["session"]["user"]["email"], "ada@example.com");
}

#[tokio::test]
async fn the_api_template_token_is_accepted_by_the_api() {
    let app = spawn_app().await;
    sign_up(&app, "grace@example.com", "correct horse battery", false).await;
    let body: Value = api_token(&app).await.json().await.unwrap();
    let jwt = body["jwt"].as_str().unwrap().to_owned();
    let me: Value = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&jwt)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["data"]["email"], "grace@example.com");
    assert_eq!(me["data"]["tier"], "free");
}

#[tokio::test]
async fn tokens_verify_against_the_published_jwks_with_clerk_claims() {
    let app = spawn_app().await;
    sign_up(&app, "linus@example.com", "correct horse battery", false).await;
    let jwt = api_token(&app).await.json::<Value>().await.unwrap()["jwt"]
        .as_str()
        .unwrap()
        .to_owned();
    let jwks: jsonwebtoken::jwk::JwkSet = app
        .get("/.well-known/jwks.json")
        .await
        .json()
        .await
        .unwrap();
    let header = jsonwebtoken::decode_header(&jwt).unwrap();
    let jwk = jwks
        .find(header.kid.as_deref().unwrap())
        .expect("kid is published");
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["t2m-api"]);
    validation.set_issuer(&[&app.address]);
    let claims = jsonwebtoken::decode::<Value>(&jwt, &key, &validation)
        .unwrap()
        .claims;
    for claim in [
        "sub",
        "sid",
        "iss",
        "azp",
        "exp",
        "iat",
        "nbf",
        "user_id",
        "email",
        "role",
        "permissions",
        "subscription_tier",
    ] {
        assert!(claims.get(claim).is_some(), "missing {claim}");
    }
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        60
    );
    let v1: Value = app.get("/v1/jwks").await.json().await.unwrap();
    assert_eq!(v1["keys"][0]["kid"], jwk.common.key_id.clone().unwrap());
}

#[tokio::test]
async fn wrong_passwords_and_unknown_emails_get_the_same_answer() {
    let app = spawn_app().await;
    sign_up(&app, "mary@example.com", "correct horse battery", false).await;
    let fresh = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (email, password) in [
        ("mary@example.com", "wrong password!"),
        ("nobody@example.com", "whatever123"),
    ] {
        let res = fresh
            .post(app.url("/v1/client/sign_ins"))
            .header("origin", &app.address)
            .form(&[
                ("email", email),
                ("password", password),
                ("redirect_url", "/jobs"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            location(&res),
            "/sign-in?error=bad_credentials&redirect_url=%2Fjobs"
        );
        assert!(res.headers().get("set-cookie").is_none());
    }
}

#[tokio::test]
async fn sign_in_goes_back_where_the_user_was_but_never_off_site() {
    let app = spawn_app().await;
    sign_up(&app, "ken@example.com", "correct horse battery", false).await;
    let fresh = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (target, expected) in [
        ("/jobs?page=2", "/jobs?page=2"),
        ("https://evil.io/", "/dashboard"),
        ("//evil.io", "/dashboard"),
    ] {
        let res = fresh
            .post(app.url("/v1/client/sign_ins"))
            .header("origin", &app.address)
            .form(&[
                ("email", "ken@example.com"),
                ("password", "correct horse battery"),
                ("redirect_url", target),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&res), expected);
    }
}

#[tokio::test]
async fn a_taken_email_or_short_password_is_refused_with_a_reason() {
    let app = spawn_app().await;
    sign_up(&app, "dup@example.com", "correct horse battery", false).await;
    let again = sign_up(&app, "DUP@example.com", "correct horse battery", false).await;
    assert_eq!(location(&again), "/sign-up?error=conflict");
    let short = sign_up(&app, "new@example.com", "short", false).await;
    assert_eq!(location(&short), "/sign-up?error=invalid_password");
    let bad = sign_up(&app, "not-an-email", "correct horse battery", false).await;
    assert_eq!(location(&bad), "/sign-up?error=invalid_email");
}

#[tokio::test]
async fn remember_me_keeps_the_session_for_thirty_days_instead_of_seven() {
    let app = spawn_app().await;
    let plain = sign_up(&app, "a@example.com", "correct horse battery", false).await;
    let cookie = plain.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("Max-Age=604800"), "{cookie}");
    let app = spawn_app().await;
    let remembered = sign_up(&app, "b@example.com", "correct horse battery", true).await;
    let cookie = remembered.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("Max-Age=2592000"), "{cookie}");
}

#[tokio::test]
async fn signing_out_ends_the_session_and_stops_token_minting() {
    let app = spawn_app().await;
    sign_up(&app, "bye@example.com", "correct horse battery", false).await;
    let sid = client(&app).await["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .client
        .post(app.url(&format!("/v1/client/sessions/{sid}/end?reason=inactivity")))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(client(&app).await["signed_in"], false);
    let (reason,): (Option<String>,) =
        sqlx::query_as("SELECT end_reason FROM sessions WHERE id = $1")
            .bind(&sid)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(reason.as_deref(), Some("inactivity"));
    assert_eq!(api_token(&app).await.status(), 401);
}

#[tokio::test]
async fn a_first_start_seeds_one_admin_whose_password_is_in_a_private_file() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    let admins: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'admin'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(admins.0, 1);
    let path = app::services::auth::local_idp::account::credentials_path(app.data_dir.path());
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "only the owner may read the password");
    let text = std::fs::read_to_string(&path).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name))
            .map(|value| value.trim().to_owned())
            .unwrap()
    };
    let (email, password) = (field("email:"), field("password:"));
    assert_eq!(email, "admin@t2m.local");
    let res = app
        .client
        .post(app.url("/v1/client/sign_ins"))
        .header("origin", &app.address)
        .form(&[
            ("email", email.as_str()),
            ("password", password.as_str()),
            ("redirect_url", "/admin"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/admin");
    assert_eq!(
        app.get("/admin").await.status(),
        200,
        "the seeded account is an admin"
    );

    let again = app::services::auth::local_idp::account::seed_admin(&app.state)
        .await
        .unwrap();
    assert!(again.is_none(), "later starts seed nothing");
}

/// The profile's sign-out button is a real form: before the WASM loads (or with JavaScript off) the browser posts
/// it, and the built-in provider answers with a redirect home instead of JSON, the session ended.
#[tokio::test]
async fn the_sign_out_form_works_without_javascript() {
    let app = spawn_app().await;
    sign_up(&app, "plain@example.com", "correct horse battery", false).await;
    let page = app.get("/profile").await.text().await.unwrap();
    assert!(
        page.contains(r#"action="/v1/client/sessions/current/end""#),
        "the profile renders the sign-out form in its HTML"
    );
    let empty: &[(&str, &str)] = &[];
    let res = app
        .client
        .post(app.url("/v1/client/sessions/current/end"))
        .header("origin", &app.address)
        .form(empty)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/");
    assert_eq!(client(&app).await["signed_in"], false);
    assert_eq!(api_token(&app).await.status(), 401);
}
