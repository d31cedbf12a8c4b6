//! The database pool: SQLite by default, PostgreSQL for more than one machine; one set of queries serves both.

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// Which engine is behind the pool; the few queries that differ (job claiming) branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// A pool and the engine behind it.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub kind: DbKind,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("could not connect to the database at DATABASE_URL: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("could not create the data directory {path}: {source}")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("could not make the SQLite file {path} private (mode 0600): {source}")]
    Permissions {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("database migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    /// Opens the pool and brings the schema up to date.
    ///
    /// # Errors
    /// When the database cannot be reached or a migration fails.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        Ok(Self::connect_reporting(url).await?.0)
    }

    /// Opens the pool, brings the schema up to date, and names the migrations this call applied
    /// (`<version> <description>`), for `t2m-server migrate`.
    ///
    /// # Errors
    /// When the database cannot be reached or a migration fails.
    pub async fn connect_reporting(url: &str) -> Result<(Self, Vec<String>), DbError> {
        install_default_drivers();
        let kind = if url.starts_with("sqlite:") {
            DbKind::Sqlite
        } else {
            DbKind::Postgres
        };
        if kind == DbKind::Sqlite {
            ensure_sqlite_dir(url)?;
        }
        let options = AnyPoolOptions::new()
            .max_connections(if kind == DbKind::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if kind == DbKind::Sqlite {
                        // WAL lets readers proceed while the worker writes; busy_timeout turns lock
                        // contention into a short wait instead of an error.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            });
        let pool = options.connect(url).await.map_err(DbError::Connect)?;
        if kind == DbKind::Sqlite {
            restrict_sqlite_files(url)?;
        }
        let db = Self { pool, kind };
        let applied = db.migrate().await?;
        Ok((db, applied))
    }

    async fn migrate(&self) -> Result<Vec<String>, DbError> {
        let migrator = match self.kind {
            DbKind::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            DbKind::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        // A fresh database has no bookkeeping table yet: nothing was applied before.
        let before: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
            .fetch_all(&self.pool)
            .await
            .unwrap_or_default();
        migrator.run(&self.pool).await?;
        Ok(migrator
            .iter()
            .filter(|m| !m.migration_type.is_down_migration() && !before.contains(&m.version))
            .map(|m| format!("{} {}", m.version, m.description))
            .collect())
    }

    /// Answers whether the database serves queries right now.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// The file behind a SQLite URL; `None` for an in-memory database.
fn sqlite_path(url: &str) -> Option<&std::path::Path> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| std::path::Path::new(path))
}

/// Mode 0600 on the database and its WAL and shared-memory files: they hold every user's sessions. SQLite
/// gives the -wal and -shm files it creates later the database file's own mode.
fn restrict_sqlite_files(url: &str) -> Result<(), DbError> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let file = std::path::PathBuf::from(file);
        if suffix.is_empty() || file.exists() {
            crate::services::key_file::restrict_mode(&file, 0o600).map_err(|source| {
                DbError::Permissions {
                    path: file.display().to_string(),
                    source,
                }
            })?;
        }
    }
    Ok(())
}

fn ensure_sqlite_dir(url: &str) -> Result<(), DbError> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|source| DbError::DataDir {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    Ok(())
}

/// Advisory-lock namespace for per-user quota checks, apart from any other advisory lock.
const QUOTA_LOCK_CLASS: i32 = 7231;

/// Serialises quota-checked inserts for one user until `conn`'s transaction ends.
///
/// PostgreSQL takes an advisory lock on the user; SQLite needs none, as its one writer runs each conditional
/// `INSERT … SELECT … WHERE` whole.
///
/// # Errors
/// Database failures.
pub async fn lock_user_quota(
    conn: &mut sqlx::AnyConnection,
    kind: DbKind,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    if kind == DbKind::Postgres {
        // Wrapped in a count: the lock function returns `void`, which the `Any` driver cannot decode.
        sqlx::query(
            "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock($1, hashtext($2))) AS locked",
        )
        .bind(QUOTA_LOCK_CLASS)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Milliseconds since the Unix epoch: how every timestamp is stored, identically on both engines.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Renders a stored timestamp as ISO 8601 for clients.
pub fn iso8601(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
