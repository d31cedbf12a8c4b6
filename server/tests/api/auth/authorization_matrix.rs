//! Every route × {anonymous, member, premium, admin, a member sending another user's ids} → the expected status.
//! The routes come from the router itself (`t2m_server::routes` for REST, Leptos' route list for pages), so a
//! route added without a row here, or with an access level its answers contradict, fails this test.

use super::matrix_personas::{fill, Cast, Persona, PERSONAS};
use crate::helpers::{spawn_app_with, Backend, TestApp};
use app::domain::access::{access_for, Access};
use reqwest::Method;
use std::collections::BTreeSet;

/// What a row's request carries.
#[derive(Clone, Copy)]
enum Body {
    Empty,
    /// A valid generation request.
    Generate,
    /// `{}` as JSON.
    EmptyJson,
    /// An empty form (the provider's endpoints are form posts).
    EmptyForm,
    /// A one-pixel PNG as multipart field `file`.
    Png,
    /// A valid rename of a job (`title`) or a file (`name`).
    Rename,
    /// A valid two-prompt batch.
    Batch,
}

/// `(method, path as routed, body, statuses for PERSONAS in order)`; `ANY` rows are probed with GET.
type Row = (&'static str, &'static str, Body, [u16; 5]);

/// REST rows, in the order they are played: those that change or end what later rows need come last.
const REST: &[Row] = &[
    (
        "GET",
        "/api/system/health",
        Body::Empty,
        [200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/auth/health",
        Body::Empty,
        [200, 200, 200, 200, 200],
    ),
    ("GET", "/livez", Body::Empty, [200, 200, 200, 200, 200]),
    ("GET", "/readyz", Body::Empty, [200, 200, 200, 200, 200]),
    // Public while T2M_METRICS_TOKEN is unset (as here); `tests/api/metrics.rs` covers the token.
    ("GET", "/metrics", Body::Empty, [200, 200, 200, 200, 200]),
    (
        "ANY",
        "/api/{*rest}",
        Body::Empty,
        [404, 404, 404, 404, 404],
    ),
    ("GET", "/api/v1/me", Body::Empty, [401, 200, 200, 200, 200]),
    (
        "GET",
        "/api/v1/me/usage",
        Body::Empty,
        [401, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/me/sessions",
        Body::Empty,
        [401, 200, 200, 200, 200],
    ),
    (
        "PATCH",
        "/api/v1/me",
        Body::EmptyJson,
        [401, 200, 200, 200, 200],
    ),
    // No password in the body: refused before anything is deleted.
    (
        "DELETE",
        "/api/v1/me",
        Body::Empty,
        [401, 400, 400, 400, 400],
    ),
    (
        "GET",
        "/api/v1/me/export",
        Body::Empty,
        [401, 200, 200, 200, 200],
    ),
    // No picture yet.
    (
        "GET",
        "/api/v1/me/avatar",
        Body::Empty,
        [401, 404, 404, 404, 404],
    ),
    (
        "POST",
        "/api/v1/me/avatar",
        Body::Png,
        [401, 201, 201, 201, 201],
    ),
    // No new password in the body.
    (
        "POST",
        "/api/v1/me/password",
        Body::EmptyJson,
        [401, 400, 400, 400, 400],
    ),
    // Each persona holds one session, so "sign out everywhere else" ends nothing they need.
    (
        "DELETE",
        "/api/v1/me/sessions",
        Body::Empty,
        [401, 204, 204, 204, 204],
    ),
    (
        "GET",
        "/api/v1/admin/users",
        Body::Empty,
        [401, 403, 403, 200, 403],
    ),
    // The id filled in is a file's, not a user's: the admin is told it does not exist.
    (
        "PATCH",
        "/api/v1/admin/users/{id}",
        Body::EmptyJson,
        [401, 403, 403, 404, 403],
    ),
    (
        "POST",
        "/api/v1/videos/generate",
        Body::Generate,
        [401, 202, 202, 202, 202],
    ),
    (
        "POST",
        "/api/webhooks/clerk",
        Body::EmptyJson,
        [404, 404, 404, 404, 404],
    ),
    (
        "GET",
        "/api/v1/jobs",
        Body::Empty,
        [401, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/jobs/{id}",
        Body::Empty,
        [401, 200, 200, 200, 404],
    ),
    (
        "GET",
        "/api/status/{id}",
        Body::Empty,
        [401, 200, 200, 200, 404],
    ),
    // The job is queued (no workers run here), so its stream stays open: the status line is what counts.
    (
        "GET",
        "/api/v1/jobs/{id}/events",
        Body::Empty,
        [401, 200, 200, 200, 404],
    ),
    (
        "GET",
        "/api/v1/jobs/events",
        Body::Empty,
        [401, 200, 200, 200, 200],
    ),
    // Premium: the free member is refused naming the tier; the member has no batch, so theirs is a file id.
    (
        "POST",
        "/api/v1/batches",
        Body::Batch,
        [401, 403, 202, 202, 403],
    ),
    (
        "GET",
        "/api/v1/batches/{id}",
        Body::Empty,
        [401, 404, 200, 200, 404],
    ),
    (
        "PATCH",
        "/api/v1/jobs/{id}",
        Body::Rename,
        [401, 200, 200, 200, 404],
    ),
    (
        "GET",
        "/api/v1/files",
        Body::Empty,
        [401, 200, 200, 200, 200],
    ),
    (
        "PATCH",
        "/api/v1/files/{id}",
        Body::Rename,
        [401, 200, 200, 200, 404],
    ),
    (
        "GET",
        "/api/v1/files/{id}",
        Body::Empty,
        [401, 200, 200, 200, 404],
    ),
    (
        "POST",
        "/api/v1/files/upload",
        Body::Png,
        [401, 201, 201, 201, 201],
    ),
    (
        "POST",
        "/api/v1/files/{id}/signed-url",
        Body::EmptyJson,
        [401, 200, 200, 200, 404],
    ),
    // The jobs are still queued (no workers run here): no video yet, for anyone.
    (
        "POST",
        "/api/v1/videos/{job_id}/signed-url",
        Body::EmptyJson,
        [401, 404, 404, 404, 404],
    ),
    // Still queued, so nothing to share yet: 409 `video_not_ready` for owners, 404 for someone else's job.
    (
        "POST",
        "/api/v1/videos/{job_id}/shares",
        Body::EmptyJson,
        [401, 409, 409, 409, 404],
    ),
    (
        "GET",
        "/api/v1/shares",
        Body::Empty,
        [401, 200, 200, 200, 200],
    ),
    // No links exist (nothing could be shared), so every id is unknown.
    (
        "DELETE",
        "/api/v1/shares/{id}",
        Body::Empty,
        [401, 404, 404, 404, 404],
    ),
    (
        "GET",
        "/api/files/secure/{file_id}",
        Body::Empty,
        [400, 400, 400, 400, 400],
    ),
    (
        "GET",
        "/.well-known/jwks.json",
        Body::Empty,
        [200, 200, 200, 200, 200],
    ),
    ("GET", "/v1/jwks", Body::Empty, [200, 200, 200, 200, 200]),
    ("GET", "/v1/client", Body::Empty, [200, 200, 200, 200, 200]),
    (
        "GET",
        "/v1/client/handshake",
        Body::Empty,
        [307, 307, 307, 307, 307],
    ),
    (
        "POST",
        "/v1/client/sign_ins",
        Body::EmptyForm,
        [422, 422, 422, 422, 422],
    ),
    (
        "POST",
        "/v1/client/sign_ups",
        Body::EmptyForm,
        [422, 422, 422, 422, 422],
    ),
    // The same answer for any email, known or not (here: none).
    (
        "POST",
        "/v1/client/password_resets",
        Body::EmptyForm,
        [202, 202, 202, 202, 202],
    ),
    (
        "POST",
        "/v1/client/password_resets/complete",
        Body::EmptyForm,
        [400, 400, 400, 400, 400],
    ),
    (
        "POST",
        "/v1/client/sessions/{sid}/tokens",
        Body::Empty,
        [401, 200, 200, 200, 404],
    ),
    (
        "POST",
        "/v1/client/sessions/{sid}/tokens/{template}",
        Body::Empty,
        [401, 200, 200, 200, 404],
    ),
    // The provider's Backend API: no caller here holds its secret key (`auth/local_backend_api.rs` does).
    (
        "GET",
        "/v1/users/{id}",
        Body::Empty,
        [401, 401, 401, 401, 401],
    ),
    (
        "PATCH",
        "/v1/users/{id}/metadata",
        Body::EmptyJson,
        [401, 401, 401, 401, 401],
    ),
    (
        "DELETE",
        "/v1/users/{id}",
        Body::Empty,
        [401, 401, 401, 401, 401],
    ),
    (
        "GET",
        "/v1/sessions/{id}",
        Body::Empty,
        [401, 401, 401, 401, 401],
    ),
    (
        "POST",
        "/v1/sessions/{id}/revoke",
        Body::Empty,
        [401, 401, 401, 401, 401],
    ),
    (
        "POST",
        "/api/v1/jobs/{id}/cancel",
        Body::Empty,
        [401, 200, 200, 200, 404],
    ),
    (
        "DELETE",
        "/api/v1/jobs/{id}",
        Body::Empty,
        [401, 204, 204, 204, 404],
    ),
    (
        "DELETE",
        "/api/v1/files/{id}",
        Body::Empty,
        [401, 200, 200, 200, 404],
    ),
    (
        "POST",
        "/api/v1/batches/{id}/cancel",
        Body::Empty,
        [401, 404, 200, 200, 404],
    ),
    // Owners revoke their own session, so the stranger (the member) arrives already signed out: 401. Another
    // user's session id answering 404 is covered in `auth/sessions.rs`.
    (
        "DELETE",
        "/api/v1/me/sessions/{sid}",
        Body::Empty,
        [401, 204, 204, 204, 401],
    ),
    (
        "POST",
        "/v1/client/sessions/{sid}/end",
        Body::Empty,
        [200, 200, 200, 200, 200],
    ),
];

/// Page rows (`GET`), paths as Leptos lists them.
const PAGES: &[(&str, [u16; 5])] = &[
    ("/", [200, 303, 303, 303, 303]),
    ("/pricing", [200, 200, 200, 200, 200]),
    ("/about", [200, 200, 200, 200, 200]),
    ("/contact", [200, 200, 200, 200, 200]),
    ("/legal/privacy", [200, 200, 200, 200, 200]),
    ("/legal/terms", [200, 200, 200, 200, 200]),
    ("/sign-in", [200, 303, 303, 303, 303]),
    ("/sign-up", [200, 303, 303, 303, 303]),
    ("/forgot-password", [200, 200, 200, 200, 200]),
    ("/reset-password", [200, 200, 200, 200, 200]),
    ("/dashboard", [303, 200, 200, 200, 200]),
    ("/profile", [303, 200, 200, 200, 200]),
    ("/files", [303, 200, 200, 200, 200]),
    // Another user's video renders the not-found page with its 404 status, never the video.
    ("/videos/:id", [303, 200, 200, 200, 404]),
    ("/onboarding", [303, 200, 200, 200, 200]),
    ("/generate", [303, 200, 200, 200, 200]),
    ("/jobs", [303, 200, 200, 200, 200]),
    ("/videos", [303, 200, 200, 200, 200]),
    // A share link's page is public; this token is not one, so everyone gets the 404 page.
    ("/s/{token}", [404, 404, 404, 404, 404]),
    ("/admin", [303, 403, 403, 200, 403]),
    ("/admin/users", [303, 403, 403, 200, 403]),
    ("/admin/system", [303, 403, 403, 200, 403]),
    ("/admin/analytics", [303, 403, 403, 200, 403]),
    ("/premium/advanced-generation", [303, 403, 200, 200, 403]),
    ("/premium/batch-processing", [303, 403, 200, 200, 403]),
    ("/premium/priority-queue", [303, 403, 200, 200, 403]),
];

/// What an access level promises, whatever the row says: the row must not contradict it.
fn contradicts(access: Access, page: bool, statuses: [u16; 5]) -> Option<&'static str> {
    let [anonymous, member, premium, admin, _] = statuses;
    let refused = if page { 303 } else { 401 };
    let ok = |s: u16| (200..400).contains(&s) || (!page && s == 404);
    match access {
        Access::SignedIn if anonymous != refused => Some("a visitor is let in"),
        Access::Admin if anonymous != refused || member != 403 || premium != 403 || !ok(admin) => {
            Some("admin-only, but not answered as such")
        }
        Access::Premium if anonymous != refused || member != 403 || !ok(premium) || !ok(admin) => {
            Some("premium-only, but not answered as such")
        }
        _ => None,
    }
}

/// `(method, path)` of every REST endpoint the router mounts, with its declared access level.
fn mounted() -> Vec<(String, &'static str, Access)> {
    t2m_server::routes::endpoints()
        .into_iter()
        .chain(t2m_server::routes::upload_endpoints())
        .chain(t2m_server::routes::stream_endpoints())
        .map(|e| {
            (
                e.method.map_or("ANY".to_owned(), |m| m.to_string()),
                e.path,
                e.access,
            )
        })
        .collect()
}

async fn play(
    app: &TestApp,
    cast: &Cast,
    method: &str,
    path: &str,
    body: Body,
    persona: Persona,
) -> u16 {
    let (caller, owner) = cast.roles(persona);
    let url = app.url(&fill(path, owner.expect("ids come from someone")));
    let method = if method == "ANY" {
        Method::GET
    } else {
        method.parse().unwrap()
    };
    let client = caller.map_or(&cast.anonymous, |account| &account.client);
    let mut request = client.request(method, url).header("origin", &app.address);
    if let (Some(account), true) = (caller, path.starts_with("/api/")) {
        request = request.bearer_auth(&account.token);
    }
    request = match body {
        Body::Empty => request,
        Body::Generate => {
            request.json(&serde_json::json!({"prompt": "a blue square", "duration": 1}))
        }
        Body::EmptyJson => request.json(&serde_json::json!({})),
        Body::Batch => request.json(
            &serde_json::json!({"prompts": ["a red circle", "a blue square"], "duration": 1}),
        ),
        Body::EmptyForm => request.form(&[("email", "")]),
        Body::Rename => {
            request.json(&serde_json::json!({"title": "Renamed", "name": "renamed.png"}))
        }
        Body::Png => request.multipart(
            reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())
                    .file_name("dot.png")
                    .mime_str("image/png")
                    .unwrap(),
            ),
        ),
    };
    let mut res = request.send().await.unwrap();
    // A page load whose session token is missing takes the handshake's 307s first, as a browser would.
    let mut hops = 0;
    while res.status() == 307 && !path.starts_with("/v1/") && hops < 4 {
        let to = res.headers()["location"].to_str().unwrap().to_owned();
        let next = res.url().join(&to).unwrap();
        res = client.get(next).send().await.unwrap();
        hops += 1;
    }
    res.status().as_u16()
}

