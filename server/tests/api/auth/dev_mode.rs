//! DEV_MODE: every request is dev_user, and every page says so.

use crate::helpers::{spawn_app_with, Backend};
use serde_json::Value;

#[tokio::test]
async fn dev_mode_treats_every_request_as_an_admin_dev_user_and_says_so() {
    let app = spawn_app_with(Backend::Suite, &[("DEV_MODE", "true")]).await;
    let body: Value = app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(body["data"]["id"], "dev_user");
    assert_eq!(body["data"]["role"], "admin");
    assert_eq!(body["data"]["tier"], "premium");
    let res = app.get("/admin").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("DEV_MODE is on"));
}

#[test]
fn the_server_refuses_to_start_with_dev_mode_in_production() {
    let data = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_t2m-server"))
        .env("DEV_MODE", "true")
        .env("ENVIRONMENT", "production")
        .env("FILE_SIGNING_SECRET", "x".repeat(40))
        .env("T2M_DATA_DIR", data.path())
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .current_dir(data.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("DEV_MODE=true") && stderr.contains("ENVIRONMENT=production"),
        "{stderr}"
    );
}
