//! Deliveries are recorded and applied in one transaction, late events never undo newer ones, and a deleted
//! user stays deleted; on SQLite and PostgreSQL alike.

use super::{deliver, now, SECRET};
use crate::helpers::{spawn_app_with, Backend, TestApp};
use serde_json::{json, Value};

async fn app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[("CLERK_WEBHOOK_SECRET", SECRET)]).await
}

fn user_event(kind: &str, id: &str, email: &str, tier: &str, updated_at: i64) -> Value {
    json!({"type": kind, "data": {
        "id": id, "first_name": "Grace", "updated_at": updated_at,
        "primary_email_address_id": "idn_1",
        "email_addresses": [{"id": "idn_1", "email_address": email}],
        "public_metadata": {"role": "user", "subscription_tier": tier}
    }})
}

fn deleted(id: &str) -> Value {
    json!({"type": "user.deleted", "data": {"id": id, "object": "user", "deleted": true}})
}

async fn tier_of(app: &TestApp, id: &str) -> Option<String> {
    app::services::users::repo::find(&app.state.db, id)
        .await
        .unwrap()
        .map(|u| u.tier().as_str().to_owned())
}

async fn outcome(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json::<Value>().await.unwrap_or(Value::Null))
}

async fn a_failed_apply_leaves_no_record_so_the_retry_applies_it(backend: Backend) {
    let app = app(backend).await;
    let taken = user_event("user.created", "user_b", "grace@example.com", "free", 1_000);
    assert_eq!(
        deliver(&app, "msg_b", now(), &taken, None).await.status(),
        200
    );
    // Another live account holds the email, so applying this one fails on the unique index.
    let event = user_event(
        "user.created",
        "user_a",
        "grace@example.com",
        "premium",
        2_000,
    );
    let (status, _) = outcome(deliver(&app, "msg_a", now(), &event, None).await).await;
    assert!(
        status >= 500,
        "a failed apply is not acknowledged (got {status})"
    );
    assert_eq!(tier_of(&app, "user_a").await, None);
    // Clerk frees the email; Svix then retries the same delivery, which must now apply.
    assert_eq!(
        deliver(&app, "msg_b_del", now(), &deleted("user_b"), None)
            .await
            .status(),
        200
    );
    let (status, body) = outcome(deliver(&app, "msg_a", now(), &event, None).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["outcome"], "applied", "{body}");
    assert_eq!(tier_of(&app, "user_a").await.as_deref(), Some("premium"));
}

#[tokio::test]
async fn a_failed_apply_is_retried_on_sqlite() {
    a_failed_apply_leaves_no_record_so_the_retry_applies_it(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_failed_apply_is_retried_on_postgres() {
    a_failed_apply_leaves_no_record_so_the_retry_applies_it(Backend::Postgres).await;
}

async fn a_duplicate_delivery_is_acknowledged_without_reapplying(backend: Backend) {
    let app = app(backend).await;
    let event = user_event("user.created", "user_d", "d@example.com", "free", 1_000);
    assert_eq!(
        deliver(&app, "msg_d", now(), &event, None).await.status(),
        200
    );
    sqlx::query("UPDATE users SET subscription_tier = 'premium' WHERE id = 'user_d'")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let (status, body) = outcome(deliver(&app, "msg_d", now(), &event, None).await).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["outcome"], "alreadyprocessed");
    assert_eq!(tier_of(&app, "user_d").await.as_deref(), Some("premium"));
}

#[tokio::test]
async fn a_duplicate_svix_id_is_not_reapplied_on_sqlite() {
    a_duplicate_delivery_is_acknowledged_without_reapplying(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_duplicate_svix_id_is_not_reapplied_on_postgres() {
    a_duplicate_delivery_is_acknowledged_without_reapplying(Backend::Postgres).await;
}

async fn an_older_update_is_acknowledged_and_ignored(backend: Backend) {
    let app = app(backend).await;
    let newer = user_event("user.updated", "user_o", "o@example.com", "premium", 5_000);
    let older = user_event("user.updated", "user_o", "o@example.com", "free", 4_000);
    assert_eq!(
        deliver(&app, "msg_new", now(), &newer, None).await.status(),
        200
    );
    let (status, body) = outcome(deliver(&app, "msg_old", now(), &older, None).await).await;
    assert_eq!(
        status, 200,
        "a stale event is acknowledged so Svix stops retrying"
    );
    assert_eq!(body["data"]["outcome"], "ignored", "{body}");
    assert_eq!(tier_of(&app, "user_o").await.as_deref(), Some("premium"));
}

#[tokio::test]
async fn an_older_updated_at_is_ignored_on_sqlite() {
    an_older_update_is_acknowledged_and_ignored(Backend::Sqlite).await;
}

#[tokio::test]
async fn an_older_updated_at_is_ignored_on_postgres() {
    an_older_update_is_acknowledged_and_ignored(Backend::Postgres).await;
}

async fn late_events_never_resurrect_a_deleted_user(backend: Backend) {
    let app = app(backend).await;
    let created = user_event("user.created", "user_z", "z@example.com", "free", 1_000);
    assert_eq!(
        deliver(&app, "msg_c", now(), &created, None).await.status(),
        200
    );
    assert_eq!(
        deliver(&app, "msg_del", now(), &deleted("user_z"), None)
            .await
            .status(),
        200
    );
    // Even an event that claims to be newer (clock skew, replays under a new id) cannot bring it back.
    let late = user_event("user.updated", "user_z", "z@example.com", "premium", 9_000);
    let (status, _) = outcome(deliver(&app, "msg_late", now(), &late, None).await).await;
    assert_eq!(status, 200);
    let again = user_event("user.created", "user_z", "z@example.com", "premium", 9_500);
    assert_eq!(
        deliver(&app, "msg_again", now(), &again, None)
            .await
            .status(),
        200
    );
    assert_eq!(
        tier_of(&app, "user_z").await,
        None,
        "the user stays deleted"
    );
}

#[tokio::test]
async fn a_deleted_user_is_not_resurrected_on_sqlite() {
    late_events_never_resurrect_a_deleted_user(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_deleted_user_is_not_resurrected_on_postgres() {
    late_events_never_resurrect_a_deleted_user(Backend::Postgres).await;
}
