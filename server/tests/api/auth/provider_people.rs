//! People signed up on a built-in provider, and what tests ask of its Backend API with its secret key.

use crate::helpers::TestApp;
use serde_json::Value;

pub const PASSWORD: &str = "correct horse battery";

/// A browser signed in on a provider: its cookie jar, user id and session id.
pub struct Person {
    pub client: reqwest::Client,
    pub user_id: String,
    pub session_id: String,
}

impl Person {
    /// Signs `email` up on `provider`.
    pub async fn sign_up(provider: &TestApp, email: &str) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        let res = client
            .post(provider.url("/v1/client/sign_ups"))
            .header("origin", &provider.address)
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{email} signs up");
        let me: Value = client
            .get(provider.url("/v1/client"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Self {
            client,
            user_id: me["session"]["user"]["id"].as_str().unwrap().to_owned(),
            session_id: me["session"]["id"].as_str().unwrap().to_owned(),
        }
    }

    /// Asks the provider for a `t2m-api` token: `Ok(jwt)` or `Err(status)`.
    pub async fn token(&self, provider: &TestApp) -> Result<String, u16> {
        let res = self
            .client
            .post(provider.url(&format!(
                "/v1/client/sessions/{}/tokens/t2m-api",
                self.session_id
            )))
            .header("origin", &provider.address)
            .send()
            .await
            .unwrap();
        if res.status() != 200 {
            return Err(res.status().as_u16());
        }
        let body: Value = res.json().await.unwrap();
        Ok(body["jwt"].as_str().unwrap().to_owned())
    }
}

/// The provider's Backend API secret key, as written into its data directory.
pub fn secret_key(provider: &TestApp) -> String {
    std::fs::read_to_string(provider.data_dir.path().join("keys/backend-secret-key"))
        .unwrap()
        .trim()
        .to_owned()
}

/// One Backend API call with `key`: status and JSON body.
pub async fn backend(
    provider: &TestApp,
    method: reqwest::Method,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method, provider.url(path));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let res = request.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The claims of a JWT (not verified: the servers under test do that).
pub fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