// A Tokio runtime: walking Leptos' route list needs one (and a panic there would poison it for every test).
#[tokio::test]
async fn every_route_is_mounted_from_the_route_table_and_declares_the_access_its_path_has() {
    let router = include_str!("../../../src/router.rs");
    assert!(
        !router.contains(".route("),
        "router.rs mounts a route directly; add it to server/src/routes.rs (and a row to this matrix)"
    );
    for (method, path, access) in mounted() {
        assert_eq!(
            access,
            access_for(path),
            "{method} {path} declares {access:?}"
        );
    }
    let listed: BTreeSet<(String, &str)> = mounted().into_iter().map(|(m, p, _)| (m, p)).collect();
    let rows: BTreeSet<(String, &str)> = REST
        .iter()
        .map(|(m, p, ..)| ((*m).to_owned(), *p))
        .collect();
    assert_eq!(
        listed, rows,
        "REST routes and matrix rows differ: every route needs exactly one row"
    );
    let pages: BTreeSet<String> = t2m_server::router::page_paths().into_iter().collect();
    let page_rows: BTreeSet<String> = PAGES
        .iter()
        .map(|(p, _)| p.replace(":id", "{id}"))
        .collect();
    let pages: BTreeSet<String> = pages
        .into_iter()
        .map(|p| p.replace(":id", "{id}"))
        .collect();
    assert_eq!(
        pages, page_rows,
        "pages and matrix rows differ: every page needs exactly one row"
    );
    for (method, path, _, statuses) in REST {
        assert_eq!(
            contradicts(access_for(path), false, *statuses),
            None,
            "{method} {path}"
        );
    }
    for (path, statuses) in PAGES {
        assert_eq!(
            contradicts(access_for(path), true, *statuses),
            None,
            "{path}"
        );
    }
}

#[tokio::test]
async fn every_route_answers_each_kind_of_caller_as_its_access_level_says() {
    let app = spawn_app_with(
        Backend::Suite,
        &[("T2M_WORKERS", "0"), ("T2M_SESSION_TOKEN_TTL_SECS", "900")],
    )
    .await;
    let cast = Cast::new(&app).await;
    let mut wrong = Vec::new();
    // Pages first: the REST rows end with the sessions the pages are judged by.
    for (path, expected) in PAGES {
        let mut got = [0u16; 5];
        for (i, persona) in PERSONAS.into_iter().enumerate() {
            got[i] = play(&app, &cast, "GET", path, Body::Empty, persona).await;
        }
        if got != *expected {
            wrong.push(format!("(\"{path}\", {got:?}), // expected {expected:?}"));
        }
    }
    for (method, path, body, expected) in REST {
        let mut got = [0u16; 5];
        for (i, persona) in PERSONAS.into_iter().enumerate() {
            got[i] = play(&app, &cast, method, path, *body, persona).await;
        }
        if got != *expected {
            wrong.push(format!(
                "(\"{method}\", \"{path}\", {got:?}), // expected {expected:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "answers differ from the matrix:\n{}",
        wrong.join("\n")
    );
}
