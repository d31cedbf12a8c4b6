//! The built-in provider (A) signing people in for another app (B, Clerk mode) on another origin, as Clerk's
//! Account Portal and Frontend API do: browsers never share cookies between the two, so B's session cookies
//! only ever arrive through the handshake. A sends browsers back only to the origins in
//! `T2M_LOCAL_REDIRECT_ORIGINS`; B's `APP_URL` is one of them (a name only: the test reaches B at its address).

use super::provider_people::secret_key;
use crate::helpers::{
    client_without_redirects, page_load as page, spawn_app_with, Backend, TestApp,
};
use app::services::auth::handshake::HANDSHAKE_PARAM;
use t2m_server::redirects::urlencode;

/// B's public origin as A and B know it.
const B_ORIGIN: &str = "http://localhost:1";
const PASSWORD: &str = "correct horse battery";

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

/// `name=value` of the cookie `name` a response sets.
fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

async fn provider() -> TestApp {
    spawn_app_with(
        Backend::Suite,
        &[(
            "T2M_LOCAL_REDIRECT_ORIGINS",
            format!("{B_ORIGIN}/").as_str(),
        )],
    )
    .await
}

/// Posts A's sign-up form with `redirect_url`; returns the answer and the `__client` cookie it sets.
async fn sign_up(a: &TestApp, email: &str, redirect_url: &str) -> (reqwest::Response, String) {
    let res = client_without_redirects()
        .post(a.url("/v1/client/sign_ups"))
        .header("origin", &a.address)
        .form(&[
            ("email", email),
            ("password", PASSWORD),
            ("redirect_url", redirect_url),
        ])
        .send()
        .await
        .unwrap();
    let client = set_cookie(&res, "__client").expect("signed in on A");
    (res, client)
}

/// The same path and query on B's real address.
fn on_b(b: &TestApp, url_at_b_origin: &str) -> String {
    let rest = url_at_b_origin
        .strip_prefix(B_ORIGIN)
        .unwrap_or_else(|| panic!("{url_at_b_origin} is not on B"));
    b.url(rest)
}

