//! Profile editing with the built-in provider: names and a picture (PNG, JPEG or WebP, at most 2 MB).

use super::{call, png, sign_up, token};
use crate::helpers::{spawn_app, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn post_avatar(app: &TestApp, token: &str, bytes: Vec<u8>, mime: &str) -> (u16, Value) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes)
            .file_name("me")
            .mime_str(mime)
            .unwrap(),
    );
    let res = app
        .client
        .post(app.url("/api/v1/me/avatar"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or_default())
}

#[tokio::test]
async fn names_can_be_changed_and_are_bounded() {
    let app = spawn_app().await;
    let bearer = token(&app, &sign_up(&app, "names@example.com").await).await;
    let (status, body) = call(
        &app,
        Method::PATCH,
        "/api/v1/me",
        &bearer,
        Some(json!({"first_name": " Grace ", "last_name": "Hopper"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["display_name"], "Grace Hopper");
    let stored = app::services::users::repo::find_by_email(&app.state.db, "names@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.first_name.as_deref(), stored.last_name.as_deref()),
        (Some("Grace"), Some("Hopper"))
    );
    let (status, body) = call(
        &app,
        Method::PATCH,
        "/api/v1/me",
        &bearer,
        Some(json!({"first_name": "x".repeat(81)})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_name")),
        "{body}"
    );
}

#[tokio::test]
async fn a_picture_is_stored_shown_and_replaced_and_other_types_or_sizes_are_refused() {
    let app = spawn_app().await;
    let bearer = token(&app, &sign_up(&app, "face@example.com").await).await;
    let res = app
        .client
        .get(app.url("/api/v1/me/avatar"))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404, "no picture yet");

    let (status, body) = post_avatar(&app, &bearer, b"just some text".to_vec(), "image/png").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (415, Some("unsupported_media_type")),
        "{body}"
    );
    let gif = b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;".to_vec();
    let (status, body) = post_avatar(&app, &bearer, gif, "image/gif").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (415, Some("unsupported_media_type")),
        "{body}"
    );
    let mut huge = png();
    huge.resize(2 * 1024 * 1024 + 1, 0);
    let (status, body) = post_avatar(&app, &bearer, huge, "image/png").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (413, Some("payload_too_large")),
        "{body}"
    );

    let (status, first) = post_avatar(&app, &bearer, png(), "image/png").await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["data"]["kind"], "avatar");
    let (status, second) = post_avatar(&app, &bearer, png(), "image/png").await;
    assert_eq!(status, 201, "{second}");
    let res = app
        .client
        .get(app.url("/api/v1/me/avatar"))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to.contains(second["data"]["id"].as_str().unwrap()),
        "the newest picture: {to}"
    );
    let image = reqwest::get(&to).await.unwrap();
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.bytes().await.unwrap().to_vec(), png());
    let (_, files) = call(
        &app,
        Method::GET,
        "/api/v1/files?kind=avatar",
        &bearer,
        None,
    )
    .await;
    let _ = files;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM files WHERE kind = 'avatar'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 1, "a new picture replaces the old one");
}

#[tokio::test]
async fn onboarding_is_shown_once_then_sends_people_to_their_dashboard() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/v1/client/sign_ups"))
        .header("origin", &app.address)
        .form(&[("email", "new@example.com"), ("password", super::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["location"],
        "/onboarding",
        "new sign-ups land on onboarding"
    );
    let page = app.get("/onboarding").await;
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("data-testid=\"onboarding\""));
    let id = super::user_id(&app, "new@example.com").await;
    let row = app::services::users::repo::find(&app.state.db, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.onboarded, 0);
    app::services::users::repo::mark_onboarded(&app.state.db, &id)
        .await
        .unwrap();
    let again = app.get("/onboarding").await;
    assert_eq!(again.status(), 303, "onboarded users skip it");
    assert_eq!(again.headers()["location"], "/dashboard");
}
