//! The admin subcommands of the one binary, run as an operator would, against a fresh data directory.

use super::{run_command, TestDb};
use std::os::unix::fs::PermissionsExt;

#[tokio::test]
async fn migrate_applies_every_migration_once_then_nothing() {
    let data = tempfile::tempdir().unwrap();
    let db = TestDb::new(data.path()).await;
    let vars = [("DATABASE_URL", db.url.as_str())];
    let (code, out, err) = run_command(data.path(), &["migrate"], &vars);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("applied ") && out.contains("init"), "{out}");
    let (code, again, err) = run_command(data.path(), &["migrate"], &vars);
    assert_eq!(code, 0, "{err}");
    assert!(!again.contains("applied "), "{again}");
    assert!(again.contains("up to date"), "{again}");
    let pool = db.pool().await;
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 0, "migrate creates no account");
    pool.close().await;
    db.drop_now().await;
}

#[test]
fn check_config_prints_settings_without_secrets() {
    let data = tempfile::tempdir().unwrap();
    let secret = "f1le-sign1ng-secret-that-is-long-enough-0123";
    let (code, out, err) = run_command(
        data.path(),
        &["check-config"],
        &[
            ("FILE_SIGNING_SECRET", secret),
            ("T2M_METRICS_TOKEN", "metrics-token-value"),
            (
                "DATABASE_URL",
                "postgres://t2m:db-password@127.0.0.1:5432/t2m",
            ),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    for var in [
        "FILE_SIGNING_SECRET",
        "T2M_METRICS_TOKEN",
        "DATABASE_URL",
        "APP_URL",
    ] {
        assert!(out.contains(var), "{var} missing: {out}");
    }
    for leaked in [secret, "metrics-token-value", "db-password"] {
        assert!(
            !out.contains(leaked) && !err.contains(leaked),
            "{leaked}: {out}{err}"
        );
    }
}

#[test]
fn check_config_names_a_bad_variable_and_exits_1() {
    let data = tempfile::tempdir().unwrap();
    for (var, value) in [
        ("RATE_LIMIT_PER_HOUR", "lots"),
        ("T2M_WORKER_HTTP_ADDR", "not-an-address"),
        ("T2M_LOG_FORMAT", "xml"),
    ] {
        let (code, out, err) = run_command(data.path(), &["check-config"], &[(var, value)]);
        assert_eq!(code, 1, "{var}: {out}{err}");
        assert!(err.contains(var), "{var}: {err}");
    }
}

#[tokio::test]
async fn create_admin_makes_a_new_admin_whose_password_is_only_in_the_file() {
    let data = tempfile::tempdir().unwrap();
    let db = TestDb::new(data.path()).await;
    let vars = [("DATABASE_URL", db.url.as_str())];
    let (code, out, err) = run_command(
        data.path(),
        &["create-admin", "--email", "Ops@Example.com"],
        &vars,
    );
    assert_eq!(code, 0, "{out}{err}");
    let file = data.path().join("first-admin.txt");
    assert!(out.contains(&file.display().to_string()), "{out}");
    let contents = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let password = contents
        .lines()
        .find_map(|l| l.strip_prefix("password:"))
        .unwrap()
        .trim()
        .to_owned();
    assert!(password.len() >= 16);
    assert!(!out.contains(&password) && !err.contains(&password));
    assert!(contents.contains("ops@example.com"), "{contents}");

    let pool = db.pool().await;
    let role = || async {
        let (role,): (String,) = sqlx::query_as("SELECT role FROM users WHERE email = $1")
            .bind("ops@example.com")
            .fetch_one(&pool)
            .await
            .unwrap();
        role
    };
    assert_eq!(role().await, "admin");
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 1, "no first-start admin besides");

    // The written password signs in through the built-in provider.
    let app = crate::helpers::spawn_app_with(
        crate::helpers::Backend::Suite,
        &[("DATABASE_URL", db.url.as_str())],
    )
    .await;
    let res = app
        .client
        .post(app.url("/v1/client/sign_ins"))
        .header("origin", &app.address)
        .form(&[
            ("email", "ops@example.com"),
            ("password", password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let to = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(to.as_deref(), Some("/dashboard"), "{:?}", res.status());
    assert!(res.headers().get("set-cookie").is_some());
    drop(app);

    // Running it again changes nothing, and keeps the password file as it was.
    let (code, out, _) = run_command(
        data.path(),
        &["create-admin", "--email", "ops@example.com"],
        &vars,
    );
    assert_eq!(code, 0);
    assert!(out.contains("already an admin"), "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), contents);

    // A member is promoted in place.
    sqlx::query("UPDATE users SET role = 'user' WHERE email = $1")
        .bind("ops@example.com")
        .execute(&pool)
        .await
        .unwrap();
    let (code, out, _) = run_command(
        data.path(),
        &["create-admin", "--email", "ops@example.com"],
        &vars,
    );
    assert_eq!(code, 0);
    assert!(out.contains("now an admin"), "{out}");
    assert_eq!(role().await, "admin");
    pool.close().await;
    db.drop_now().await;
}

#[test]
fn create_admin_refuses_in_clerk_mode_and_bad_emails() {
    let data = tempfile::tempdir().unwrap();
    let (code, out, err) = run_command(
        data.path(),
        &["create-admin", "--email", "ops@example.com"],
        &[
            ("CLERK_ISSUER", "https://clerk.t2m-app.com"),
            (
                "CLERK_JWKS_URL",
                "https://clerk.t2m-app.com/.well-known/jwks.json",
            ),
        ],
    );
    assert_ne!(code, 0, "{out}");
    assert!(
        err.contains("Clerk") && err.contains("/admin/users"),
        "{err}"
    );
    assert!(!data.path().join("first-admin.txt").exists());

    let (code, _, err) = run_command(
        data.path(),
        &["create-admin", "--email", "not-an-email"],
        &[],
    );
    assert_ne!(code, 0);
    assert!(err.to_lowercase().contains("email"), "{err}");
}
