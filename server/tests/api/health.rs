use crate::helpers::{spawn_app, spawn_app_with, Backend};

#[tokio::test]
async fn system_health_is_ok_on_sqlite() {
    let app = spawn_app().await;
    let res = app.get("/api/system/health").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["checks"]["database_kind"], "sqlite");
}

#[tokio::test]
async fn system_health_is_ok_on_postgres() {
    let app = spawn_app_with(Backend::Postgres, &[]).await;
    let body: serde_json::Value = app.get("/api/system/health").await.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["checks"]["database_kind"], "postgres");
}

#[tokio::test]
async fn system_health_answers_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.state.db.pool.close().await;
    let res = app.get("/api/system/health").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["checks"]["database"], "down");
}

#[tokio::test]
async fn auth_health_names_the_local_provider_by_default() {
    let app = spawn_app().await;
    let body: serde_json::Value = app.get("/api/auth/health").await.json().await.unwrap();
    assert_eq!(body["provider"], "local");
    assert_eq!(body["issuer"], app.address);
}

#[tokio::test]
async fn responses_carry_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    let res = app.get("/api/system/health").await;
    let h = res.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("'wasm-unsafe-eval'"));
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert!(h.contains_key("x-request-id"));
}

#[tokio::test]
async fn the_default_database_is_a_sqlite_file_in_the_data_dir() {
    let app = spawn_app().await;
    assert!(app.data_dir.path().join("t2m.db").is_file());
}

#[tokio::test]
async fn unknown_api_paths_answer_json_404_for_any_method() {
    let app = spawn_app().await;
    for res in [
        app.get("/api/no-such-thing").await,
        app.client
            .post(app.url("/api/v1/nope"))
            .header("origin", &app.address)
            .send()
            .await
            .unwrap(),
        app.get("/api/secret.txt").await,
    ] {
        assert_eq!(res.status(), 404);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "not_found");
    }
    assert_eq!(
        app.get("/api/system/health").await.status(),
        200,
        "real routes still win"
    );
}
