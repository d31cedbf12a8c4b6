//! What an operator runs and reads: `/metrics`, the access log, the admin subcommands, a worker's probes.

mod access_log;
mod cli;
mod metrics;
mod worker_http;

use crate::helpers::{Backend, POSTGRES_ADMIN_URL};
use std::io::{BufRead, BufReader};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A database for a process the test starts: a SQLite file in its data directory, or a throwaway PostgreSQL
/// database when the suite runs on PostgreSQL.
pub struct TestDb {
    pub url: String,
    postgres: Option<String>,
}

impl TestDb {
    pub async fn new(data_dir: &std::path::Path) -> Self {
        if Backend::Suite.resolve() != Backend::Postgres {
            let url = format!("sqlite://{}?mode=rwc", data_dir.join("t2m.db").display());
            return Self {
                url,
                postgres: None,
            };
        }
        use sqlx::Connection;
        let name = format!("t2m_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(POSTGRES_ADMIN_URL)
            .await
            .expect("PostgreSQL must run on 127.0.0.1:5432");
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .unwrap();
        Self {
            url: format!("postgres://root@127.0.0.1:5432/{name}"),
            postgres: Some(name),
        }
    }

    /// A pool on it, for checking what a process wrote.
    pub async fn pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.url).await.unwrap()
    }

    pub async fn drop_now(mut self) {
        if let Some(name) = self.postgres.take() {
            use sqlx::Connection;
            if let Ok(mut conn) = sqlx::PgConnection::connect(POSTGRES_ADMIN_URL).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            }
        }
    }
}

/// A `t2m-server` process whose stdout lines are collected; killed when dropped.
pub struct Proc {
    child: std::process::Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Proc {
    /// Starts the binary in `data_dir` with `vars` (and no `RUST_LOG`, so the default levels apply).
    pub fn start(data_dir: &std::path::Path, vars: &[(&str, &str)]) -> Self {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_t2m-server"))
            .env("T2M_DATA_DIR", data_dir)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env_remove("RUST_LOG")
            .envs(vars.iter().copied())
            .current_dir(data_dir)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the t2m-server binary starts");
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                sink.lock().unwrap().push(line);
            }
        });
        Self { child, lines }
    }

    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Waits for a line containing `marker`; returns the text after it up to the next space or quote.
    pub async fn wait_for(&mut self, marker: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(rest) = self
                .lines()
                .iter()
                .find_map(|l| l.split_once(marker).map(|(_, rest)| rest.to_owned()))
            {
                return rest
                    .split(|c: char| c.is_whitespace() || c == '"')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "t2m-server exited ({status}) before {marker:?}: {:?}",
                    self.lines()
                );
            }
            assert!(
                Instant::now() < deadline,
                "no {marker:?} in {:?}",
                self.lines()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a subcommand to completion: (exit code, stdout, stderr).
pub fn run_command(
    data_dir: &std::path::Path,
    args: &[&str],
    vars: &[(&str, &str)],
) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_t2m-server"))
        .args(args)
        .env("T2M_DATA_DIR", data_dir)
        .env_remove("RUST_LOG")
        .envs(vars.iter().copied())
        .current_dir(data_dir)
        .output()
        .expect("the t2m-server binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
