//! Signed URLs: issuing them (files and job videos) and every way a presented one can fail.

use super::support::{fetch, files_app, sample_mp4, sign_file, signed_path, token, upload_video};
use crate::helpers::{Backend, TestApp};
use app::services::files::UrlSigner;
use serde_json::{json, Value};

async fn video_of(app: &TestApp, user: &str) -> String {
    let file = upload_video(app, &token(user), sample_mp4(5000)).await;
    file["id"].as_str().unwrap().to_owned()
}

fn replace_param(path: &str, name: &str, value: &str) -> String {
    let (base, query) = path.split_once('?').unwrap();
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if k == name => format!("{k}={value}"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", query.join("&"))
}

fn without_param(path: &str, name: &str) -> String {
    let (base, query) = path.split_once('?').unwrap();
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.starts_with(&format!("{name}=")))
        .collect();
    format!("{base}?{}", kept.join("&"))
}

async fn code_of(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_signed_url_names_the_public_origin_and_an_iso_expiry() {
    let app = files_app(Backend::Suite, &[]).await;
    let id = video_of(&app, "user_a").await;
    let res = sign_file(
        &app,
        &token("user_a"),
        &id,
        Some(json!({ "expiresIn": 600 })),
    )
    .await;
    let data = res.json::<Value>().await.unwrap()["data"].clone();
    let url = data["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!(
            "https://t2m-app.com/api/files/secure/{id}?user_id=user_a&expires="
        )),
        "{url}"
    );
    let expires_at =
        chrono::DateTime::parse_from_rfc3339(data["expires_at"].as_str().unwrap()).unwrap();
    let ahead = expires_at.timestamp() - chrono::Utc::now().timestamp();
    assert!((595..=600).contains(&ahead), "{ahead}");
}

