//! `GET /api/v1/jobs?q=` (prompt or title), `GET /api/v1/files?q=` (name) and `GET /api/v1/admin/users?q=`
//! (email or name): case-insensitive, wildcards taken literally, paged by opaque cursors to the end.

use super::{call, library_app};
use crate::files::support::upload;
use crate::helpers::TestApp;
use crate::jobs::{queued, token};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Follows `next_cursor` from `path` (which already has a `?`) to the end; returns each page's item ids.
async fn pages(app: &TestApp, token: &str, path: &str) -> Vec<Vec<String>> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&cursor={c}"),
            None => path.to_owned(),
        };
        let (status, body) = call(app, token, Method::GET, &url, None).await;
        assert_eq!(status, 200, "{url}: {body}");
        let ids = body["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["id"].as_str().unwrap().to_owned())
            .collect();
        all.push(ids);
        match body["data"]["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return all,
        }
        assert!(all.len() < 20, "paging never ends");
    }
}

fn flat(pages: &[Vec<String>]) -> BTreeSet<String> {
    let ids: Vec<&String> = pages.iter().flatten().collect();
    let set: BTreeSet<String> = ids.iter().map(|s| (*s).clone()).collect();
    assert_eq!(set.len(), ids.len(), "no item appears on two pages");
    set
}

#[tokio::test]
async fn jobs_are_found_by_prompt_or_title_whatever_the_case_across_pages() {
    let app = library_app(false).await;
    let alice = token("user_alice", "free");
    let mut ids = Vec::new();
    for prompt in [
        "A RED fox jumps",
        "red panda sleeps",
        "Blue whale sings",
        "100% red_wine pours",
        "Green hills",
    ] {
        ids.push(queued(&app, &alice, json!({"prompt": prompt, "duration": 2})).await);
    }
    let (status, _) = call(
        &app,
        &alice,
        Method::PATCH,
        &format!("/api/v1/jobs/{}", ids[2]),
        Some(json!({"title": "Reddish Sky"})),
    )
    .await;
    assert_eq!(status, 200);
    let expected: BTreeSet<String> = [0, 1, 2, 3].iter().map(|&i| ids[i].clone()).collect();
    for q in ["red", "RED", "Red"] {
        let found = pages(&app, &alice, &format!("/api/v1/jobs?q={q}&limit=2")).await;
        assert_eq!(
            found.len(),
            2,
            "four matches make two pages of two: {found:?}"
        );
        assert_eq!(flat(&found), expected, "q={q}");
    }
    // Newest first within the results.
    let first = pages(&app, &alice, "/api/v1/jobs?q=red&limit=10").await;
    assert_eq!(
        first[0],
        vec![
            ids[3].clone(),
            ids[2].clone(),
            ids[1].clone(),
            ids[0].clone()
        ]
    );
    // `%` and `_` are characters, not wildcards.
    let percent = pages(&app, &alice, "/api/v1/jobs?q=0%25").await;
    assert_eq!(flat(&percent), BTreeSet::from([ids[3].clone()]));
    let underscore = pages(&app, &alice, "/api/v1/jobs?q=d_w").await;
    assert_eq!(flat(&underscore), BTreeSet::from([ids[3].clone()]));
    let none = pages(&app, &alice, "/api/v1/jobs?q=purple").await;
    assert_eq!(none, vec![Vec::<String>::new()]);
    // The status filter still applies, alone or with a search.
    let (_, body) = call(
        &app,
        &alice,
        Method::GET,
        "/api/v1/jobs?status=queued&q=fox",
        None,
    )
    .await;
    assert_eq!(body["data"]["items"].as_array().unwrap().len(), 1);
    let (_, body) = call(
        &app,
        &alice,
        Method::GET,
        "/api/v1/jobs?status=completed",
        None,
    )
    .await;
    assert_eq!(body["data"]["items"], json!([]));
    let (status, body) = call(&app, &alice, Method::GET, "/api/v1/jobs?status=nope", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_status"))
    );
    let everything = pages(&app, &alice, "/api/v1/jobs?limit=2").await;
    assert_eq!(everything.len(), 3, "five jobs in pages of two");
    assert_eq!(flat(&everything).len(), 5);
}

