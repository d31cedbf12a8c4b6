//! A `T2M_MODE=worker` process answers `/livez`, `/readyz` and `/metrics` on `T2M_WORKER_HTTP_ADDR`, and
//! nothing else there.

use super::{Proc, TestDb};

#[tokio::test]
async fn a_worker_serves_its_probes_and_metrics() {
    let data = tempfile::tempdir().unwrap();
    let db = TestDb::new(data.path()).await;
    let mut worker = Proc::start(
        data.path(),
        &[
            ("T2M_MODE", "worker"),
            ("DATABASE_URL", &db.url),
            ("T2M_WORKER_HTTP_ADDR", "127.0.0.1:0"),
            ("T2M_METRICS_TOKEN", "worker-scrape-token"),
        ],
    );
    let addr = worker.wait_for("T2M worker probes on ").await;
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{addr}{path}"));
    assert_eq!(get("/livez").send().await.unwrap().status(), 200);
    let ready = get("/readyz").send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["checks"]["database"], "ok", "{body}");
    assert_eq!(get("/metrics").send().await.unwrap().status(), 401);
    let res = get("/metrics")
        .bearer_auth("worker-scrape-token")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(text.contains("t2m_job_queue_depth"), "{text}");
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/livez",status="200"}"#)
            || text
                .lines()
                .any(|l| l.starts_with("http_requests_total") && l.contains(r#"route="/livez""#)),
        "{text}"
    );
    // The worker serves probes only: no pages, no API.
    assert_eq!(get("/api/v1/me").send().await.unwrap().status(), 404);
    drop(worker);
    db.drop_now().await;
}

#[test]
fn a_bad_worker_http_address_stops_the_worker_naming_the_variable() {
    let data = tempfile::tempdir().unwrap();
    let (code, _, err) = super::run_command(
        data.path(),
        &[],
        &[
            ("T2M_MODE", "worker"),
            ("T2M_WORKER_HTTP_ADDR", "localhost"),
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("T2M_WORKER_HTTP_ADDR"), "{err}");
}
