//! Reading a Clerk user object (webhook `data`) into the user T2M mirrors.

use crate::domain::user::{Role, Tier};
use crate::services::users::NewUser;
use serde_json::Value;

/// Clerk's `updated_at` (milliseconds since the epoch), which orders events about one user.
pub fn updated_at(data: &Value) -> Option<i64> {
    data.get("updated_at").and_then(Value::as_i64)
}

/// The user an event describes; `None` without an id.
pub fn user_from(data: &Value) -> Option<NewUser> {
    let id = data.get("id")?.as_str()?.to_owned();
    let primary = data.get("primary_email_address_id").and_then(Value::as_str);
    let email = data
        .get("email_addresses")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .find(|e| primary.is_none() || e.get("id").and_then(Value::as_str) == primary)
                .and_then(|e| e.get("email_address"))
                .and_then(Value::as_str)
        })
        .map(str::to_lowercase);
    let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
    let meta = data.get("public_metadata").cloned().unwrap_or(Value::Null);
    let permissions = meta
        .get("permissions")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some(NewUser {
        id,
        email,
        password_hash: None,
        first_name: text("first_name"),
        last_name: text("last_name"),
        image_url: text("image_url"),
        role: meta
            .get("role")
            .and_then(Value::as_str)
            .map(Role::parse)
            .unwrap_or_default(),
        permissions,
        tier: meta
            .get("subscription_tier")
            .and_then(Value::as_str)
            .map(Tier::parse)
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primary_email_and_clerks_updated_at_are_read() {
        let data = serde_json::json!({
            "id": "user_1", "updated_at": 1_700_000_000_123_i64, "primary_email_address_id": "idn_2",
            "email_addresses": [{"id": "idn_1", "email_address": "a@x.io"}, {"id": "idn_2", "email_address": "B@x.io"}],
        });
        assert_eq!(user_from(&data).unwrap().email.as_deref(), Some("b@x.io"));
        assert_eq!(updated_at(&data), Some(1_700_000_000_123));
        assert!(user_from(&serde_json::json!({})).is_none());
    }
}
