//! Settings that would silently open the door stop the server at start, naming the variable.

use std::io::Read;
use std::time::{Duration, Instant};

/// Starts the server with `vars`; its exit code (`None` if it was still serving after a while) and stderr.
fn start(vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let data = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_t2m-server"))
        .env("T2M_DATA_DIR", data.path())
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .envs(vars.iter().copied())
        .current_dir(data.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if Instant::now() > deadline {
            // It started: the setting was accepted.
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    (code, stderr)
}

#[test]
fn the_server_refuses_dev_mode_on_a_public_address_or_a_public_app_url() {
    for (addr, app_url) in [
        ("0.0.0.0:0", "http://localhost:3000"),
        ("127.0.0.1:0", "https://t2m-app.com"),
    ] {
        let (code, stderr) = start(&[
            ("DEV_MODE", "true"),
            ("LEPTOS_SITE_ADDR", addr),
            ("APP_URL", app_url),
        ]);
        assert_eq!(code, Some(2), "{addr} {app_url}: {stderr}");
        assert!(stderr.contains("DEV_MODE"), "{stderr}");
    }
}

#[test]
fn the_server_refuses_a_webhook_secret_with_an_empty_or_short_key() {
    for secret in ["whsec_", "whsec_c2hvcnQ="] {
        let (code, stderr) = start(&[("CLERK_WEBHOOK_SECRET", secret)]);
        assert_eq!(code, Some(2), "{secret}: {stderr}");
        assert!(stderr.contains("CLERK_WEBHOOK_SECRET"), "{stderr}");
    }
}

#[test]
fn the_server_refuses_a_redis_url_it_cannot_use() {
    let (code, stderr) = start(&[("REDIS_URL", "memcached://127.0.0.1:11211")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("REDIS_URL"), "{stderr}");
}
