//! The account: password change and reset, profile, export and deletion (`/api/v1/me`, the built-in
//! provider's reset forms, Clerk's Backend API for deletion in Clerk mode).

mod clerk_delete;
mod delete;
mod export;
mod password;
mod profile;
mod reset;

use crate::helpers::TestApp;
use serde_json::Value;

pub const PASSWORD: &str = "correct horse battery";

/// A browser signed in through the built-in provider: its `__client` cookie and session id.
pub struct Browser {
    pub cookie: String,
    pub sid: String,
}

fn plain_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn client_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("__client="))
        .and_then(|v| v.split(';').next())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

async fn browser_for(app: &TestApp, cookie: String) -> Browser {
    let client: Value = plain_client()
        .get(app.url("/v1/client"))
        .header("cookie", format!("__client={cookie}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sid = client["session"]["id"]
        .as_str()
        .expect("signed in")
        .to_owned();
    Browser { cookie, sid }
}

/// Signs a new account up with [`PASSWORD`].
pub async fn sign_up(app: &TestApp, email: &str) -> Browser {
    let res = plain_client()
        .post(app.url("/v1/client/sign_ups"))
        .header("origin", &app.address)
        .form(&[
            ("email", email),
            ("password", PASSWORD),
            ("first_name", "Ada"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{email} signs up");
    browser_for(app, client_cookie(&res).expect("a __client cookie")).await
}

/// Signs in from a fresh browser; `None` when refused.
pub async fn sign_in(app: &TestApp, email: &str, password: &str) -> Option<Browser> {
    let res = plain_client()
        .post(app.url("/v1/client/sign_ins"))
        .header("origin", &app.address)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    match client_cookie(&res) {
        Some(cookie) => Some(browser_for(app, cookie).await),
        None => None,
    }
}

/// Mints a `t2m-api` token for the browser's session: `(status, body)`.
pub async fn mint(app: &TestApp, browser: &Browser) -> (u16, Value) {
    let res = plain_client()
        .post(app.url(&format!(
            "/v1/client/sessions/{}/tokens/t2m-api",
            browser.sid
        )))
        .header("origin", &app.address)
        .header("cookie", format!("__client={}", browser.cookie))
        .send()
        .await
        .unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

/// A fresh `t2m-api` token; the session must still be live.
pub async fn token(app: &TestApp, browser: &Browser) -> String {
    let (status, body) = mint(app, browser).await;
    assert_eq!(status, 200, "{body}");
    body["jwt"].as_str().unwrap().to_owned()
}

/// A JSON request with a bearer token: `(status, body)`.
pub async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = plain_client()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

/// Uploads `bytes` as a file of the caller's; returns its id.
pub async fn upload(app: &TestApp, token: &str, bytes: Vec<u8>, name: &str, mime: &str) -> String {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(mime)
            .unwrap(),
    );
    let res = plain_client()
        .post(app.url("/api/v1/files/upload"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    body["data"]["id"].as_str().unwrap().to_owned()
}

/// A one-pixel PNG.
pub fn png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\x04\0\x09\xfb\x03\xfd\xe3U\xf2\x9c\0\0\0\0IEND\xaeB`\x82".to_vec()
}

/// Rows of `table` belonging to `user_id`.
pub async fn rows(app: &TestApp, table: &str, user_id: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table} WHERE user_id = $1"))
        .bind(user_id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    n
}

/// The id of the account with `email`.
pub async fn user_id(app: &TestApp, email: &str) -> String {
    app::services::users::repo::find_by_email(&app.state.db, email)
        .await
        .unwrap()
        .expect("the account exists")
        .id
}
