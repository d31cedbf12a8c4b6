//! `spawn_app`: each test gets its own server, data directory and database.

use app::services::config::Config;
use app::services::AppState;
use std::collections::HashMap;
use t2m_server::startup::Application;
use tokio_util::sync::CancellationToken;

/// The admin connection used to create one throwaway PostgreSQL database per test.
pub const POSTGRES_ADMIN_URL: &str = "postgres://root@127.0.0.1:5432/test";

/// Which database a test's server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The suite's engine: SQLite, or a fresh PostgreSQL database when `T2M_TEST_DATABASE=postgres`, so that CI
    /// runs every such test on both engines (`scripts/test` runs the suite once per engine).
    Suite,
    /// Always SQLite: tests of SQLite itself (its file, its modes) or the SQLite half of a pair.
    Sqlite,
    /// Always a fresh PostgreSQL database.
    Postgres,
}

impl Backend {
    /// The engine `Suite` stands for in this run.
    ///
    /// # Panics
    /// On a value of `T2M_TEST_DATABASE` other than `sqlite` or `postgres`, so a typo cannot silently test
    /// SQLite twice.
    pub fn resolve(self) -> Self {
        match self {
            Self::Suite => match std::env::var("T2M_TEST_DATABASE").as_deref() {
                Err(_) | Ok("" | "sqlite") => Self::Sqlite,
                Ok("postgres") => Self::Postgres,
                Ok(other) => panic!("T2M_TEST_DATABASE must be sqlite or postgres, not {other:?}"),
            },
            fixed => fixed,
        }
    }
}

/// A running app and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    /// A client that keeps cookies and does not follow redirects, like a careful browser test would.
    pub client: reqwest::Client,
    pub state: AppState,
    pub data_dir: tempfile::TempDir,
    postgres_db: Option<String>,
    shutdown: CancellationToken,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Follows the session handshake's 307s (to the provider and back) the way a browser does; every other
    /// redirect is returned as is.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        let mut url = self.url(path);
        for _ in 0..4 {
            let res = self.client.get(&url).send().await.expect("request failed");
            let next = res
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .filter(|_| res.status() == reqwest::StatusCode::TEMPORARY_REDIRECT)
                .map(|to| reqwest::Url::parse(&url).unwrap().join(to).unwrap());
            match next {
                Some(next) => url = next.to_string(),
                None => return res,
            }
        }
        panic!("more than four handshake redirects for {path}");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
        if let Some(db) = self.postgres_db.take() {
            // Drop runs outside async; a short-lived runtime on its own thread removes the database.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    use sqlx::Connection;
                    if let Ok(mut conn) = sqlx::PgConnection::connect(POSTGRES_ADMIN_URL).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// A server on the suite's engine with default settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(Backend::Suite, &[]).await
}

/// A server on the chosen backend; `vars` override environment settings.
pub async fn spawn_app_with(backend: Backend, vars: &[(&str, &str)]) -> TestApp {
    t2m_server::telemetry::init(t2m_server::telemetry::LogFormat::Text);
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut env: HashMap<String, String> = HashMap::new();
    env.insert("LEPTOS_SITE_ADDR".into(), "127.0.0.1:0".into());
    env.insert("T2M_DATA_DIR".into(), data_dir.path().display().to_string());
    let mut postgres_db = None;
    // A test that names its own database keeps it.
    let own_database = vars.iter().any(|(key, _)| *key == "DATABASE_URL");
    if backend.resolve() == Backend::Postgres && !own_database {
        let name = format!("t2m_test_{}", uuid::Uuid::new_v4().simple());
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(POSTGRES_ADMIN_URL)
            .await
            .expect("PostgreSQL must run on 127.0.0.1:5432");
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .expect("create test database");
        env.insert(
            "DATABASE_URL".into(),
            format!("postgres://root@127.0.0.1:5432/{name}"),
        );
        postgres_db = Some(name);
    }
    for (key, value) in vars {
        env.insert((*key).into(), (*value).into());
    }
    let config = Config::from_lookup(|k| env.get(k).cloned()).expect("valid test config");
    let application = Application::build(config).await.expect("app builds");
    let port = application.local_addr().unwrap().port();
    let state = application.state().clone();
    let shutdown = application.shutdown_token();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            // A stalled response must fail its test with the path, not hold CI until its deadline.
            .timeout(std::time::Duration::from_secs(120))
            .build()
            .unwrap(),
        state,
        data_dir,
        postgres_db,
        shutdown,
    }
}

/// A client that shows each redirect instead of following it and keeps no cookies: each test sends exactly
/// the cookies it means to.
pub fn client_without_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A browser's page load of `url` (HTML wanted) carrying exactly `cookie`, its redirect shown, not followed.
pub async fn page_load(url: &str, cookie: &str) -> reqwest::Response {
    client_without_redirects()
        .get(url)
        .header("cookie", cookie)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
}
