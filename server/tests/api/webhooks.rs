//! Clerk webhooks: signed deliveries mirror users; forged, stale and replayed ones change nothing.

use crate::helpers::{spawn_app_with, Backend, TestApp};
use app::services::webhooks::svix::WebhookSecret;
use serde_json::{json, Value};

mod ordering;
mod revocation;

pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn app() -> TestApp {
    spawn_app_with(Backend::Suite, &[("CLERK_WEBHOOK_SECRET", SECRET)]).await
}

pub async fn deliver(
    app: &TestApp,
    id: &str,
    timestamp: i64,
    body: &Value,
    signature: Option<String>,
) -> reqwest::Response {
    let raw = body.to_string();
    let sig = signature.unwrap_or_else(|| {
        format!(
            "v1,{}",
            WebhookSecret::parse(SECRET)
                .unwrap()
                .sign(id, timestamp, raw.as_bytes())
        )
    });
    app.client
        .post(app.url("/api/webhooks/clerk"))
        .header("svix-id", id)
        .header("svix-timestamp", timestamp.to_string())
        .header("svix-signature", sig)
        .header("content-type", "application/json")
        .body(raw)
        .send()
        .await
        .unwrap()
}

fn user_event(kind: &str, tier: &str) -> Value {
    json!({"type": kind, "data": {
        "id": "user_clerk_1", "first_name": "Grace", "last_name": "Hopper",
        "primary_email_address_id": "idn_2",
        "email_addresses": [{"id": "idn_1", "email_address": "old@example.com"}, {"id": "idn_2", "email_address": "Grace@Example.com"}],
        "public_metadata": {"role": "user", "subscription_tier": tier, "permissions": ["files:read"]}
    }})
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test]
async fn signed_user_events_create_update_and_delete_users_once_each() {
    let app = app().await;
    assert_eq!(
        deliver(
            &app,
            "msg_1",
            now(),
            &user_event("user.created", "free"),
            None
        )
        .await
        .status(),
        200
    );
    let user = app::services::users::repo::find(&app.state.db, "user_clerk_1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.email.as_deref(), Some("grace@example.com"));
    assert_eq!(user.tier().as_str(), "free");
    let res = deliver(
        &app,
        "msg_2",
        now(),
        &user_event("user.updated", "premium"),
        None,
    )
    .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["data"]["outcome"],
        "applied"
    );
    let user = app::services::users::repo::find(&app.state.db, "user_clerk_1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.tier().as_str(), "premium");
    let replay = deliver(
        &app,
        "msg_1",
        now(),
        &user_event("user.created", "free"),
        None,
    )
    .await;
    assert_eq!(
        replay.json::<Value>().await.unwrap()["data"]["outcome"],
        "alreadyprocessed"
    );
    let user = app::services::users::repo::find(&app.state.db, "user_clerk_1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        user.tier().as_str(),
        "premium",
        "a replayed delivery changes nothing"
    );
    let deleted = json!({"type": "user.deleted", "data": {"id": "user_clerk_1", "deleted": true}});
    assert_eq!(
        deliver(&app, "msg_3", now(), &deleted, None).await.status(),
        200
    );
    assert!(
        app::services::users::repo::find(&app.state.db, "user_clerk_1")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn forged_stale_and_unsigned_deliveries_are_refused() {
    let app = app().await;
    let event = user_event("user.created", "premium");
    let forged = deliver(
        &app,
        "msg_f",
        now(),
        &event,
        Some("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into()),
    )
    .await;
    assert_eq!(forged.status(), 400);
    assert_eq!(
        forged.json::<Value>().await.unwrap()["code"],
        "invalid_webhook_signature"
    );
    let stale = deliver(&app, "msg_s", now() - 3600, &event, None).await;
    assert_eq!(stale.status(), 400);
    let unsigned = app
        .client
        .post(app.url("/api/webhooks/clerk"))
        .json(&event)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 400);
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE id = 'user_clerk_1'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(users, 0, "nothing was written");
}

#[tokio::test]
async fn without_a_secret_the_endpoint_does_not_exist() {
    let app = crate::helpers::spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/webhooks/clerk"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
