//! Listing, reading and deleting one's own files; other people's files are simply not found.

use super::support::{
    fetch, file_rows, files_app, sample_mp4, signed_path, token, upload, upload_video,
};
use crate::helpers::{Backend, TestApp};
use serde_json::Value;

async fn get_json(app: &TestApp, user: &str, path: &str) -> (u16, Value) {
    let res = app
        .client
        .get(app.url(path))
        .bearer_auth(token(user))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

async fn listing_on(backend: Backend) {
    let app = files_app(backend, &[]).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(
            upload_video(&app, &token("user_a"), sample_mp4(300)).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    upload(
        &app,
        &token("user_a"),
        b"notes".to_vec(),
        "n.txt",
        "text/plain",
        &[],
    )
    .await;
    upload_video(&app, &token("user_b"), sample_mp4(300)).await;

    let (status, first) = get_json(&app, "user_a", "/api/v1/files?limit=4").await;
    assert_eq!(status, 200);
    let items = first["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["kind"], "document", "newest first");
    let cursor = first["data"]["next_cursor"].as_str().unwrap();
    let (_, second) = get_json(
        &app,
        "user_a",
        &format!("/api/v1/files?limit=4&cursor={cursor}"),
    )
    .await;
    let rest = second["data"]["items"].as_array().unwrap();
    assert_eq!(rest.len(), 2);
    assert!(second["data"]["next_cursor"].is_null());
    let seen: Vec<&str> = items
        .iter()
        .chain(rest)
        .filter_map(|f| f["id"].as_str())
        .collect();
    for id in &ids {
        assert!(seen.contains(&id.as_str()));
    }

    let (_, videos) = get_json(&app, "user_a", "/api/v1/files?kind=video").await;
    assert_eq!(videos["data"]["items"].as_array().unwrap().len(), 5);
    let (status, bad) = get_json(&app, "user_a", "/api/v1/files?kind=spreadsheet").await;
    assert_eq!(
        (status, bad["code"].as_str().unwrap()),
        (400, "invalid_kind")
    );
    let (status, bad) = get_json(&app, "user_a", "/api/v1/files?cursor=garbage!").await;
    assert_eq!(
        (status, bad["code"].as_str().unwrap()),
        (400, "invalid_cursor")
    );
}

#[tokio::test]
async fn files_list_newest_first_by_cursor_and_kind_on_sqlite() {
    listing_on(Backend::Sqlite).await;
}

#[tokio::test]
async fn files_list_newest_first_by_cursor_and_kind_on_postgres() {
    listing_on(Backend::Postgres).await;
}

#[tokio::test]
async fn another_users_file_is_not_found_for_every_verb() {
    let app = files_app(Backend::Suite, &[]).await;
    let id = upload_video(&app, &token("user_a"), sample_mp4(300)).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = get_json(&app, "user_b", &format!("/api/v1/files/{id}")).await;
    assert_eq!((status, body["code"].as_str().unwrap()), (404, "not_found"));
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/files/{id}")))
        .bearer_auth(token("user_b"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let (status, own) = get_json(&app, "user_a", &format!("/api/v1/files/{id}")).await;
    assert_eq!(
        (status, own["data"]["id"].as_str().unwrap()),
        (200, id.as_str())
    );
    let (_, list) = get_json(&app, "user_b", "/api/v1/files").await;
    assert!(list["data"]["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn deleting_a_file_removes_its_bytes_and_invalidates_its_urls() {
    let app = files_app(Backend::Suite, &[]).await;
    let id = upload_video(&app, &token("user_a"), sample_mp4(300)).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = signed_path(&app, &token("user_a"), &id, None).await;
    assert_eq!(fetch(&app, &path, &[]).await.status(), 200);
    let key: String = sqlx::query_scalar("SELECT storage_key FROM files WHERE id = $1")
        .bind(&id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let on_disk = app.state.store.path_of(&key).unwrap();
    assert!(on_disk.is_file());
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/files/{id}")))
        .bearer_auth(token("user_a"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(!on_disk.exists());
    assert_eq!(file_rows(&app).await, 0);
    let res = fetch(&app, &path, &[]).await;
    assert_eq!(res.status(), 404);
    let (status, _) = get_json(&app, "user_a", &format!("/api/v1/files/{id}")).await;
    assert_eq!(status, 404);
}
