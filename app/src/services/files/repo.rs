//! SQL for the `files` table.

use crate::domain::file::FileView;
use crate::error::AppError;
use crate::services::db::{iso8601, lock_user_quota, now_ms, Db};
use sqlx::FromRow;

/// A stored file.
#[derive(Debug, Clone, FromRow)]
pub struct FileRow {
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub metadata: String,
    pub created_at: i64,
}

impl FileRow {
    /// The client view.
    pub fn view(&self) -> FileView {
        FileView {
            id: self.id.clone(),
            kind: self.kind.clone(),
            filename: self.filename.clone(),
            content_type: self.content_type.clone(),
            size_bytes: u64::try_from(self.size_bytes).unwrap_or(0),
            sha256: self.sha256.clone(),
            metadata: serde_json::from_str(&self.metadata).unwrap_or(serde_json::Value::Null),
            created_at: iso8601(self.created_at),
        }
    }
}

/// A file to record.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub user_id: String,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: u64,
    pub sha256: String,
    pub storage_key: String,
    pub metadata: serde_json::Value,
}

const COLUMNS: &str = "id, user_id, kind, filename, content_type, size_bytes, sha256, storage_key, metadata, created_at";

/// Records a file whose bytes are already stored, inside the caller's transaction (no quota check: a render's
/// output is counted when it is asked for); returns the new id.
///
/// # Errors
/// Database failures.
pub async fn insert_in(conn: &mut sqlx::AnyConnection, file: &NewFile) -> Result<String, AppError> {
    let id = format!("file_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(&format!(
        "INSERT INTO files ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(&id)
    .bind(&file.user_id)
    .bind(&file.kind)
    .bind(&file.filename)
    .bind(&file.content_type)
    .bind(i64::try_from(file.size_bytes).unwrap_or(i64::MAX))
    .bind(&file.sha256)
    .bind(&file.storage_key)
    .bind(file.metadata.to_string())
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Records a file whose bytes are already stored.
///
/// # Errors
/// Database failures.
pub async fn insert(db: &Db, file: &NewFile) -> Result<FileRow, AppError> {
    insert_within(db, file, None)
        .await?
        .ok_or(AppError::NotFound)
}

/// Records a file only if its owner's stored bytes stay within `quota_bytes` with it; `None` when they would
/// not. The check and the insert are one statement, under a per-user lock on PostgreSQL, so concurrent uploads
/// cannot jointly pass the quota.
///
/// # Errors
/// Database failures.
pub async fn insert_within_quota(
    db: &Db,
    file: &NewFile,
    quota_bytes: u64,
) -> Result<Option<FileRow>, AppError> {
    insert_within(db, file, Some(quota_bytes)).await
}

async fn insert_within(
    db: &Db,
    file: &NewFile,
    quota_bytes: Option<u64>,
) -> Result<Option<FileRow>, AppError> {
    let id = format!("file_{}", uuid::Uuid::now_v7().simple());
    let mut tx = db.pool.begin().await?;
    lock_user_quota(&mut tx, db.kind, &file.user_id).await?;
    let inserted = sqlx::query(
        "INSERT INTO files (id, user_id, kind, filename, content_type, size_bytes, sha256, storage_key, metadata, \
         created_at) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 \
         WHERE (SELECT COALESCE(SUM(size_bytes), 0) FROM files WHERE user_id = $2) + $6 <= $11",
    )
    .bind(&id)
    .bind(&file.user_id)
    .bind(&file.kind)
    .bind(&file.filename)
    .bind(&file.content_type)
    .bind(i64::try_from(file.size_bytes).unwrap_or(i64::MAX))
    .bind(&file.sha256)
    .bind(&file.storage_key)
    .bind(file.metadata.to_string())
    .bind(now_ms())
    .bind(quota_bytes.map_or(i64::MAX, |q| i64::try_from(q).unwrap_or(i64::MAX)))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    if inserted == 0 {
        return Ok(None);
    }
    find(db, &id).await
}

/// Bytes stored for `user_id`: uploads, videos and thumbnails alike.
///
/// # Errors
/// Database failures.
pub async fn stored_bytes(db: &Db, user_id: &str) -> Result<u64, AppError> {
    let used: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM files WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(u64::try_from(used).unwrap_or(0))
}

/// A file by id, whoever owns it (signed-URL serving checks the owner itself).
///
/// # Errors
/// Database failures.
pub async fn find(db: &Db, id: &str) -> Result<Option<FileRow>, AppError> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM files WHERE id = $1"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// A file by id if `user_id` owns it; anyone else gets `NotFound`, never a hint that it exists.
///
/// # Errors
/// `NotFound`, or database failures.
pub async fn find_owned(db: &Db, user_id: &str, id: &str) -> Result<FileRow, AppError> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM files WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// Deletes a row; returns it so the caller can remove its bytes.
///
/// # Errors
/// `NotFound` when the caller does not own it.
pub async fn delete_owned(db: &Db, user_id: &str, id: &str) -> Result<FileRow, AppError> {
    let row = find_owned(db, user_id, id).await?;
    sqlx::query("DELETE FROM files WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(row)
}

/// Deletes every file row of a user; returns their storage keys so the bytes can go once this commits.
///
/// # Errors
/// Database failures.
pub async fn delete_all_owned(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
) -> Result<Vec<String>, AppError> {
    let keys: Vec<(String,)> = sqlx::query_as("SELECT storage_key FROM files WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM files WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(keys.into_iter().map(|(key,)| key).collect())
}

/// A page of the owner's files, newest first, after `cursor` (the `(created_at, id)` of the previous page's
/// last row); `text` keeps names containing it, whatever the case.
///
/// # Errors
/// Database failures.
pub async fn list_owned(
    db: &Db,
    user_id: &str,
    kind: Option<&str>,
    text: Option<&str>,
    cursor: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<FileRow>, AppError> {
    use crate::services::paging::{contains_pattern, LIKE_ESCAPE};
    let (before_at, before_id) = cursor.unwrap_or((i64::MAX, ""));
    let sql = format!(
        "SELECT {COLUMNS} FROM files WHERE user_id = $1 AND ($2 = '' OR kind = $2) \
         AND ($3 = '' OR LOWER(filename) LIKE $3 {LIKE_ESCAPE}) \
         AND (created_at < $4 OR (created_at = $4 AND ($5 = '' OR id < $5))) \
         ORDER BY created_at DESC, id DESC LIMIT $6"
    );
    Ok(sqlx::query_as(&sql)
        .bind(user_id)
        .bind(kind.unwrap_or(""))
        .bind(contains_pattern(text))
        .bind(before_at)
        .bind(before_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?)
}

/// Renames one of the owner's files.
///
/// # Errors
/// `NotFound` when the owner has no such file; database failures.
pub async fn rename_owned(
    db: &Db,
    user_id: &str,
    id: &str,
    name: &str,
) -> Result<FileRow, AppError> {
    let done = sqlx::query("UPDATE files SET filename = $1 WHERE id = $2 AND user_id = $3")
        .bind(name)
        .bind(id)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    find_owned(db, user_id, id).await
}

/// Deletes the owner's files among `ids` inside `conn`'s transaction; returns their storage keys so the bytes
/// can go once it commits.
///
/// # Errors
/// Database failures.
pub async fn delete_ids_in(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    ids: &[String],
) -> Result<Vec<String>, AppError> {
    let mut keys = Vec::with_capacity(ids.len());
    for id in ids {
        let key: Option<(String,)> = sqlx::query_as(
            "DELETE FROM files WHERE id = $1 AND user_id = $2 RETURNING storage_key",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
        keys.extend(key.map(|(key,)| key));
    }
    Ok(keys)
}

/// The video a job of `user_id` produced, in one query; `NotFound` for someone else's job, a job without a
/// video yet, or no such job.
///
/// # Errors
/// `NotFound`, or database failures.
pub async fn find_job_video(db: &Db, user_id: &str, job_id: &str) -> Result<FileRow, AppError> {
    sqlx::query_as(
        "SELECT f.* FROM files f JOIN jobs j ON j.video_file_id = f.id WHERE j.id = $1 AND j.user_id = $2",
    )
    .bind(job_id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// The owner's newest file of `kind` (their avatar), if any.
///
/// # Errors
/// Database failures.
pub async fn newest_of_kind(
    db: &Db,
    user_id: &str,
    kind: &str,
) -> Result<Option<FileRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM files WHERE user_id = $1 AND kind = $2 ORDER BY created_at DESC, id DESC LIMIT 1"
    ))
    .bind(user_id)
    .bind(kind)
    .fetch_optional(&db.pool)
    .await?)
}

/// Deletes the owner's files of `kind` other than `keep` (a replaced avatar); returns their storage keys.
///
/// # Errors
/// Database failures.
pub async fn delete_kind_except(
    db: &Db,
    user_id: &str,
    kind: &str,
    keep: &str,
) -> Result<Vec<String>, AppError> {
    let mut tx = db.pool.begin().await?;
    let keys: Vec<(String,)> = sqlx::query_as(
        "SELECT storage_key FROM files WHERE user_id = $1 AND kind = $2 AND id <> $3",
    )
    .bind(user_id)
    .bind(kind)
    .bind(keep)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM files WHERE user_id = $1 AND kind = $2 AND id <> $3")
        .bind(user_id)
        .bind(kind)
        .bind(keep)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(keys.into_iter().map(|(key,)| key).collect())
}

/// Every file of a user, oldest first (the account export).
///
/// # Errors
/// Database failures.
pub async fn list_all_owned(db: &Db, user_id: &str) -> Result<Vec<FileRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM files WHERE user_id = $1 ORDER BY created_at, id"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?)
}
