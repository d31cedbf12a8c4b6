//! A user's `public_metadata` as the built-in provider keeps it, the way Clerk does: a JSON object that
//! `PATCH /v1/users/{id}/metadata` merges into (a key set to `null` is removed). Its `role`,
//! `subscription_tier` and `permissions` keys are the user's columns of those names, so tokens minted after a
//! change carry it and the admin pages show it.

use super::repo::find;
use super::UserRow;
use crate::domain::user::{Role, Tier};
use crate::error::AppError;
use crate::services::db::{now_ms, Db};
use serde_json::{Map, Value};

/// The user's public metadata: what was stored, with the role, tier and permissions columns over it.
///
/// # Errors
/// Database failures.
pub async fn public_metadata(db: &Db, user: &UserRow) -> Result<Value, AppError> {
    let stored: Option<(String,)> =
        sqlx::query_as("SELECT public_metadata FROM users WHERE id = $1")
            .bind(&user.id)
            .fetch_optional(&db.pool)
            .await?;
    let mut metadata = stored
        .and_then(|(raw,)| serde_json::from_str::<Value>(&raw).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Map::new()));
    metadata["role"] = Value::from(user.role().as_str());
    metadata["subscription_tier"] = Value::from(user.tier().as_str());
    metadata["permissions"] = Value::from(user.permissions());
    Ok(metadata)
}

/// Merges `patch` (an object) into a live user's public metadata and sets the columns from the result
/// (a removed `role` or `subscription_tier` falls back to the default); answers the updated user.
///
/// # Errors
/// `invalid_public_metadata` when `patch` is not an object; `NotFound` for an unknown or deleted user.
pub async fn merge_public_metadata(
    db: &Db,
    user_id: &str,
    patch: &Value,
) -> Result<UserRow, AppError> {
    if !patch.is_object() {
        return Err(AppError::invalid(
            "public_metadata",
            "public_metadata must be a JSON object",
        ));
    }
    let user = find(db, user_id).await?.ok_or(AppError::NotFound)?;
    let mut metadata = public_metadata(db, &user).await?;
    merge(&mut metadata, patch);
    let role = metadata
        .get("role")
        .and_then(Value::as_str)
        .map(Role::parse)
        .unwrap_or_default();
    let tier = metadata
        .get("subscription_tier")
        .and_then(Value::as_str)
        .map(Tier::parse)
        .unwrap_or_default();
    let permissions: Vec<&str> = metadata
        .get("permissions")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let done = sqlx::query(
        "UPDATE users SET public_metadata = $1, role = $2, subscription_tier = $3, permissions = $4, \
         updated_at = $5 WHERE id = $6 AND deleted_at IS NULL",
    )
    .bind(metadata.to_string())
    .bind(role.as_str())
    .bind(tier.as_str())
    .bind(Value::from(permissions).to_string())
    .bind(now_ms())
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    find(db, user_id).await?.ok_or(AppError::NotFound)
}

/// JSON merge (RFC 7386), which is what Clerk does to metadata: objects merge key by key, `null` removes a
/// key, anything else replaces.
pub fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(changes) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(fields) = target {
        for (key, change) in changes {
            if change.is_null() {
                fields.remove(key);
            } else {
                merge(fields.entry(key.clone()).or_insert(Value::Null), change);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::merge;
    use serde_json::json;

    #[test]
    fn metadata_merges_deeply_and_null_removes() {
        let mut stored = json!({"role": "user", "plan": {"seats": 1, "trial": true}, "keep": 1});
        merge(
            &mut stored,
            &json!({"role": "admin", "plan": {"trial": null, "seats": 3}, "new": [1]}),
        );
        assert_eq!(
            stored,
            json!({"role": "admin", "plan": {"seats": 3}, "keep": 1, "new": [1]})
        );
    }
}
