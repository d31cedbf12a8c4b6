//! CSRF over real HTTP: exact origins only, cookies need proof of origin, bearer clients may omit it.

use super::local_provider::{client, sign_up};
use crate::helpers::spawn_app;
use serde_json::Value;

#[tokio::test]
async fn cross_site_and_lookalike_origins_are_refused() {
    let app = spawn_app().await;
    sign_up(&app, "csrf@example.com", "correct horse battery", false).await;
    let sid = client(&app).await["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = app.url(&format!("/v1/client/sessions/{sid}/end"));
    let lookalike = format!("{}.evil.io", app.address);
    for origin in ["https://evil.io", lookalike.as_str(), "null"] {
        let res = app
            .client
            .post(&url)
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{origin}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "csrf_rejected");
    }
    let res = app.client.post(&url).send().await.unwrap();
    assert_eq!(
        res.status(),
        403,
        "a cookie without Origin or Sec-Fetch-Site is refused"
    );
    assert_eq!(
        client(&app).await["signed_in"],
        true,
        "nothing was changed by refused requests"
    );
    let res = app
        .client
        .post(&url)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn server_functions_are_covered_too() {
    let app = spawn_app().await;
    sign_up(&app, "sf@example.com", "correct horse battery", false).await;
    let res = app
        .client
        .post(app.url("/api/complete_onboarding"))
        .header("origin", "https://evil.io")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn bearer_clients_without_origin_pass_the_csrf_check() {
    let app = spawn_app().await;
    let res = reqwest::Client::new()
        .post(app.url("/v1/client/sessions/none/end"))
        .bearer_auth("anything")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}
