//! Pages follow the access table: sign-in redirects, the dashboard hop from `/`, 403 pages naming what is missing.

use super::local_provider::sign_up;
use crate::helpers::spawn_app;
use app::domain::user::{Role, Tier};

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn private_pages_send_visitors_to_sign_in_and_back() {
    let app = spawn_app().await;
    for path in [
        "/dashboard",
        "/profile",
        "/files",
        "/videos",
        "/jobs",
        "/generate",
        "/onboarding",
        "/admin/users",
        "/premium/priority-queue",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(
            location(&res),
            format!("/sign-in?redirect_url={}", path.replace('/', "%2F"))
        );
    }
    let res = app.get("/jobs?status=failed").await;
    assert_eq!(
        location(&res),
        "/sign-in?redirect_url=%2Fjobs%3Fstatus%3Dfailed"
    );
}

#[tokio::test]
async fn signed_in_users_see_their_dashboard_and_skip_the_landing_page() {
    let app = spawn_app().await;
    sign_up(&app, "dash@example.com", "correct horse battery", false).await;
    // The handshake (followed by `get`) mints the session token; `handshake.rs` checks its Set-Cookie.
    let res = app.get("/dashboard").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Welcome back"));
    let res = app.get("/").await;
    assert_eq!(
        (res.status().as_u16(), location(&res)),
        (303, "/dashboard".to_owned())
    );
    let res = app.get("/sign-in?redirect_url=%2Fjobs").await;
    assert_eq!(location(&res), "/jobs");
}

#[tokio::test]
async fn admin_and_premium_pages_name_what_is_missing() {
    let app = spawn_app().await;
    sign_up(&app, "plain@example.com", "correct horse battery", false).await;
    let res = app.get("/admin").await;
    assert_eq!(res.status(), 403);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Access denied") && html.contains("admin"),
        "{html}"
    );
    let res = app.get("/premium/batch-processing").await;
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("premium"));
}

#[tokio::test]
async fn users_promoted_to_admin_reach_admin_pages() {
    let app = spawn_app().await;
    sign_up(&app, "boss@example.com", "correct horse battery", false).await;
    let user = app::services::users::repo::find_by_email(&app.state.db, "boss@example.com")
        .await
        .unwrap()
        .unwrap();
    app::services::users::repo::set_role_and_tier(
        &app.state.db,
        &user.id,
        Role::Admin,
        Tier::Free,
        None,
    )
    .await
    .unwrap();
    let res = app.get("/admin").await;
    assert_eq!(res.status(), 200);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("data-testid=\"admin-users\""));
    let users = app.get("/admin/users").await.text().await.unwrap();
    assert!(
        users.contains("boss@example.com") && users.contains("admin@t2m.local"),
        "admin list shows every user"
    );
    let system = app.get("/admin/system").await.text().await.unwrap();
    let engine = match app.state.db.kind {
        app::services::db::DbKind::Sqlite => "SQLite",
        app::services::db::DbKind::Postgres => "PostgreSQL",
    };
    assert!(
        system.contains(engine) && system.contains("built-in provider"),
        "{system}"
    );
    assert_eq!(app.get("/admin/analytics").await.status(), 200);
    let stranger = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = stranger.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(res.status(), 303, "a stranger is still sent to sign in");
}
