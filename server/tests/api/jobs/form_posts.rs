//! The generator as a plain HTML form (no JavaScript): posts to the server function are answered with
//! redirects — to the job's page, back with the error, or back through the page when the session token lapsed —
//! never with a bare JSON error; the same call from the browser's client keeps its JSON 401.

use crate::auth::local_provider::{client, sign_up};
use crate::helpers::{spawn_app, spawn_app_with, Backend, TestApp};
use serde_json::Value;

/// The server function's path (its name plus a hash the macro adds).
const GENERATE: &str = <app::server_fns::jobs::GenerateVideo as leptos::server_fn::ServerFn>::PATH;
const HTML: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

async fn form_post(
    app: &TestApp,
    http: &reqwest::Client,
    form: &[(&str, &str)],
) -> reqwest::Response {
    http.post(app.url(GENERATE))
        .header("origin", &app.address)
        .header("accept", HTML)
        .header("referer", app.url("/generate"))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// Signs up and loads a page, as a person does: the page load's handshake sets the `__session` cookie.
async fn signed_in(app: &TestApp, email: &str) {
    sign_up(app, email, "correct horse battery", false).await;
    assert_eq!(app.get("/generate").await.status(), 200);
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_plain_form_post_starts_the_job_and_lands_on_its_server_rendered_page() {
    let app = spawn_app().await;
    signed_in(&app, "form@example.com").await;
    let res = form_post(
        &app,
        &app.client,
        &[
            ("prompt", "A red circle drifts."),
            ("duration", "2"),
            ("quality", "480p"),
        ],
    )
    .await;
    assert_eq!(res.status(), 302);
    let target = location(&res);
    let id = target
        .strip_prefix("/generate?job=")
        .expect(&target)
        .to_owned();

    let page = app.get(&target).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(r#"data-testid="job-panel""#),
        "the job is in the HTML itself"
    );
    assert!(
        !html.contains("<template"),
        "nothing waits for a streaming script"
    );

    let job: Value = app
        .get(&format!("/api/status/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(job["data"]["prompt"], "A red circle drifts.");
}

#[tokio::test]
async fn a_refused_form_post_goes_back_with_the_error_shown_by_the_page() {
    let app = spawn_app().await;
    signed_in(&app, "refused@example.com").await;
    let res = form_post(&app, &app.client, &[("prompt", "   "), ("duration", "2")]).await;
    assert_eq!(res.status(), 302);
    let target = location(&res);
    assert!(
        target.starts_with(&app.url("/generate?")) && target.contains("__err="),
        "{target}"
    );
    let html = app
        .client
        .get(&target)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"data-code="invalid_prompt""#),
        "the notice names the code"
    );
}

#[tokio::test]
async fn a_form_post_with_a_lapsed_session_token_goes_back_through_its_page() {
    let app = spawn_app_with(
        Backend::Suite,
        &[
            ("T2M_SESSION_TOKEN_TTL_SECS", "1"),
            ("CLERK_CLOCK_LEEWAY_SECS", "0"),
        ],
    )
    .await;
    sign_up(&app, "lapsed@example.com", "correct horse battery", false).await;
    let sid = client(&app).await["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let minted: Value = app
        .client
        .post(app.url(&format!("/v1/client/sessions/{sid}/tokens")))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = minted["jwt"].as_str().unwrap().to_owned();
    tokio::time::sleep(std::time::Duration::from_millis(2_200)).await;

    let stale = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers({
            let mut h = reqwest::header::HeaderMap::new();
            h.insert("cookie", format!("__session={token}").parse().unwrap());
            h
        })
        .build()
        .unwrap();
    let form = [("prompt", "A red circle drifts."), ("duration", "2")];
    let res = form_post(&app, &stale, &form).await;
    assert_eq!(
        res.status(),
        302,
        "no bare 401 for a person without JavaScript"
    );
    assert_eq!(location(&res), "/generate");

    // The browser's server-function client asks for JSON: it gets the 401 that tells it to refresh and retry.
    let res = stale
        .post(app.url(GENERATE))
        .header("origin", &app.address)
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "token_expired");
    assert_eq!(body["requires_refresh"], true);
}

#[tokio::test]
async fn a_cross_site_form_post_is_refused() {
    let app = spawn_app().await;
    signed_in(&app, "xsite@example.com").await;
    let res = app
        .client
        .post(app.url(GENERATE))
        .header("origin", "https://evil.io")
        .header("accept", HTML)
        .form(&[("prompt", "A red circle drifts.")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let jobs: Value = app.get("/api/v1/jobs").await.json().await.unwrap();
    assert_eq!(
        jobs["data"]["items"].as_array().unwrap().len(),
        0,
        "nothing was started"
    );
}
