//! SQL for the `users` table.

use crate::domain::user::{Role, Tier};
use crate::error::AppError;
use crate::services::db::{now_ms, Db};
use sqlx::{AnyConnection, FromRow};

/// A stored user.
#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub image_url: Option<String>,
    pub role: String,
    pub permissions: String,
    pub subscription_tier: String,
    pub onboarded: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_sign_in_at: Option<i64>,
    pub deleted_at: Option<i64>,
}

impl UserRow {
    /// The role column, read safely.
    pub fn role(&self) -> Role {
        Role::parse(&self.role)
    }

    /// The tier column, read safely.
    pub fn tier(&self) -> Tier {
        Tier::parse(&self.subscription_tier)
    }

    /// The permissions column (a JSON array).
    pub fn permissions(&self) -> Vec<String> {
        serde_json::from_str(&self.permissions).unwrap_or_default()
    }

    /// A name to greet the user by.
    pub fn display_name(&self) -> String {
        let full = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !full.trim().is_empty() {
            full
        } else if let Some(email) = &self.email {
            email.split('@').next().unwrap_or(email).to_owned()
        } else {
            "there".to_owned()
        }
    }
}

/// A user to insert or update.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub id: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub image_url: Option<String>,
    pub role: Role,
    pub permissions: Vec<String>,
    pub tier: Tier,
}

const COLUMNS: &str =
    "id, email, password_hash, first_name, last_name, image_url, role, permissions, \
subscription_tier, onboarded, created_at, updated_at, last_sign_in_at, deleted_at";

