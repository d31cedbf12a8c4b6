//! `PATCH /api/v1/jobs/{id}` `{title}` and `PATCH /api/v1/files/{id}` `{name}`.

use super::{call, library_app};
use crate::files::support::upload;
use crate::jobs::{queued, token};
use reqwest::Method;
use serde_json::json;

const LONG_PROMPT: &str =
    "A red circle drifts over a calm ocean. Then a golden star rises at sunset and fades away slowly.";

#[tokio::test]
async fn a_job_gets_a_title_from_its_prompt_until_renamed() {
    let app = library_app(false).await;
    let alice = token("user_alice", "free");
    let id = queued(&app, &alice, json!({"prompt": LONG_PROMPT, "duration": 2})).await;
    let (_, before) = call(
        &app,
        &alice,
        Method::GET,
        &format!("/api/v1/jobs/{id}"),
        None,
    )
    .await;
    let derived = before["data"]["title"].as_str().unwrap();
    assert!(derived.ends_with('…'), "{derived}");
    assert!(LONG_PROMPT.starts_with(derived.trim_end_matches('…')));
    assert!(derived.chars().count() <= 61, "{derived}");

    let path = format!("/api/v1/jobs/{id}");
    let (status, renamed) = call(
        &app,
        &alice,
        Method::PATCH,
        &path,
        Some(json!({"title": "  Sunset over the sea  "})),
    )
    .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["data"]["title"], "Sunset over the sea");
    assert_eq!(renamed["data"]["id"], id.as_str());
    assert_eq!(renamed["data"]["prompt"], LONG_PROMPT, "the prompt is kept");
    let (_, after) = call(&app, &alice, Method::GET, &path, None).await;
    assert_eq!(after["data"]["title"], "Sunset over the sea");
    let (_, list) = call(&app, &alice, Method::GET, "/api/v1/jobs", None).await;
    assert_eq!(list["data"]["items"][0]["title"], "Sunset over the sea");
}

#[tokio::test]
async fn bad_titles_are_refused_with_a_code() {
    let app = library_app(false).await;
    let alice = token("user_alice", "free");
    let id = queued(&app, &alice, json!({"prompt": "Blue waves", "duration": 2})).await;
    let path = format!("/api/v1/jobs/{id}");
    for bad in [
        json!({"title": "   "}),
        json!({"title": "x".repeat(201)}),
        json!({"title": "two\nlines"}),
    ] {
        let (status, body) = call(&app, &alice, Method::PATCH, &path, Some(bad.clone())).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(body["code"], "invalid_title", "{bad}");
    }
    let (status, body) = call(&app, &alice, Method::PATCH, &path, Some(json!({}))).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_body")));
    let (status, _) = call(
        &app,
        &alice,
        Method::PATCH,
        &path,
        Some(json!({"title": "é".repeat(200)})),
    )
    .await;
    assert_eq!(status, 200, "200 characters is the limit, not bytes");
    let (_, job) = call(&app, &alice, Method::GET, &path, None).await;
    assert_eq!(job["data"]["title"], "é".repeat(200));
}

#[tokio::test]
async fn a_file_can_be_renamed_and_bad_names_are_refused() {
    let app = library_app(false).await;
    let alice = token("user_alice", "free");
    let res = upload(
        &app,
        &alice,
        b"meeting notes\n".to_vec(),
        "notes.txt",
        "text/plain",
        &[],
    )
    .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<serde_json::Value>().await.unwrap()["data"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/files/{id}");
    let (status, renamed) = call(
        &app,
        &alice,
        Method::PATCH,
        &path,
        Some(json!({"name": " Minutes 2026.txt "})),
    )
    .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["data"]["filename"], "Minutes 2026.txt");
    assert_eq!(renamed["data"]["id"], id.as_str());
    let (_, file) = call(&app, &alice, Method::GET, &path, None).await;
    assert_eq!(file["data"]["filename"], "Minutes 2026.txt");
    let long = "x".repeat(256);
    for bad in [
        "",
        "   ",
        "../etc/passwd",
        "a\\b.txt",
        "bell\u{7}.txt",
        "..",
        long.as_str(),
    ] {
        let (status, body) = call(
            &app,
            &alice,
            Method::PATCH,
            &path,
            Some(json!({ "name": bad })),
        )
        .await;
        assert_eq!(status, 400, "{bad:?}");
        assert_eq!(body["code"], "invalid_name", "{bad:?}");
    }
    let (_, file) = call(&app, &alice, Method::GET, &path, None).await;
    assert_eq!(
        file["data"]["filename"], "Minutes 2026.txt",
        "refusals change nothing"
    );
}

#[tokio::test]
async fn another_users_ids_are_not_found_for_every_library_endpoint() {
    let app = library_app(false).await;
    let alice = token("user_alice", "free");
    let mallory = token("user_mallory", "free");
    let job = queued(
        &app,
        &alice,
        json!({"prompt": "Private garden", "duration": 2}),
    )
    .await;
    let res = upload(
        &app,
        &alice,
        b"secret\n".to_vec(),
        "secret.txt",
        "text/plain",
        &[],
    )
    .await;
    let file = res.json::<serde_json::Value>().await.unwrap()["data"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let attempts = [
        (
            Method::PATCH,
            format!("/api/v1/jobs/{job}"),
            Some(json!({"title": "Mine now"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/files/{file}"),
            Some(json!({"name": "mine.txt"})),
        ),
        (Method::DELETE, format!("/api/v1/jobs/{job}"), None),
        (
            Method::POST,
            format!("/api/v1/videos/{job}/signed-url"),
            Some(json!({"download": true})),
        ),
        (
            Method::PATCH,
            "/api/v1/jobs/job_nosuch".to_owned(),
            Some(json!({"title": "x"})),
        ),
        (Method::DELETE, "/api/v1/jobs/job_nosuch".to_owned(), None),
    ];
    for (method, path, body) in attempts {
        let (status, answer) = call(&app, &mallory, method.clone(), &path, body).await;
        assert_eq!(status, 404, "{method} {path}");
        assert_eq!(answer["code"], "not_found", "{method} {path}");
    }
    let (_, still) = call(
        &app,
        &alice,
        Method::GET,
        &format!("/api/v1/jobs/{job}"),
        None,
    )
    .await;
    assert_eq!(still["data"]["title"], "Private garden", "untouched");
    let (_, mine) = call(
        &app,
        &alice,
        Method::GET,
        &format!("/api/v1/files/{file}"),
        None,
    )
    .await;
    assert_eq!(mine["data"]["filename"], "secret.txt", "untouched");
    let (_, found) = call(&app, &mallory, Method::GET, "/api/v1/jobs?q=garden", None).await;
    assert_eq!(
        found["data"]["items"],
        json!([]),
        "search never shows others' jobs"
    );
    let (_, found) = call(&app, &mallory, Method::GET, "/api/v1/files?q=secret", None).await;
    assert_eq!(
        found["data"]["items"],
        json!([]),
        "search never shows others' files"
    );
}
