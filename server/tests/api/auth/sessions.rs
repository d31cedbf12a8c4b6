//! Server-side sessions of the built-in provider: idleness is enforced when minting tokens, every sign-in gets
//! a fresh client secret and ends the browser's previous session, and users list and revoke their sessions.

use crate::helpers::{spawn_app_with, Backend, TestApp};
use serde_json::Value;
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";

/// Session ids by client cookie, learnt right after sign-in (the browser keeps its session's id the same way).
static SIDS: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<String, String>>> =
    std::sync::LazyLock::new(Default::default);

async fn remember_sid(app: &TestApp, cookie: String) -> String {
    let sid = sid_of(app, &cookie).await;
    SIDS.lock().unwrap().insert(cookie.clone(), sid);
    cookie
}

fn plain_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The `__client` value a sign-in or sign-up response sets.
fn client_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("__client="))
        .and_then(|v| v.split(';').next())
        .expect("a __client cookie")
        .to_owned()
}

async fn sign_up(app: &TestApp, email: &str) -> String {
    let res = plain_client()
        .post(app.url("/v1/client/sign_ups"))
        .header("origin", &app.address)
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    remember_sid(app, client_cookie(&res)).await
}

/// Signs in from a browser that may already hold a `__client` cookie.
async fn sign_in(app: &TestApp, email: &str, previous: Option<&str>) -> String {
    let mut req = plain_client()
        .post(app.url("/v1/client/sign_ins"))
        .header("origin", &app.address)
        .header("user-agent", "SessionsTest/1.0");
    if let Some(previous) = previous {
        req = req.header("cookie", format!("__client={previous}"));
    }
    let res = req
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    remember_sid(app, client_cookie(&res)).await
}

/// The session id behind a `__client` cookie, as the browser learns it from `GET /v1/client`.
async fn sid_of(app: &TestApp, cookie: &str) -> String {
    let client: Value = plain_client()
        .get(app.url("/v1/client"))
        .header("cookie", format!("__client={cookie}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    client["session"]["id"]
        .as_str()
        .expect("signed in")
        .to_owned()
}

/// Mints a `t2m-api` token; `idle_ms` is how long ago the browser saw the user's last input.
async fn mint(app: &TestApp, cookie: &str, idle_ms: Option<u64>) -> (u16, Value) {
    let sid = SIDS
        .lock()
        .unwrap()
        .get(cookie)
        .cloned()
        .unwrap_or_else(|| "unknown".into());
    let mut req = plain_client()
        .post(app.url(&format!("/v1/client/sessions/{sid}/tokens/t2m-api")))
        .header("origin", &app.address)
        .header("cookie", format!("__client={cookie}"));
    if let Some(idle) = idle_ms {
        req = req.header("x-t2m-idle-ms", idle.to_string());
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

async fn token(app: &TestApp, cookie: &str) -> String {
    let (status, body) = mint(app, cookie, None).await;
    assert_eq!(status, 200, "{body}");
    body["jwt"].as_str().unwrap().to_owned()
}

async fn api(app: &TestApp, method: reqwest::Method, path: &str, token: &str) -> (u16, Value) {
    let res = plain_client()
        .request(method, app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn short_idle_app() -> TestApp {
    spawn_app_with(Backend::Suite, &[("T2M_INACTIVITY_TIMEOUT_SECS", "2")]).await
}

#[tokio::test]
async fn background_refreshes_do_not_keep_an_idle_session_alive() {
    let app = short_idle_app().await;
    let cookie = sign_up(&app, "idle@example.com").await;
    assert_eq!(mint(&app, &cookie, None).await.0, 200);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        mint(&app, &cookie, None).await.0,
        200,
        "still within the timeout"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (status, body) = mint(&app, &cookie, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_expired")),
        "{body}"
    );
    // The session is over for good: reporting input now does not bring it back.
    let (status, body) = mint(&app, &cookie, Some(0)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_expired")),
        "{body}"
    );
    let (reason,): (Option<String>,) =
        sqlx::query_as("SELECT end_reason FROM sessions WHERE user_id IN (SELECT id FROM users WHERE email = 'idle@example.com')")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(reason.as_deref(), Some("inactivity"));
}

#[tokio::test]
async fn user_input_reported_by_the_browser_keeps_the_session_alive() {
    let app = short_idle_app().await;
    let cookie = sign_up(&app, "busy@example.com").await;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let (status, body) = mint(&app, &cookie, Some(200)).await;
        assert_eq!(status, 200, "{body}");
    }
}

#[tokio::test]
async fn signing_in_rotates_the_client_secret_and_ends_the_previous_session() {
    let app = spawn_app_with(Backend::Suite, &[]).await;
    let first = sign_up(&app, "rotate@example.com").await;
    let first_token = token(&app, &first).await;
    let second = sign_in(&app, "rotate@example.com", Some(&first)).await;
    assert_ne!(first, second, "a new secret on every sign-in");
    assert_eq!(
        mint(&app, &first, None).await.0,
        401,
        "the old cookie mints nothing"
    );
    let (status, body) = api(&app, reqwest::Method::GET, "/api/v1/me", &first_token).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_revoked"))
    );
    assert_eq!(mint(&app, &second, None).await.0, 200);
}

#[tokio::test]
async fn users_list_and_revoke_their_own_sessions_over_rest() {
    let app = spawn_app_with(Backend::Suite, &[]).await;
    let laptop = sign_up(&app, "many@example.com").await;
    let phone = sign_in(&app, "many@example.com", None).await;
    let stranger = sign_up(&app, "stranger@example.com").await;
    let laptop_token = token(&app, &laptop).await;
    let phone_token = token(&app, &phone).await;
    let stranger_token = token(&app, &stranger).await;

    let (status, body) = api(
        &app,
        reqwest::Method::GET,
        "/api/v1/me/sessions",
        &laptop_token,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let sessions = body["data"].as_array().unwrap().clone();
    assert_eq!(sessions.len(), 2, "{body}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let phone_session = sessions.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(phone_session["user_agent"], "SessionsTest/1.0");
    assert!(phone_session["last_active_at"].is_string());
    let phone_sid = phone_session["id"].as_str().unwrap().to_owned();

    let (_, stranger_list) = api(
        &app,
        reqwest::Method::GET,
        "/api/v1/me/sessions",
        &stranger_token,
    )
    .await;
    let stranger_sid = stranger_list["data"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/me/sessions/{stranger_sid}");
    assert_eq!(
        api(&app, reqwest::Method::DELETE, &path, &laptop_token)
            .await
            .0,
        404
    );
    assert_eq!(
        mint(&app, &stranger, None).await.0,
        200,
        "another user's session is untouched"
    );
    let missing = "/api/v1/me/sessions/sess_nope";
    assert_eq!(
        api(&app, reqwest::Method::DELETE, missing, &laptop_token)
            .await
            .0,
        404
    );

    let path = format!("/api/v1/me/sessions/{phone_sid}");
    assert_eq!(
        api(&app, reqwest::Method::DELETE, &path, &laptop_token)
            .await
            .0,
        204
    );
    let (status, body) = api(&app, reqwest::Method::GET, "/api/v1/me", &phone_token).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_revoked")),
        "at once"
    );
    assert_eq!(mint(&app, &phone, None).await.0, 401);
    let (_, body) = api(
        &app,
        reqwest::Method::GET,
        "/api/v1/me/sessions",
        &laptop_token,
    )
    .await;
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        api(&app, reqwest::Method::GET, "/api/v1/me", &laptop_token)
            .await
            .0,
        200
    );
}
