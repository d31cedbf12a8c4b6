//! Forgotten passwords: the same answer for every email, a link in the outbox, single use, 30 minutes, and
//! every session of the user ends when it is used.

use super::{mint, sign_in, sign_up, PASSWORD};
use crate::helpers::{spawn_app, TestApp};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const NEW: &str = "reset to something new";

fn outbox(app: &TestApp) -> PathBuf {
    app.data_dir.path().join("outbox")
}

fn mails(app: &TestApp) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(outbox(app)) else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect()
}

/// Waits for the outbox to hold `count` messages (mail goes out in the background).
async fn wait_for_mails(app: &TestApp, count: usize) -> Vec<String> {
    let start = Instant::now();
    loop {
        let found = mails(app);
        if found.len() >= count {
            return found;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no mail after 10 s: {found:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn token_in(mail: &str) -> String {
    let at =
        mail.find("/reset-password?token=").expect("a reset link") + "/reset-password?token=".len();
    mail[at..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

async fn ask(app: &TestApp, email: &str) -> (u16, String) {
    let res = app
        .client
        .post(app.url("/v1/client/password_resets"))
        .header("origin", &app.address)
        .form(&[("email", email)])
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn reset(app: &TestApp, token: &str, password: &str) -> (u16, serde_json::Value) {
    let res = app
        .client
        .post(app.url("/v1/client/password_resets/complete"))
        .header("origin", &app.address)
        .form(&[("token", token), ("password", password)])
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or_default())
}

#[tokio::test]
async fn a_reset_link_arrives_in_the_outbox_works_once_and_ends_every_session() {
    let app = spawn_app().await;
    let browser = sign_up(&app, "forgot@example.com").await;
    assert_eq!(ask(&app, "Forgot@Example.com").await.0, 202);
    let mail = wait_for_mails(&app, 1).await.remove(0);
    assert!(mail.contains("To: forgot@example.com"), "{mail}");
    let link = format!("{}/reset-password?token=", app.address);
    assert!(mail.contains(&link), "the link points at this app: {mail}");
    let token = token_in(&mail);
    assert!(token.len() >= 32, "at least 128 random bits: {token}");
    let (stored,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM password_resets WHERE token_hash = $1")
            .bind(&token)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, 0, "only a hash of the token is stored");

    assert_eq!(
        reset(&app, &token, "short").await.1["code"],
        "invalid_password"
    );
    let (status, body) = reset(&app, &token, NEW).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = mint(&app, &browser).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_revoked")),
        "{body}"
    );
    assert!(sign_in(&app, "forgot@example.com", PASSWORD)
        .await
        .is_none());
    assert!(sign_in(&app, "forgot@example.com", NEW).await.is_some());

    let (status, body) = reset(&app, &token, "and once more please").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_reset_token")),
        "{body}"
    );
    assert!(
        sign_in(&app, "forgot@example.com", NEW).await.is_some(),
        "a used link changed nothing"
    );
}

#[tokio::test]
async fn an_expired_or_made_up_link_is_refused() {
    let app = spawn_app().await;
    sign_up(&app, "late@example.com").await;
    assert_eq!(ask(&app, "late@example.com").await.0, 202);
    let token = token_in(&wait_for_mails(&app, 1).await.remove(0));
    let (created, expires): (i64, i64) =
        sqlx::query_as("SELECT created_at, expires_at FROM password_resets")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(expires - created, 30 * 60 * 1000, "valid 30 minutes");
    // Thirty minutes pass.
    sqlx::query("UPDATE password_resets SET created_at = created_at - 1800001, expires_at = expires_at - 1800001")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let (status, body) = reset(&app, &token, NEW).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_reset_token")),
        "{body}"
    );
    let (status, body) = reset(&app, &"0".repeat(64), NEW).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_reset_token")),
        "{body}"
    );
    assert!(sign_in(&app, "late@example.com", PASSWORD).await.is_some());
}

#[tokio::test]
async fn unknown_emails_get_the_same_answer_and_no_mail() {
    let app = spawn_app().await;
    sign_up(&app, "known@example.com").await;
    let unknown = ask(&app, "nobody@example.com").await;
    let known = ask(&app, "known@example.com").await;
    assert_eq!(
        unknown, known,
        "the answer does not tell whether the account exists"
    );
    assert_eq!(wait_for_mails(&app, 1).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(mails(&app).len(), 1, "nothing is sent for an unknown email");
    // A browser gets the same page either way.
    for email in ["nobody@example.com", "known@example.com"] {
        let res = app
            .client
            .post(app.url("/v1/client/password_resets"))
            .header("origin", &app.address)
            .header("accept", "text/html")
            .form(&[("email", email)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/forgot-password?sent=1");
    }
}

#[tokio::test]
async fn asking_for_links_is_throttled_like_sign_in() {
    let app = crate::helpers::spawn_app_with(
        crate::helpers::Backend::Suite,
        &[("T2M_SIGN_IN_ACCOUNT_LIMIT", "2")],
    )
    .await;
    assert_eq!(ask(&app, "flood@example.com").await.0, 202);
    assert_eq!(ask(&app, "flood@example.com").await.0, 202);
    let res = app
        .client
        .post(app.url("/v1/client/password_resets"))
        .header("origin", &app.address)
        .form(&[("email", "flood@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}
