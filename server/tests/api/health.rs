use crate::helpers::{spawn_app, spawn_app_with, Backend};

#[tokio::test]
async fn system_health_is_ok_on_sqlite() {
    let app = spawn_app_with(Backend::Sqlite, &[]).await;
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
    let app = spawn_app_with(Backend::Sqlite, &[]).await;
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

#[tokio::test]
async fn livez_answers_while_the_process_runs_even_without_its_database() {
    let app = spawn_app().await;
    let res = app.get("/livez").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["status"],
        "ok"
    );
    app.state.db.pool.close().await;
    assert_eq!(
        app.get("/livez").await.status(),
        200,
        "liveness ignores the database"
    );
}

#[tokio::test]
async fn readyz_is_200_when_every_part_answers() {
    let app = spawn_app().await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["failing"], serde_json::json!([]));
    assert_eq!(body["checks"]["database"], "ok");
    assert_eq!(body["checks"]["redis"], "not_configured");
    assert_eq!(body["checks"]["storage"], "ok");
}

#[tokio::test]
async fn readyz_names_the_database_when_it_is_gone() {
    let app = spawn_app().await;
    app.state.db.pool.close().await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["failing"], serde_json::json!(["database"]));
    assert_eq!(body["checks"]["database"], "down");
}

#[tokio::test]
async fn readyz_names_redis_and_storage_when_they_are_gone() {
    // Port 1 refuses at once: a Redis that is configured but down.
    let app = spawn_app_with(Backend::Suite, &[("REDIS_URL", "redis://127.0.0.1:1")]).await;
    std::fs::remove_dir_all(app.data_dir.path().join("files")).unwrap();
    let started = std::time::Instant::now();
    let res = app.get("/readyz").await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "a probe answers quickly"
    );
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["failing"], serde_json::json!(["redis", "storage"]));
    assert_eq!(body["checks"]["redis"], "down");
    assert_eq!(body["checks"]["storage"], "down");
}

#[tokio::test]
async fn requests_needing_the_database_answer_503_with_retry_after_when_it_is_gone() {
    let app = crate::files::support::files_app(Backend::Suite, &[]).await;
    let token = crate::files::support::token("user_a");
    let me = app.client.get(app.url("/api/v1/me")).bearer_auth(&token);
    assert_eq!(me.send().await.unwrap().status(), 200);
    app.state.db.pool.close().await;
    let started = std::time::Instant::now();
    for path in ["/api/v1/me", "/api/v1/jobs", "/api/v1/files"] {
        let res = app
            .client
            .get(app.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 503, "{path}");
        assert_eq!(res.headers()["retry-after"], "5", "{path}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "unavailable", "{path}");
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "answered well inside the request timeout"
    );
}
