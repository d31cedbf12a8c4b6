//! What the service layer reports to `/metrics`, through the `metrics` facade: one function per event, so each
//! call site is one line and every metric's name and labels live here. Without an installed recorder (unit tests,
//! CLI commands) the calls cost next to nothing.

use crate::services::db::Db;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub const TOKEN_VERIFICATIONS: &str = "t2m_token_verifications_total";
pub const JWKS_LOOKUPS: &str = "t2m_jwks_cache_total";
pub const JWKS_FETCHES: &str = "t2m_jwks_fetches_total";
pub const LIMITER_DECISIONS: &str = "t2m_rate_limit_decisions_total";
pub const RENDER_SECONDS: &str = "t2m_render_duration_seconds";
pub const UPLOADS: &str = "t2m_uploads_total";
pub const UPLOAD_BYTES: &str = "t2m_upload_bytes_total";
pub const JOBS: &str = "t2m_jobs";
pub const QUEUE_DEPTH: &str = "t2m_job_queue_depth";
pub const QUEUE_OLDEST_AGE: &str = "t2m_job_queue_oldest_age_seconds";
pub const DB_POOL_CONNECTIONS: &str = "t2m_db_pool_connections";

/// A token verification: `outcome` is `ok` or the error's contract code (a closed set); `cached` whether the
/// verdict came from the verifier's cache.
pub fn token_verified(outcome: &str, cached: bool) {
    let cache = if cached { "hit" } else { "miss" };
    metrics::counter!(TOKEN_VERIFICATIONS, "outcome" => outcome.to_owned(), "cache" => cache)
        .increment(1);
}

/// A JWKS key lookup: `hit` (fresh key), `stale` (served while refreshing) or `miss` (a fetch was needed).
pub fn jwks_lookup(result: &'static str) {
    metrics::counter!(JWKS_LOOKUPS, "result" => result).increment(1);
}

/// A JWKS fetch, successful or not.
pub fn jwks_fetched(ok: bool) {
    metrics::counter!(JWKS_FETCHES, "result" => if ok { "ok" } else { "error" }).increment(1);
}

/// A rate-limit decision: `allowed`, `refused`, or `unavailable` (Redis away; the action is refused too).
pub fn limiter_decision(action: &'static str, decision: &'static str) {
    metrics::counter!(LIMITER_DECISIONS, "action" => action, "decision" => decision).increment(1);
}

/// A render that ended, with how long the renderer ran.
pub fn render_finished(took: Duration, ok: bool) {
    let outcome = if ok { "ok" } else { "error" };
    metrics::histogram!(RENDER_SECONDS, "outcome" => outcome).record(took.as_secs_f64());
}

/// An upload stored and recorded.
pub fn upload_stored(bytes: u64) {
    metrics::counter!(UPLOADS).increment(1);
    metrics::counter!(UPLOAD_BYTES).increment(bytes);
}

/// The job states a gauge is kept for: the active ones, counted through the queue index. Finished jobs are
/// counted by the render histogram's `_count` per outcome instead of a full-table scan at every scrape.
const ACTIVE_STATES: [&str; 2] = ["queued", "processing"];

/// Refreshes the gauges read from the database (queue, jobs by state, pool), at scrape time: each query rides
/// the `jobs (status, …)` index.
///
/// # Errors
/// Database failures (the scrape still answers with the other metrics).
pub async fn refresh_gauges(db: &Db) -> Result<(), sqlx::Error> {
    let size = db.pool.size();
    let idle = u32::try_from(db.pool.num_idle()).unwrap_or(u32::MAX);
    metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "in_use")
        .set(f64::from(size.saturating_sub(idle)));
    metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "idle").set(f64::from(idle));
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM jobs WHERE status IN ('queued', 'processing') GROUP BY status",
    )
    .fetch_all(&db.pool)
    .await?;
    for state in ACTIVE_STATES {
        let n = counts
            .iter()
            .find(|(s, _)| s == state)
            .map_or(0, |(_, n)| *n);
        let n = n as f64;
        metrics::gauge!(JOBS, "state" => state).set(n);
        if state == "queued" {
            metrics::gauge!(QUEUE_DEPTH).set(n);
        }
    }
    let (oldest,): (Option<i64>,) =
        sqlx::query_as("SELECT MIN(created_at) FROM jobs WHERE status = 'queued'")
            .fetch_one(&db.pool)
            .await?;
    let age_ms = oldest.map_or(0, |at| {
        crate::services::db::now_ms().saturating_sub(at).max(0)
    });
    metrics::gauge!(QUEUE_OLDEST_AGE).set(age_ms as f64 / 1000.0);
    Ok(())
}

/// The user a request turned out to be, filled in by whatever authenticates it (extractor, page guard) and read
/// by the access log once the response is ready. Cloned request parts (server functions) share the slot.
#[derive(Debug, Clone, Default)]
pub struct RequestUser(Arc<OnceLock<String>>);

impl RequestUser {
    /// Records the user; the first authentication of a request wins.
    pub fn set(&self, user_id: &str) {
        let _ = self.0.set(user_id.to_owned());
    }

    /// The user, when one was authenticated.
    pub fn get(&self) -> Option<&str> {
        self.0.get().map(String::as_str)
    }
}