#[tokio::test]
async fn expires_in_outside_one_second_to_a_week_is_a_400() {
    let app = files_app(Backend::Suite, &[]).await;
    let id = video_of(&app, "user_a").await;
    for bad in [
        json!({ "expiresIn": 0 }),
        json!({ "expiresIn": -1 }),
        json!({ "expiresIn": 604_801 }),
    ] {
        let (status, code) = code_of(sign_file(&app, &token("user_a"), &id, Some(bad)).await).await;
        assert_eq!((status, code.as_str()), (400, "invalid_expires_in"));
    }
    let ok = sign_file(
        &app,
        &token("user_a"),
        &id,
        Some(json!({ "expiresIn": 604_800 })),
    )
    .await;
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn signing_someone_elses_file_is_a_404() {
    let app = files_app(Backend::Suite, &[]).await;
    let id = video_of(&app, "user_a").await;
    let (status, code) = code_of(sign_file(&app, &token("user_b"), &id, None).await).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
}

#[tokio::test]
async fn every_broken_url_fails_with_its_own_status() {
    let app = files_app(Backend::Suite, &[]).await;
    let id = video_of(&app, "user_a").await;
    let path = signed_path(&app, &token("user_a"), &id, None).await;
    assert_eq!(fetch(&app, &path, &[]).await.status(), 200);
    for name in ["user_id", "expires", "signature"] {
        let (status, code) = code_of(fetch(&app, &without_param(&path, name), &[]).await).await;
        assert_eq!(
            (status, code.as_str()),
            (400, "invalid_signed_url"),
            "without {name}"
        );
    }
    let past = chrono::Utc::now().timestamp() - 10;
    let expired = replace_param(&path, "expires", &past.to_string());
    assert_eq!(
        code_of(fetch(&app, &expired, &[]).await).await,
        (410, "signed_url_expired".into())
    );
    let later = replace_param(&path, "expires", &(past + 10_000).to_string());
    assert_eq!(
        code_of(fetch(&app, &later, &[]).await).await,
        (403, "invalid_url_signature".into())
    );
    let forged = replace_param(&path, "signature", &"0".repeat(64));
    assert_eq!(
        code_of(fetch(&app, &forged, &[]).await).await,
        (403, "invalid_url_signature".into())
    );
    let other_user = replace_param(&path, "user_id", "user_b");
    assert_eq!(
        code_of(fetch(&app, &other_user, &[]).await).await,
        (403, "invalid_url_signature".into())
    );
}

#[tokio::test]
async fn a_valid_signature_for_another_users_file_is_a_404() {
    let secret = "s".repeat(40);
    let app = files_app(Backend::Suite, &[("FILE_SIGNING_SECRET", &secret)]).await;
    let theirs = video_of(&app, "user_b").await;
    // Correctly signed, but for a user who does not own the file.
    let expires = chrono::Utc::now().timestamp() + 600;
    let path = UrlSigner::new(secret.as_bytes()).signed_path(&theirs, "user_a", expires, false);
    assert_eq!(
        code_of(fetch(&app, &path, &[]).await).await,
        (404, "not_found".into())
    );
    let unknown =
        UrlSigner::new(secret.as_bytes()).signed_path("file_missing", "user_a", expires, false);
    assert_eq!(
        code_of(fetch(&app, &unknown, &[]).await).await,
        (404, "not_found".into())
    );
}

#[tokio::test]
async fn traversal_ids_never_read_outside_storage() {
    let secret = "t".repeat(40);
    let app = files_app(Backend::Suite, &[("FILE_SIGNING_SECRET", &secret)]).await;
    std::fs::write(app.data_dir.path().join("secret.txt"), "do not serve").unwrap();
    let signer = UrlSigner::new(secret.as_bytes());
    let expires = chrono::Utc::now().timestamp() + 600;
    for id in [
        "../secret.txt",
        "../../secret.txt",
        "..%2F..%2Fsecret.txt",
        "/etc/passwd",
        "..\\secret.txt",
    ] {
        // Signed by someone holding the key, so only the lookup stands between the id and the disk.
        let path = signer.signed_path(id, "user_a", expires, false);
        let res = fetch(&app, &path, &[]).await;
        assert_eq!(res.status(), 404, "{id}");
        assert!(!res.text().await.unwrap().contains("do not serve"));
        for raw in [
            format!("/api/files/secure/{id}?user_id=user_a&expires={expires}&signature=00"),
            format!("/api/files/secure/{}", id.replace('/', "%2F")),
        ] {
            let res = fetch(&app, &raw, &[]).await;
            assert!(
                matches!(res.status().as_u16(), 400 | 403 | 404),
                "{raw}: {}",
                res.status()
            );
            assert!(!res.text().await.unwrap().contains("do not serve"));
        }
    }
}

async fn insert_job(app: &TestApp, id: &str, user: &str, video: Option<&str>) {
    let now = chrono::Utc::now().timestamp_millis();
    sqlx::query(
        "INSERT INTO jobs (id, user_id, status, prompt, duration_secs, quality, video_file_id, created_at, updated_at) \
         VALUES ($1, $2, 'completed', 'a prompt', 4, '720p', $3, $4, $4)",
    )
    .bind(id)
    .bind(user)
    .bind(video)
    .bind(now)
    .execute(&app.state.db.pool)
    .await
    .unwrap();
}

async fn sign_job(app: &TestApp, user: &str, job: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/videos/{job}/signed-url")))
        .bearer_auth(token(user))
        .json(&json!({ "expiresIn": 300 }))
        .send()
        .await
        .unwrap()
}

async fn job_video_urls_on(backend: Backend) {
    let app = files_app(backend, &[]).await;
    let video = video_of(&app, "user_a").await;
    insert_job(&app, "job_done", "user_a", Some(&video)).await;
    insert_job(&app, "job_pending", "user_a", None).await;
    let res = sign_job(&app, "user_a", "job_done").await;
    assert_eq!(res.status(), 200);
    let url = res.json::<Value>().await.unwrap()["data"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        url.contains(&format!("/api/files/secure/{video}?")),
        "{url}"
    );
    let path = url.strip_prefix("https://t2m-app.com").unwrap();
    assert_eq!(fetch(&app, path, &[]).await.status(), 200);
    for (user, job) in [
        ("user_b", "job_done"),
        ("user_a", "job_pending"),
        ("user_a", "job_missing"),
    ] {
        assert_eq!(
            code_of(sign_job(&app, user, job).await).await,
            (404, "not_found".into()),
            "{user} {job}"
        );
    }
}

#[tokio::test]
async fn a_jobs_video_gets_a_signed_url_only_for_its_owner() {
    job_video_urls_on(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_jobs_video_gets_a_signed_url_on_postgres() {
    job_video_urls_on(Backend::Postgres).await;
}
