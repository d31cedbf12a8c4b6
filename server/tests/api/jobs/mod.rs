mod active_cap;
mod external_renderer;
mod form_posts;
mod lifecycle;
mod ownership;
mod queue;
mod soundtrack;
mod validation;

use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::tokens::{api_claims, key_a, sign, ISSUER};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A `t2m-server` process that is killed (SIGKILL) when dropped, so a failing test leaves no worker behind.
pub struct ChildProcess(pub std::process::Child);

impl ChildProcess {
    /// Kills the process and reaps it.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for ChildProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A `T2M_MODE=worker` process on `app`'s database and data directory, trusting the test key; `vars` add to
/// or override its environment.
pub fn worker_process(app: &TestApp, vars: &[(&str, &str)]) -> ChildProcess {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_t2m-server"));
    command
        .env("T2M_MODE", "worker")
        .env("DATABASE_URL", &app.state.config.database_url)
        .env("T2M_DATA_DIR", app.data_dir.path())
        .env("T2M_RENDER_FPS", "12")
        .env("CLERK_ISSUER", ISSUER)
        .env("CLERK_JWT_KEY", &key_a().public_pem)
        .envs(vars.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    ChildProcess(command.spawn().expect("the t2m-server binary starts"))
}

/// An app that trusts the test key, so tests mint tokens for any user and tier.
pub async fn jobs_app(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    let mut vars = vec![
        ("CLERK_ISSUER", ISSUER),
        ("CLERK_JWT_KEY", key_a().public_pem.as_str()),
        ("APP_URL", "https://t2m-app.com"),
        ("T2M_RENDER_FPS", "12"),
    ];
    vars.extend_from_slice(extra);
    spawn_app_with(backend, &vars).await
}

pub fn token(user: &str, tier: &str) -> String {
    let mut claims = api_claims(user, "https://t2m-app.com");
    claims.insert("subscription_tier".into(), json!(tier));
    // Render tests can outlast a 60-second token on a loaded machine; these tests are not about expiry.
    claims.insert("exp".into(), json!(crate::tokens::now() + 3600));
    sign(key_a(), &claims)
}

pub async fn generate(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/videos/generate"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Queues a job that must be accepted; returns its id.
pub async fn queued(app: &TestApp, token: &str, body: Value) -> String {
    let res = generate(app, token, body).await;
    assert_eq!(res.status(), 202, "the job is accepted");
    let body: Value = res.json().await.unwrap();
    body["data"]["job_id"].as_str().unwrap().to_owned()
}

pub async fn job(app: &TestApp, token: &str, id: &str) -> (u16, Value) {
    let res = app
        .client
        .get(app.url(&format!("/api/v1/jobs/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

/// The first page of the caller's job list, as `GET /api/v1/jobs` answers it.
pub async fn list(app: &TestApp, token: &str) -> Value {
    app.client
        .get(app.url("/api/v1/jobs"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Polls until the job reaches a final state; returns every status body seen.
pub async fn wait_final(app: &TestApp, token: &str, id: &str, limit: Duration) -> Vec<Value> {
    let start = Instant::now();
    let mut seen = Vec::new();
    loop {
        let (_, body) = job(app, token, id).await;
        let status = body["data"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        seen.push(body["data"].clone());
        if ["completed", "failed", "canceled"].contains(&status.as_str()) {
            return seen;
        }
        assert!(
            start.elapsed() < limit,
            "job {id} still {status} after {limit:?} and {} polls; last seen: {}",
            seen.len(),
            seen[seen.len() - 1]
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `ffprobe` facts about a video file.
pub struct Probe {
    pub codec: String,
    pub width: u64,
    pub height: u64,
    pub duration: f64,
}

/// `ffprobe -v error <entries…> -of json <path>`, parsed; fails the test if ffprobe refuses the file.
pub fn ffprobe(path: &std::path::Path, entries: &[&str]) -> Value {
    let out = std::process::Command::new("ffprobe")
        .args(["-v", "error"])
        .args(entries)
        .args(["-of", "json"])
        .arg(path)
        .output()
        .expect("ffprobe is installed (Debian's ffmpeg)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

pub fn probe(path: &std::path::Path) -> Probe {
    let json = ffprobe(
        path,
        &[
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=codec_name,width,height",
            "-show_entries",
            "format=duration",
        ],
    );
    let decode = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "null", "-"])
        .output()
        .unwrap();
    assert!(
        decode.status.success() && decode.stderr.is_empty(),
        "decode errors: {}",
        String::from_utf8_lossy(&decode.stderr)
    );
    Probe {
        codec: json["streams"][0]["codec_name"]
            .as_str()
            .unwrap()
            .to_owned(),
        width: json["streams"][0]["width"].as_u64().unwrap(),
        height: json["streams"][0]["height"].as_u64().unwrap(),
        duration: json["format"]["duration"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
    }
}

/// The stored bytes of a file row.
pub async fn stored_path(app: &TestApp, file_id: &str) -> std::path::PathBuf {
    let row = app::services::files::repo::find(&app.state.db, file_id)
        .await
        .unwrap()
        .expect("file row");
    app.state.store.path_of(&row.storage_key).unwrap()
}

/// Queue tests end with no job left queued or processing.
pub async fn assert_queue_drained(app: &TestApp) {
    let (open,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'processing')")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(open, 0, "jobs left in the queue");
}
