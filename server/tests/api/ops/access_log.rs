//! The access log of the real binary: one JSON line per request with method, route template, status, latency,
//! request id and user; never the query string or the token.

use super::{Proc, TestDb};
use crate::jobs::token;
use crate::tokens::{key_a, ISSUER};
use serde_json::Value;
use std::time::Duration;

fn access_lines(lines: &[String], route: &str) -> Vec<Value> {
    lines
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "request" && v["fields"]["route"] == route)
        .collect()
}

#[tokio::test]
async fn each_request_is_logged_once_with_its_route_template_and_no_secrets() {
    let data = tempfile::tempdir().unwrap();
    let db = TestDb::new(data.path()).await;
    let mut server = Proc::start(
        data.path(),
        &[
            ("T2M_LOG_FORMAT", "json"),
            ("DATABASE_URL", &db.url),
            ("CLERK_ISSUER", ISSUER),
            ("CLERK_JWT_KEY", &key_a().public_pem),
            ("APP_URL", "https://t2m-app.com"),
            ("T2M_WORKERS", "0"),
        ],
    );
    let addr = server.wait_for("T2M listening on ").await;
    let bearer = token("user_logged", "free");
    let client = reqwest::Client::new();
    let res = client
        .get(format!(
            "{addr}/api/v1/jobs/job_00000000000000000000000000000abc?signature=topsecretsig"
        ))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let res = client.get(format!("{addr}/livez")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = client
        .get(format!("{addr}/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);

    let mut found = Vec::new();
    for _ in 0..100 {
        found = access_lines(&server.lines(), "/api/v1/jobs/{id}");
        if !found.is_empty() && !access_lines(&server.lines(), "/api/v1/me").is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let lines = server.lines();
    assert_eq!(found.len(), 1, "exactly one line per request: {lines:?}");
    let fields = &found[0]["fields"];
    assert_eq!(found[0]["level"], "INFO", "{fields}");
    assert_eq!(fields["method"], "GET", "{fields}");
    assert_eq!(fields["status"], 404, "{fields}");
    assert!(fields["latency_ms"].is_number(), "{fields}");
    assert_eq!(fields["request_id"], request_id.as_str(), "{fields}");
    assert_eq!(fields["user_id"], "user_logged", "{fields}");
    let livez = access_lines(&lines, "/livez");
    assert_eq!(livez.len(), 1, "{lines:?}");
    assert!(
        livez[0]["fields"].get("user_id").is_none(),
        "anonymous: {livez:?}"
    );
    let refused = access_lines(&lines, "/api/v1/me");
    assert_eq!(refused.len(), 1, "{lines:?}");
    assert_eq!(refused[0]["fields"]["code"], "missing_token", "{refused:?}");
    assert_eq!(refused[0]["fields"]["status"], 401, "{refused:?}");
    assert!(
        !lines.iter().any(|l| l.contains("request refused")),
        "a refusal is logged once, on its access line: {lines:?}"
    );
    for line in &lines {
        assert!(
            !line.contains("topsecretsig"),
            "query string logged: {line}"
        );
        assert!(!line.contains(&bearer), "token logged: {line}");
    }
    drop(server);
    db.drop_now().await;
}