#[tokio::test]
async fn list_parameters_that_are_junk_are_refused_with_a_code() {
    let app = library_app(false).await;
    let alice = token("user_alice", "free");
    for (path, code) in [
        ("/api/v1/jobs?cursor=!!", "invalid_cursor"),
        ("/api/v1/files?cursor=bm9jb2xvbg", "invalid_cursor"),
        ("/api/v1/jobs?limit=0", "invalid_limit"),
        ("/api/v1/files?limit=101", "invalid_limit"),
    ] {
        let (status, body) = call(&app, &alice, Method::GET, path, None).await;
        assert_eq!((status, body["code"].as_str()), (400, Some(code)), "{path}");
    }
    let long = "x".repeat(201);
    let (status, body) = call(
        &app,
        &alice,
        Method::GET,
        &format!("/api/v1/jobs?q={long}"),
        None,
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_q")));
}

#[tokio::test]
async fn files_are_found_by_name_whatever_the_case_across_pages() {
    let app = library_app(false).await;
    let alice = token("user_alice", "free");
    let mut ids = Vec::new();
    for name in [
        "Holiday-Clip.txt",
        "holiday2.txt",
        "notes.txt",
        "HOLIDAY plan.txt",
    ] {
        let res = upload(
            &app,
            &alice,
            b"some text\n".to_vec(),
            name,
            "text/plain",
            &[],
        )
        .await;
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.unwrap();
        ids.push(body["data"]["id"].as_str().unwrap().to_owned());
    }
    let found = pages(&app, &alice, "/api/v1/files?q=holiday&limit=2").await;
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        flat(&found),
        BTreeSet::from([ids[0].clone(), ids[1].clone(), ids[3].clone()])
    );
    let (status, _) = call(
        &app,
        &alice,
        Method::PATCH,
        &format!("/api/v1/files/{}", ids[2]),
        Some(json!({"name": "Holiday notes.txt"})),
    )
    .await;
    assert_eq!(status, 200);
    let found = pages(&app, &alice, "/api/v1/files?q=HoliDay&limit=2").await;
    assert_eq!(
        flat(&found).len(),
        4,
        "the renamed file is found by its new name"
    );
    let found = pages(&app, &alice, "/api/v1/files?q=notes").await;
    assert_eq!(flat(&found), BTreeSet::from([ids[2].clone()]));
}

#[tokio::test]
async fn admins_find_users_by_email_or_name_across_pages() {
    use app::domain::user::Role;
    use app::services::users::repo::{insert, NewUser};
    let app = library_app(false).await;
    for (id, email, first, last) in [
        ("user_1", "ada@example.com", "Ada", "Lovelace"),
        ("user_2", "grace@navy.example", "Grace", "Hopper"),
        ("user_3", "alan@example.com", "Alan", "Turing"),
        ("user_4", "ADA.B@other.example", "Bea", "Smith"),
    ] {
        let user = NewUser {
            id: id.into(),
            email: Some(email.into()),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            role: Role::User,
            ..NewUser::default()
        };
        insert(&app.state.db, &user).await.unwrap();
        // Distinct creation times keep the expected order independent of the clock's resolution.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let mut claims = crate::tokens::api_claims("user_admin", "https://t2m-app.com");
    claims.insert("role".into(), json!("admin"));
    let admin = crate::tokens::sign(crate::tokens::key_a(), &claims);
    let found = pages(&app, &admin, "/api/v1/admin/users?q=ADA&limit=1").await;
    assert_eq!(
        flat(&found),
        BTreeSet::from(["user_1".to_owned(), "user_4".to_owned()])
    );
    let found = pages(&app, &admin, "/api/v1/admin/users?q=hopper").await;
    assert_eq!(flat(&found), BTreeSet::from(["user_2".to_owned()]));
    let found = pages(&app, &admin, "/api/v1/admin/users?q=grace%20hop").await;
    assert_eq!(
        flat(&found),
        BTreeSet::from(["user_2".to_owned()]),
        "first and last name together"
    );
    let all = pages(&app, &admin, "/api/v1/admin/users?limit=3").await;
    assert_eq!(all.len(), 2);
    assert_eq!(flat(&all).len(), 4);
    let member = token("user_1", "free");
    let (status, _) = call(
        &app,
        &member,
        Method::GET,
        "/api/v1/admin/users?q=ada",
        None,
    )
    .await;
    assert_eq!(status, 403);
}