#[tokio::test]
async fn sign_up_and_sign_in_return_to_a_listed_app_through_the_handshake() {
    let a = provider().await;
    let back = format!("{B_ORIGIN}/onboarding?step=1");
    let (res, client) = sign_up(&a, "ada@example.com", &back).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        location(&res),
        format!("/v1/client/handshake?redirect_url={}", urlencode(&back))
    );
    let handshake = page(&a.url(&location(&res)), &client).await;
    assert_eq!(handshake.status(), 307);
    assert!(
        location(&handshake).starts_with(&format!("{back}&{HANDSHAKE_PARAM}=")),
        "{}",
        location(&handshake)
    );

    let res = client_without_redirects()
        .post(a.url("/v1/client/sign_ins"))
        .header("origin", &a.address)
        .form(&[
            ("email", "ada@example.com"),
            ("password", PASSWORD),
            ("redirect_url", &format!("{B_ORIGIN}/videos")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        location(&res),
        format!(
            "/v1/client/handshake?redirect_url={}",
            urlencode(&format!("{B_ORIGIN}/videos"))
        )
    );
}

#[tokio::test]
async fn a_signed_in_visitor_of_the_hosted_pages_goes_straight_back_to_the_app() {
    let a = provider().await;
    let res = a
        .client
        .post(a.url("/v1/client/sign_ups"))
        .header("origin", &a.address)
        .form(&[("email", "cy@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/onboarding");
    let back = format!("{B_ORIGIN}/library");
    let res = a
        .get(&format!("/sign-in?redirect_url={}", urlencode(&back)))
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        location(&res),
        format!("/v1/client/handshake?redirect_url={}", urlencode(&back))
    );
}

#[tokio::test]
async fn unlisted_origins_fall_back_to_the_providers_own_pages() {
    let a = provider().await;
    let (res, client) = sign_up(&a, "eve@example.com", "http://localhost:2/onboarding").await;
    assert_eq!(location(&res), "/onboarding");
    let handshake = page(
        &a.url(&format!(
            "/v1/client/handshake?redirect_url={}",
            urlencode("http://evil@localhost:1/x")
        )),
        &client,
    )
    .await;
    assert!(
        location(&handshake).starts_with(&a.url(&format!("/?{HANDSHAKE_PARAM}="))),
        "{}",
        location(&handshake)
    );
}

#[tokio::test]
async fn the_hosted_sign_up_page_keeps_redirect_url_and_may_post_towards_the_app() {
    let a = provider().await;
    let res = page(
        &a.url(&format!(
            "/sign-up?redirect_url={}",
            urlencode(&format!("{B_ORIGIN}/onboarding"))
        )),
        "",
    )
    .await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains(&format!("form-action 'self' {B_ORIGIN};")),
        "a form whose redirect ends on B is not blocked: {csp}"
    );
    let body = res.text().await.unwrap();
    assert!(
        body.contains(r#"name="redirect_url" value="http://localhost:1/onboarding""#),
        "the form posts the way back along"
    );
}

/// The loop the browser journey takes, over plain HTTP: B's `/sign-up` → A's hosted page → sign-up on A → A's
/// handshake → B's page with `__clerk_handshake` → B's cookies → signed in on B; later, with the session gone,
/// B's page load goes to A's handshake and back, never to a sign-in page.
#[tokio::test]
async fn a_clerk_mode_app_on_another_origin_gets_its_session_through_the_handshake() {
    let a = provider().await;
    let b = spawn_app_with(
        Backend::Suite,
        &[
            ("APP_URL", B_ORIGIN),
            ("CLERK_ISSUER", a.address.as_str()),
            ("CLERK_FRONTEND_API", a.address.as_str()),
            ("CLERK_API_URL", a.address.as_str()),
            ("CLERK_SECRET_KEY", secret_key(&a).as_str()),
            ("CLERK_AUTHORIZED_PARTIES", a.address.as_str()),
            ("CLERK_SIGN_IN_URL", a.url("/sign-in").as_str()),
            ("CLERK_SIGN_UP_URL", a.url("/sign-up").as_str()),
        ],
    )
    .await;

    let portal = page(&b.url("/sign-up"), "").await;
    let expected = a.url(&format!(
        "/sign-up?redirect_url={}",
        urlencode(&format!("{B_ORIGIN}/onboarding"))
    ));
    assert_eq!(location(&portal), expected);

    let (res, client) = sign_up(&a, "bo@example.com", &format!("{B_ORIGIN}/onboarding")).await;
    let handshake = page(&a.url(&location(&res)), &client).await;
    let applied = page(&on_b(&b, &location(&handshake)), "").await;
    assert_eq!(applied.status(), 307);
    assert_eq!(location(&applied), "/onboarding");
    let session = set_cookie(&applied, "__session").expect("B sets its own __session");
    let uat = set_cookie(&applied, "__client_uat").expect("and __client_uat");
    assert_ne!(uat, "__client_uat=0");
    let landed = page(&b.url("/onboarding"), &format!("{session}; {uat}")).await;
    assert_eq!(landed.status(), 200, "signed in on B");

    // The session cookie is gone (its Max-Age passed); B's __client_uat still says signed in.
    let stale = page(&b.url("/dashboard"), &uat).await;
    assert_eq!(stale.status(), 307);
    let to_a = location(&stale);
    assert_eq!(
        to_a,
        a.url(&format!(
            "/v1/client/handshake?redirect_url={}",
            urlencode(&format!("{B_ORIGIN}/dashboard"))
        ))
    );
    let back = page(&to_a, &client).await;
    assert!(location(&back).starts_with(&format!("{B_ORIGIN}/dashboard?{HANDSHAKE_PARAM}=")));
    let applied = page(&on_b(&b, &location(&back)), &uat).await;
    let session = set_cookie(&applied, "__session").expect("a fresh __session");
    let dashboard = page(&b.url("/dashboard"), &format!("{session}; {uat}")).await;
    assert_eq!(dashboard.status(), 200);
}
