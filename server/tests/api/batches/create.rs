//! Creating batches: premium only, 1–50 valid prompts, and all or nothing against the rate limit and the
//! active-jobs cap.

use super::{jobs_of, post_batch, premium};
use crate::helpers::Backend;
use crate::jobs::{generate, jobs_app, token};
use crate::tokens::{api_claims, key_a, now, sign};
use serde_json::json;

fn admin(user: &str) -> String {
    let mut claims = api_claims(user, "https://t2m-app.com");
    claims.insert("role".into(), json!("admin"));
    claims.insert("exp".into(), json!(now() + 3600));
    sign(key_a(), &claims)
}

#[tokio::test]
async fn a_premium_user_queues_one_job_per_prompt_in_order() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let kim = premium("user_kim");
    let (status, body) = post_batch(
        &app,
        &kim,
        json!({"prompts": ["  a red circle ", "a blue square", "a green star"], "duration": 2, "quality": "1080p"}),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let batch_id = body["data"]["batch_id"].as_str().unwrap();
    assert!(batch_id.starts_with("batch_"), "{body}");
    let job_ids: Vec<&str> = body["data"]["job_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    assert_eq!(job_ids.len(), 3);
    let (status, batch) =
        super::call(&app, &kim, "GET", &format!("/api/v1/batches/{batch_id}")).await;
    assert_eq!(status, 200, "{batch}");
    let jobs = batch["data"]["jobs"].as_array().unwrap();
    let listed: Vec<&str> = jobs.iter().map(|j| j["id"].as_str().unwrap()).collect();
    assert_eq!(listed, job_ids, "jobs in prompt order");
    assert_eq!(jobs[0]["prompt"], "a red circle", "prompts are trimmed");
    assert_eq!(
        (jobs[1]["duration"].as_u64(), jobs[1]["quality"].as_str()),
        (Some(2), Some("1080p"))
    );
    assert!(jobs.iter().all(|j| j["status"] == "queued"));
    let positions: Vec<u64> = jobs
        .iter()
        .map(|j| j["queue_position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3], "the queue takes them in prompt order");
    // An admin may too, whatever their tier.
    let (status, body) = post_batch(&app, &admin("user_root"), json!({"prompts": ["x"]})).await;
    assert_eq!(status, 202, "{body}");
}

#[tokio::test]
async fn a_free_user_is_refused_naming_the_premium_tier_and_nothing_is_queued() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let (status, body) = post_batch(
        &app,
        &token("user_lee", "free"),
        json!({"prompts": ["a cat"]}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "forbidden");
    assert_eq!(body["required_tier"], "premium");
    assert_eq!(jobs_of(&app, "user_lee").await, 0);
}

#[tokio::test]
async fn a_batch_holds_one_to_fifty_prompts_and_a_bad_one_queues_nothing() {
    let app = jobs_app(
        Backend::Suite,
        &[("T2M_WORKERS", "0"), ("T2M_PREMIUM_MAX_ACTIVE_JOBS", "100")],
    )
    .await;
    let mia = premium("user_mia");
    for prompts in [json!([]), json!(vec!["x"; 51])] {
        let (status, body) = post_batch(&app, &mia, json!({ "prompts": prompts })).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("invalid_prompts")),
            "{body}"
        );
    }
    let (status, body) = post_batch(&app, &mia, json!({"duration": 3})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_body")),
        "{body}"
    );
    let long = "é".repeat(2001);
    for prompts in [json!(["a cat", "   "]), json!(["a cat", long])] {
        let (status, body) = post_batch(&app, &mia, json!({ "prompts": prompts })).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("invalid_prompt")),
            "{body}"
        );
        assert!(
            body["error"].as_str().unwrap().starts_with("Prompt 2"),
            "{body}"
        );
    }
    let (status, body) =
        post_batch(&app, &mia, json!({"prompts": ["a cat"], "quality": "4k"})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_quality")),
        "{body}"
    );
    assert_eq!(
        jobs_of(&app, "user_mia").await,
        0,
        "no refused batch queued anything"
    );
    let (status, body) = post_batch(&app, &mia, json!({ "prompts": vec!["x"; 50] })).await;
    assert_eq!(status, 202, "fifty is allowed: {body}");
}

#[tokio::test]
async fn the_rate_limit_refuses_a_batch_it_cannot_fully_cover_and_takes_one_slot_per_prompt() {
    let app = jobs_app(
        Backend::Suite,
        &[("T2M_WORKERS", "0"), ("RATE_LIMIT_PER_HOUR", "3")],
    )
    .await;
    let ned = premium("user_ned");
    let (status, body) = post_batch(&app, &ned, json!({"prompts": ["a", "b", "c", "d"]})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("rate_limited")),
        "{body}"
    );
    assert_eq!(jobs_of(&app, "user_ned").await, 0, "nothing was queued");
    let (status, body) = post_batch(&app, &ned, json!({"prompts": ["a", "b", "c"]})).await;
    assert_eq!(status, 202, "the refused batch used no slots: {body}");
    let res = generate(&app, &ned, json!({"prompt": "one more"})).await;
    assert_eq!(res.status(), 429, "three prompts used three slots");
    for header in [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "retry-after",
    ] {
        assert!(res.headers().contains_key(header), "{header}");
    }
}

#[tokio::test]
async fn a_batch_that_would_pass_the_active_jobs_cap_is_refused_whole() {
    let app = jobs_app(
        Backend::Suite,
        &[("T2M_WORKERS", "0"), ("T2M_PREMIUM_MAX_ACTIVE_JOBS", "3")],
    )
    .await;
    let olga = premium("user_olga");
    let (status, _) = post_batch(&app, &olga, json!({"prompts": ["a"]})).await;
    assert_eq!(status, 202);
    let (status, body) = post_batch(&app, &olga, json!({"prompts": ["b", "c", "d"]})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("too_many_active_jobs")),
        "{body}"
    );
    assert_eq!(jobs_of(&app, "user_olga").await, 1);
    let (status, body) = post_batch(&app, &olga, json!({"prompts": ["b", "c"]})).await;
    assert_eq!(status, 202, "{body}");
}
