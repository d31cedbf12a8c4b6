//! How links stop working: revoked by their owner (only), expired, their video deleted, their owner deleted;
//! and the list, which shows only the caller's active links.

use super::{created, list, page_status, rendered_job, revoke, shares_app, token};
use crate::webhooks::{deliver, now, SECRET};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn owners_revoke_their_links_and_the_list_shows_only_their_active_ones() {
    let app = shares_app(&[]).await;
    let owner = token("user_a", "free");
    let stranger = token("user_b", "free");
    let (job_id, _) = rendered_job(&app, &owner).await;
    let kept = created(&app, &owner, &job_id, None).await;
    let revoked = created(&app, &owner, &job_id, Some(r#"{"expiresIn": null}"#)).await;
    let revoked_id = revoked["id"].as_str().unwrap();
    assert_eq!(page_status(&app, &revoked).await, 200);

    // Someone else can neither see nor revoke them, nor share the owner's job.
    assert!(list(&app, &stranger).await.is_empty());
    assert_eq!(revoke(&app, &stranger, revoked_id).await, 404);
    assert_eq!(page_status(&app, &revoked).await, 200);
    assert_eq!(revoke(&app, &owner, "share_nope").await, 404);

    assert_eq!(revoke(&app, &owner, revoked_id).await, 204);
    assert_eq!(page_status(&app, &revoked).await, 404);
    assert_eq!(
        revoke(&app, &owner, revoked_id).await,
        404,
        "already revoked"
    );
    assert_eq!(page_status(&app, &kept).await, 200, "other links stay");

    let items = list(&app, &owner).await;
    assert_eq!(items.len(), 1, "{items:?}");
    let item = &items[0];
    assert_eq!(item["id"], kept["id"]);
    assert_eq!(item["job_id"], job_id.as_str());
    assert_eq!(item["expires_at"], kept["expires_at"]);
    assert!(item["title"].as_str().unwrap().starts_with("a red circle"));
    assert!(item["created_at"].is_string());
    assert!(
        item.get("url").is_none(),
        "the URL is told once, at creation"
    );
}

#[tokio::test]
async fn links_end_when_they_expire_and_when_the_video_is_deleted() {
    let app = shares_app(&[]).await;
    let owner = token("user_a", "free");
    let (job_id, video_id) = rendered_job(&app, &owner).await;
    let brief = created(&app, &owner, &job_id, Some(r#"{"expiresIn": 1}"#)).await;
    let lasting = created(&app, &owner, &job_id, None).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(page_status(&app, &brief).await, 404, "expired");
    assert_eq!(page_status(&app, &lasting).await, 200);
    let ids: Vec<_> = list(&app, &owner)
        .await
        .into_iter()
        .map(|i| i["id"].clone())
        .collect();
    assert_eq!(
        ids,
        vec![lasting["id"].clone()],
        "expired links leave the list"
    );
    assert_eq!(
        revoke(&app, &owner, brief["id"].as_str().unwrap()).await,
        404,
        "an expired link is no longer active"
    );

    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/files/{video_id}")))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap();
    assert!(deleted.status().is_success());
    assert_eq!(page_status(&app, &lasting).await, 404, "the video is gone");
    assert!(list(&app, &owner).await.is_empty());
    let again = super::create_share(&app, &owner, &job_id, None).await;
    assert_eq!(again.status(), 404, "nothing left to share");
}

#[tokio::test]
async fn a_deleted_user_s_links_are_gone() {
    let app = shares_app(&[("CLERK_WEBHOOK_SECRET", SECRET)]).await;
    let user = "user_leaving";
    let owner = token(user, "free");
    let (job_id, _) = rendered_job(&app, &owner).await;
    let link = created(&app, &owner, &job_id, Some(r#"{"expiresIn": null}"#)).await;
    assert_eq!(page_status(&app, &link).await, 200);
    let event =
        json!({"type": "user.deleted", "data": {"id": user, "object": "user", "deleted": true}});
    assert_eq!(
        deliver(&app, "msg_leaving", now(), &event, None)
            .await
            .status(),
        200
    );
    assert_eq!(page_status(&app, &link).await, 404);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shares WHERE user_id = $1")
        .bind(user)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0, "the rows are deleted, not just hidden");
}
