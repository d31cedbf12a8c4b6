//! `GET /metrics`: route templates (never concrete ids), statuses, the optional token, and the queue gauges.
//! The recorder is process-wide, so counters here may include other tests' requests: assertions look for
//! what this test caused, never for exact totals.

use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::jobs::{jobs_app, queued, token};
use serde_json::json;

async fn scrape(app: &TestApp, bearer: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(app.url("/metrics"));
    if let Some(bearer) = bearer {
        request = request.bearer_auth(bearer);
    }
    let res = request.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The value of the sample whose name and labels contain every one of `parts`.
fn sample(text: &str, name: &str, parts: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| l.starts_with(name) && !l.starts_with('#'))
        .filter(|l| l[name.len()..].starts_with(['{', ' ']))
        .find(|l| parts.iter().all(|p| l.contains(p)))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn requests_are_counted_by_route_template_and_status() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let unknown = "job_0000000000000000000000000000dead";
    let res = app
        .client
        .get(app.url(&format!("/api/v1/jobs/{unknown}?secret=1")))
        .bearer_auth(token("user_metrics", "free"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = app
        .client
        .get(app.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let (status, text) = scrape(&app, None).await;
    assert_eq!(status, 200);
    let counted = sample(
        &text,
        "http_requests_total",
        &[
            r#"method="GET""#,
            r#"route="/api/v1/jobs/{id}""#,
            r#"status="404""#,
        ],
    );
    assert!(counted.is_some_and(|n| n >= 1.0), "{text}");
    assert!(
        !text.contains(unknown),
        "a concrete id became a label: {text}"
    );
    assert!(!text.contains("/no/such/page"), "{text}");
    assert!(
        sample(
            &text,
            "http_requests_total",
            &[r#"route="unmatched""#, r#"status="404""#]
        )
        .is_some(),
        "{text}"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket{"),
        "latency histogram: {text}"
    );
    assert!(
        sample(&text, "t2m_token_verifications_total", &[r#"outcome="ok""#]).is_some(),
        "{text}"
    );
    assert!(
        sample(&text, "t2m_db_pool_connections", &[r#"state="idle""#]).is_some(),
        "{text}"
    );
}

#[tokio::test]
async fn the_metrics_token_is_required_when_set() {
    let app = spawn_app_with(
        Backend::Suite,
        &[("T2M_METRICS_TOKEN", "scrape-me-please-0123")],
    )
    .await;
    let (status, body) = scrape(&app, None).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("\"code\""), "{body}");
    assert_eq!(scrape(&app, Some("scrape-me-please-0124")).await.0, 401);
    assert_eq!(scrape(&app, Some("scrape-me-please-012")).await.0, 401);
    let (status, text) = scrape(&app, Some("scrape-me-please-0123")).await;
    assert_eq!(status, 200);
    assert!(text.contains("# TYPE"), "{text}");
}

#[tokio::test]
async fn queue_gauges_show_a_queued_job_and_its_age() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    queued(
        &app,
        &token("user_gauge", "free"),
        json!({"prompt": "a queued job"}),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    // Gauges are process-wide and other tests' scrapes refresh them from their own databases: retry a few
    // times for a scrape of this app that no other scrape overtook.
    let mut last = String::new();
    for _ in 0..20 {
        let (_, text) = scrape(&app, None).await;
        let depth = sample(&text, "t2m_job_queue_depth", &[]);
        let queued = sample(&text, "t2m_jobs", &[r#"state="queued""#]);
        let age = sample(&text, "t2m_job_queue_oldest_age_seconds", &[]);
        if depth == Some(1.0) && queued == Some(1.0) && age.is_some_and(|a| a > 0.0) {
            return;
        }
        last = text;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no queue gauges for the queued job: {last}");
}
