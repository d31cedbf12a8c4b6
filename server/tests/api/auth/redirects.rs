//! `redirect_url` after sign-in is followed only when a browser would land on this app's origin.

use super::local_provider::sign_up;
use crate::helpers::{spawn_app, TestApp};

/// Targets a naive prefix check lets through but a browser reads as another host or scheme.
const OFF_SITE: &[&str] = &[
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\r\n/evil.example",
    "/.//evil.example",
    "https://evil.example",
    "https:evil.example/x",
    "javascript:alert(1)",
];

/// Paths that stay on this origin however they are written; encoded separators remain path bytes.
const ON_SITE: &[&str] = &[
    "/%09/x",
    "/%0d%0a/x",
    "/%2F%2Fx",
    "http:x",
    "/jobs?status=failed&page=2",
];

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

/// Where a browser goes with this `Location`, resolved the WHATWG way against the app.
fn landing_origin(app: &TestApp, location: &str) -> String {
    let base = url::Url::parse(&app.address).unwrap();
    base.join(location).unwrap().origin().ascii_serialization()
}

fn query_value(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes()).collect()
}

#[tokio::test]
async fn sign_in_page_links_never_send_a_signed_in_user_off_site() {
    let app = spawn_app().await;
    sign_up(&app, "links@example.com", "correct horse battery", false).await;
    for target in OFF_SITE {
        let res = app
            .get(&format!("/sign-in?redirect_url={}", query_value(target)))
            .await;
        assert_eq!(res.status(), 303, "{target:?}");
        assert_eq!(location(&res), "/dashboard", "{target:?}");
    }
    for target in ON_SITE {
        let res = app
            .get(&format!("/sign-in?redirect_url={}", query_value(target)))
            .await;
        let to = location(&res);
        assert_eq!(
            landing_origin(&app, &to),
            landing_origin(&app, "/"),
            "{target:?} → {to}"
        );
        assert!(
            to.starts_with('/') && !to.starts_with("//"),
            "{target:?} → {to}"
        );
    }
    let res = app
        .get("/sign-in?redirect_url=%2Fjobs%3Fstatus%3Dfailed")
        .await;
    assert_eq!(location(&res), "/jobs?status=failed");
}

#[tokio::test]
async fn the_sign_in_forms_hidden_redirect_field_never_leaves_the_origin() {
    let app = spawn_app().await;
    sign_up(&app, "form@example.com", "correct horse battery", false).await;
    let fresh = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // Few posts, so the sign-in throttle is not what answers.
    for (target, expected) in [
        ("/\t/evil.example", "/dashboard"),
        ("/\\evil.example", "/dashboard"),
        ("/.//evil.example", "/dashboard"),
        ("/videos?page=2", "/videos?page=2"),
    ] {
        let res = fresh
            .post(app.url("/v1/client/sign_ins"))
            .header("origin", &app.address)
            .form(&[
                ("email", "form@example.com"),
                ("password", "correct horse battery"),
                ("redirect_url", target),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{target:?}");
        assert_eq!(location(&res), expected, "{target:?}");
    }
}