/// Inserts a new user.
///
/// # Errors
/// `Conflict` when the email is taken.
pub async fn insert(db: &Db, user: &NewUser) -> Result<UserRow, AppError> {
    let now = now_ms();
    let result = sqlx::query(
        "INSERT INTO users (id, email, password_hash, first_name, last_name, image_url, role, permissions, \
         subscription_tier, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(&user.id)
    .bind(&user.email)
    .bind(&user.password_hash)
    .bind(&user.first_name)
    .bind(&user.last_name)
    .bind(&user.image_url)
    .bind(user.role.as_str())
    .bind(serde_json::to_string(&user.permissions).unwrap_or_else(|_| "[]".into()))
    .bind(user.tier.as_str())
    .bind(now)
    .execute(&db.pool)
    .await;
    match result {
        Ok(_) => find(db, &user.id).await?.ok_or(AppError::NotFound),
        Err(sqlx::Error::Database(err)) if err.is_unique_violation() => Err(AppError::Conflict(
            "An account with this email already exists".into(),
        )),
        Err(err) => Err(err.into()),
    }
}

/// Creates or refreshes a user mirrored from Clerk, keeping local-only columns. Returns false, changing
/// nothing, when the user was deleted (deletion is final) or the stored copy came from a newer Clerk
/// `updated_at` than `clerk_updated_at` (a late delivery).
///
/// # Errors
/// Database failures, e.g. another live account holding the email.
pub async fn apply_mirrored(
    conn: &mut AnyConnection,
    user: &NewUser,
    clerk_updated_at: Option<i64>,
) -> Result<bool, AppError> {
    let now = now_ms();
    let done = sqlx::query(
        "INSERT INTO users (id, email, first_name, last_name, image_url, role, permissions, subscription_tier, \
         created_at, updated_at, clerk_updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) \
         ON CONFLICT (id) DO UPDATE SET email = excluded.email, first_name = excluded.first_name, \
         last_name = excluded.last_name, image_url = excluded.image_url, role = excluded.role, \
         permissions = excluded.permissions, subscription_tier = excluded.subscription_tier, \
         updated_at = excluded.updated_at, \
         clerk_updated_at = COALESCE(excluded.clerk_updated_at, users.clerk_updated_at) \
         WHERE users.deleted_at IS NULL AND (users.clerk_updated_at IS NULL \
         OR excluded.clerk_updated_at IS NULL OR excluded.clerk_updated_at >= users.clerk_updated_at)",
    )
    .bind(&user.id)
    .bind(&user.email)
    .bind(&user.first_name)
    .bind(&user.last_name)
    .bind(&user.image_url)
    .bind(user.role.as_str())
    .bind(serde_json::to_string(&user.permissions).unwrap_or_else(|_| "[]".into()))
    .bind(user.tier.as_str())
    .bind(now)
    .bind(clerk_updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Marks a user deleted for good and forgets their personal details. A tombstone row is written even for a
/// user never seen, so a `user.created` delivered late cannot bring them back.
///
/// # Errors
/// Database failures.
pub async fn tombstone(conn: &mut AnyConnection, id: &str) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO users (id, created_at, updated_at, deleted_at) VALUES ($1, $2, $2, $2) \
         ON CONFLICT (id) DO UPDATE SET deleted_at = COALESCE(users.deleted_at, excluded.deleted_at), \
         updated_at = excluded.updated_at, email = NULL, password_hash = NULL, first_name = NULL, \
         last_name = NULL, image_url = NULL",
    )
    .bind(id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A live (not deleted) user by id.
///
/// # Errors
/// Database failures.
pub async fn find(db: &Db, id: &str) -> Result<Option<UserRow>, AppError> {
    Ok(sqlx::query_as::<_, UserRow>(&format!(
        "SELECT {COLUMNS} FROM users WHERE id = $1 AND deleted_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?)
}

/// A live user by email, compared case-insensitively.
///
/// # Errors
/// Database failures.
pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<UserRow>, AppError> {
    Ok(sqlx::query_as::<_, UserRow>(&format!(
        "SELECT {COLUMNS} FROM users WHERE email = $1 AND deleted_at IS NULL"
    ))
    .bind(email.trim().to_lowercase())
    .fetch_optional(&db.pool)
    .await?)
}

/// Records a successful sign-in.
///
/// # Errors
/// Database failures.
pub async fn touch_sign_in(db: &Db, id: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Marks onboarding as done.
///
/// # Errors
/// Database failures.
pub async fn mark_onboarded(db: &Db, id: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET onboarded = 1, updated_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Sets role and tier (admin action). `clerk_updated_at` is Clerk's `updated_at` after it accepted the same
/// change, so a webhook carrying an older copy of the user is recognised as late and ignored.
///
/// # Errors
/// `NotFound` for an unknown user.
pub async fn set_role_and_tier(
    db: &Db,
    id: &str,
    role: Role,
    tier: Tier,
    clerk_updated_at: Option<i64>,
) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE users SET role = $1, subscription_tier = $2, updated_at = $3, \
         clerk_updated_at = CASE WHEN $5 IS NULL THEN clerk_updated_at \
         WHEN clerk_updated_at IS NULL OR clerk_updated_at < $5 THEN $5 ELSE clerk_updated_at END \
         WHERE id = $4 AND deleted_at IS NULL",
    )
    .bind(role.as_str())
    .bind(tier.as_str())
    .bind(now_ms())
    .bind(id)
    .bind(clerk_updated_at)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Users newest first, for the admin list: `text` keeps those whose email or name contains it, whatever the
/// case; `after` continues after a `(created_at, id)`.
///
/// # Errors
/// Database failures.
pub async fn list(
    db: &Db,
    text: Option<&str>,
    after: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<UserRow>, AppError> {
    use crate::services::paging::{contains_pattern, LIKE_ESCAPE};
    let (before_at, before_id) = after.unwrap_or((i64::MAX, ""));
    Ok(sqlx::query_as::<_, UserRow>(&format!(
        "SELECT {COLUMNS} FROM users WHERE deleted_at IS NULL \
         AND ($1 = '' OR LOWER(COALESCE(email, '')) LIKE $1 {LIKE_ESCAPE} \
         OR LOWER(COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')) LIKE $1 {LIKE_ESCAPE}) \
         AND (created_at < $2 OR (created_at = $2 AND ($3 = '' OR id < $3))) \
         ORDER BY created_at DESC, id DESC LIMIT $4"
    ))
    .bind(contains_pattern(text))
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// How many live users exist.
///
/// # Errors
/// Database failures.
pub async fn count(db: &Db) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL")
        .fetch_one(&db.pool)
        .await?;
    Ok(n)
}

/// Replaces a live user's password hash inside the caller's transaction.
///
/// # Errors
/// `NotFound` for an unknown or deleted user.
pub async fn set_password_hash(
    conn: &mut AnyConnection,
    id: &str,
    hash: &str,
) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3 AND deleted_at IS NULL",
    )
    .bind(hash)
    .bind(now_ms())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Sets a live user's name (`None` clears a part).
///
/// # Errors
/// `NotFound` for an unknown or deleted user.
pub async fn set_name(
    db: &Db,
    id: &str,
    first_name: Option<&str>,
    last_name: Option<&str>,
) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE users SET first_name = $1, last_name = $2, updated_at = $3 WHERE id = $4 AND deleted_at IS NULL",
    )
    .bind(first_name)
    .bind(last_name)
    .bind(now_ms())
    .bind(id)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Sets (or clears) a live user's picture URL.
///
/// # Errors
/// Database failures.
pub async fn set_image_url(db: &Db, id: &str, image_url: Option<&str>) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET image_url = $1, updated_at = $2 WHERE id = $3 AND deleted_at IS NULL",
    )
    .bind(image_url)
    .bind(now_ms())
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}
