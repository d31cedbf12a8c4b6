//! Making a link: lifetimes (default, explicit, `null`), bad input, and whose jobs may be shared.

use super::{code_of, create_share, created, rendered_job, shares_app, token, APP_URL};
use crate::jobs::queued;
use serde_json::json;
use sha2::{Digest, Sha256};

fn seconds_ahead(iso: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(iso)
        .unwrap()
        .timestamp()
        - chrono::Utc::now().timestamp()
}

#[tokio::test]
async fn links_last_a_week_by_default_as_asked_or_until_revoked_and_only_their_hash_is_stored() {
    let app = shares_app(&[]).await;
    let bearer = token("user_a", "free");
    let (job_id, _) = rendered_job(&app, &bearer).await;

    let default = created(&app, &bearer, &job_id, None).await;
    let ahead = seconds_ahead(default["expires_at"].as_str().unwrap());
    assert!((604_790..=604_800).contains(&ahead), "{ahead}");
    let empty_object = created(&app, &bearer, &job_id, Some("{}")).await;
    assert!(empty_object["expires_at"].is_string(), "{empty_object}");
    let hour = created(&app, &bearer, &job_id, Some(r#"{"expiresIn": 3600}"#)).await;
    let ahead = seconds_ahead(hour["expires_at"].as_str().unwrap());
    assert!((3590..=3600).contains(&ahead), "{ahead}");
    let forever = created(&app, &bearer, &job_id, Some(r#"{"expiresIn": null}"#)).await;
    assert!(forever["expires_at"].is_null(), "{forever}");

    let mut tokens = Vec::new();
    for link in [&default, &empty_object, &hour, &forever] {
        assert!(link["id"].as_str().unwrap().starts_with("share_"));
        let url = link["url"].as_str().unwrap();
        let token = url
            .strip_prefix(&format!("{APP_URL}/s/"))
            .unwrap_or_else(|| panic!("{url} is APP_URL/s/{{token}}"));
        assert!(token.len() >= 22, "{token}");
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{token} is base64url without padding"
        );
        tokens.push(token.to_owned());
    }
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 4, "every link has its own token");

    let stored: Vec<(String, String)> =
        sqlx::query_as("SELECT id, token_hash FROM shares ORDER BY created_at")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(stored.len(), 4);
    for token in &tokens {
        let hash = hex::encode(Sha256::digest(token.as_bytes()));
        assert!(stored.iter().any(|(_, h)| *h == hash), "the hash is kept");
        assert!(
            stored
                .iter()
                .all(|(id, h)| !h.contains(token.as_str()) && !id.contains(token.as_str())),
            "the raw token is not"
        );
    }
}

#[tokio::test]
async fn bad_lifetimes_unfinished_jobs_and_other_users_jobs_are_refused() {
    let app = shares_app(&[("T2M_WORKERS", "0")]).await;
    let bearer = token("user_a", "free");
    let job_id = queued(
        &app,
        &bearer,
        json!({"prompt": "still queued", "duration": 1, "quality": "480p"}),
    )
    .await;
    for bad in [
        r#"{"expiresIn": 0}"#,
        r#"{"expiresIn": -5}"#,
        r#"{"expiresIn": 31536001}"#,
        r#"{"expiresIn": "60"}"#,
        r#"{"expiresIn": 1.5}"#,
    ] {
        let (status, code) = code_of(create_share(&app, &bearer, &job_id, Some(bad)).await).await;
        assert_eq!(
            (status, code.as_str()),
            (400, "invalid_expires_in"),
            "{bad}"
        );
    }
    let (status, code) = code_of(create_share(&app, &bearer, &job_id, Some("{")).await).await;
    assert_eq!((status, code.as_str()), (400, "invalid_body"));

    // The owner's job without a video yet: 409, saying so.
    let (status, code) = code_of(create_share(&app, &bearer, &job_id, None).await).await;
    assert_eq!((status, code.as_str()), (409, "video_not_ready"));
    // Someone else's job, and a job that does not exist: the same 404.
    let stranger = token("user_b", "free");
    let (status, code) = code_of(create_share(&app, &stranger, &job_id, None).await).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    let (status, code) = code_of(create_share(&app, &bearer, "job_nope", None).await).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    // Nobody signed in.
    let res = app
        .client
        .post(app.url(&format!("/api/v1/videos/{job_id}/shares")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shares")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0, "no refused request made a link");
}
