//! Bad generate requests are refused with a code naming the field, and nothing is enqueued.

use super::{generate, jobs_app, token};
use crate::helpers::Backend;
use serde_json::{json, Value};

#[tokio::test]
async fn each_invalid_field_is_named_and_nothing_is_queued() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let eve = token("user_eve", "free");
    let long = "x".repeat(2001);
    let cases = [
        (json!({"prompt": "   "}), 400, "invalid_prompt"),
        (json!({"prompt": long}), 400, "invalid_prompt"),
        (
            json!({"prompt": "ok", "duration": 0}),
            400,
            "invalid_duration",
        ),
        (
            json!({"prompt": "ok", "duration": 61}),
            400,
            "invalid_duration",
        ),
        (
            json!({"prompt": "ok", "quality": "4k"}),
            400,
            "invalid_quality",
        ),
        (
            json!({"prompt": "ok", "duration": "ten"}),
            400,
            "invalid_body",
        ),
        (json!({"nothing": true}), 400, "invalid_body"),
    ];
    for (body, status, code) in cases {
        let res = generate(&app, &eve, body.clone()).await;
        assert_eq!(res.status().as_u16(), status, "{body}");
        let answer: Value = res.json().await.unwrap();
        assert_eq!(answer["code"], code, "{body}: {answer}");
    }
    let res = app
        .client
        .post(app.url("/api/v1/videos/generate"))
        .bearer_auth(&eve)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = app
        .client
        .post(app.url("/api/v1/videos/generate"))
        .bearer_auth(&eve)
        .body("prompt=x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let (queued,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(queued, 0);
}

#[tokio::test]
async fn free_users_are_told_which_tier_unlocks_1080p_and_long_videos() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let free = token("user_free", "free");
    for body in [
        json!({"prompt": "ok", "quality": "1080p"}),
        json!({"prompt": "ok", "duration": 45}),
    ] {
        let res = generate(&app, &free, body).await;
        assert_eq!(res.status(), 403);
        let answer: Value = res.json().await.unwrap();
        assert_eq!(
            (answer["code"].as_str(), answer["required_tier"].as_str()),
            (Some("forbidden"), Some("premium"))
        );
    }
    let premium = token("user_paid", "premium");
    assert_eq!(
        generate(
            &app,
            &premium,
            json!({"prompt": "ok", "quality": "1080p", "duration": 60})
        )
        .await
        .status(),
        202
    );
}

#[tokio::test]
async fn generating_past_the_hourly_limit_answers_429_with_rate_headers() {
    let app = jobs_app(
        Backend::Suite,
        &[("T2M_WORKERS", "0"), ("RATE_LIMIT_PER_HOUR", "2")],
    )
    .await;
    let user = token("user_busy", "free");
    assert_eq!(
        generate(&app, &user, json!({"prompt": "bad", "quality": "8k"}))
            .await
            .status(),
        400,
        "invalid requests do not count"
    );
    for _ in 0..2 {
        assert_eq!(
            generate(&app, &user, json!({"prompt": "ok"}))
                .await
                .status(),
            202
        );
    }
    let res = generate(&app, &user, json!({"prompt": "one too many"})).await;
    assert_eq!(res.status(), 429);
    let h = res.headers().clone();
    assert_eq!(h["x-ratelimit-limit"], "2");
    assert_eq!(h["x-ratelimit-remaining"], "0");
    let reset: i64 = h["x-ratelimit-reset"].to_str().unwrap().parse().unwrap();
    let retry: i64 = h["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(reset > chrono::Utc::now().timestamp() && (1..=3600).contains(&retry));
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "rate_limited");
    let other = token("user_calm", "free");
    assert_eq!(
        generate(&app, &other, json!({"prompt": "mine"}))
            .await
            .status(),
        202,
        "limits are per user"
    );
}
