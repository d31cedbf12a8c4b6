//! What an operator reads: `T2M_LOG_FORMAT=json` makes every line the child process prints one JSON object.

use std::io::{BufRead, BufReader, Read};
use std::time::{Duration, Instant};

/// Starts the real binary with `vars`; returns its stdout lines once it has said it is listening (or exited).
fn first_lines(vars: &[(&str, &str)]) -> (Option<i32>, Vec<String>, String) {
    let data = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_t2m-server"))
        .env("T2M_DATA_DIR", data.path())
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env_remove("RUST_LOG")
        .envs(vars.iter().copied())
        .current_dir(data.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut lines = Vec::new();
    let code = loop {
        while let Ok(line) = rx.try_recv() {
            lines.push(line);
        }
        if lines.iter().any(|l| l.contains("T2M listening on")) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        assert!(Instant::now() < deadline, "no listening line: {lines:?}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    (code, lines, stderr)
}

#[test]
fn json_log_format_writes_every_line_as_a_json_object() {
    let (code, lines, stderr) = first_lines(&[("T2M_LOG_FORMAT", "json")]);
    assert_eq!(code, None, "{stderr}");
    assert!(!lines.is_empty());
    for line in &lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(value["level"].is_string(), "{line}");
        assert!(value["timestamp"].is_string(), "{line}");
    }
    assert!(lines.iter().any(|l| {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        v["fields"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("T2M listening on"))
    }));
}

#[test]
fn text_log_format_is_the_default_and_not_json() {
    let (code, lines, stderr) = first_lines(&[]);
    assert_eq!(code, None, "{stderr}");
    let listening = lines
        .iter()
        .find(|l| l.contains("T2M listening on"))
        .unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(listening).is_err(),
        "{listening}"
    );
}

#[test]
fn an_unknown_log_format_stops_the_server_naming_the_variable() {
    let (code, _, stderr) = first_lines(&[("T2M_LOG_FORMAT", "xml")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("T2M_LOG_FORMAT"), "{stderr}");
}
