//! What administrators see: service-wide counts, system health and daily activity. Admin role only.

use crate::domain::admin::{DayActivity, Overview, SystemStatus};
use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::db::{now_ms, DbKind};
use crate::services::AppState;

/// Counts across all users.
///
/// # Errors
/// `Forbidden` for non-admins.
pub async fn overview(state: &AppState, identity: &Identity) -> Result<Overview, AppError> {
    identity.require_admin()?;
    let db = &state.db.pool;
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL")
        .fetch_one(db)
        .await?;
    let jobs_by_status: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status")
            .fetch_all(db)
            .await?;
    // PostgreSQL's SUM over BIGINT is NUMERIC, which the `Any` driver cannot decode; the cast keeps both engines
    // answering BIGINT.
    let (files, stored_bytes): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM files")
            .fetch_one(db)
            .await?;
    let (queue_depth, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(created_at) FROM jobs WHERE status = 'queued'")
            .fetch_one(db)
            .await?;
    Ok(Overview {
        users,
        jobs_by_status,
        files,
        stored_bytes,
        queue_depth,
        oldest_queued_secs: oldest.map(|at| (now_ms() - at) / 1000),
    })
}

/// Requests, completions and failures per day over the last `days` days.
///
/// # Errors
/// `Forbidden` for non-admins.
pub async fn activity(
    state: &AppState,
    identity: &Identity,
    days: i64,
) -> Result<Vec<DayActivity>, AppError> {
    identity.require_admin()?;
    const DAY_MS: i64 = 86_400_000;
    let today = now_ms() / DAY_MS;
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT created_at / 86400000 AS day, status, COUNT(*) FROM jobs WHERE created_at >= $1 \
         GROUP BY created_at / 86400000, status",
    )
    .bind((today - days + 1) * DAY_MS)
    .fetch_all(&state.db.pool)
    .await?;
    Ok((today - days + 1..=today)
        .map(|day| {
            let of = |status: Option<&str>| {
                rows.iter()
                    .filter(|(d, s, _)| *d == day && status.is_none_or(|want| s == want))
                    .map(|(_, _, n)| n)
                    .sum()
            };
            DayActivity {
                day: crate::services::db::iso8601(day * DAY_MS)
                    .chars()
                    .take(10)
                    .collect(),
                requested: of(None),
                completed: of(Some("completed")),
                failed: of(Some("failed")),
            }
        })
        .collect())
}

/// Health of the parts this process depends on.
///
/// # Errors
/// `Forbidden` for non-admins.
pub async fn system(state: &AppState, identity: &Identity) -> Result<SystemStatus, AppError> {
    identity.require_admin()?;
    Ok(SystemStatus {
        version: env!("CARGO_PKG_VERSION").into(),
        database: match state.db.kind {
            DbKind::Sqlite => "SQLite".into(),
            DbKind::Postgres => "PostgreSQL".into(),
        },
        database_ok: state.db.ping().await,
        redis: state.limiter.redis_healthy().await,
        identity: if state.config.uses_local_identity() {
            "built-in provider".into()
        } else {
            "Clerk".into()
        },
        dev_mode: state.config.dev_mode,
        workers_here: state.config.workers,
        render_command: state.config.render_command.is_some(),
    })
}
