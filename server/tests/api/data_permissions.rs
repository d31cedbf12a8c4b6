//! The data directory and the SQLite database are private to the server's user, whatever the umask.

use crate::helpers::{spawn_app_with, Backend};
use std::os::unix::fs::PermissionsExt;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn the_data_dir_is_0700_and_the_database_files_0600_at_start() {
    let parent = tempfile::tempdir().unwrap();
    let data_dir = parent.path().join("data");
    // A directory left world-readable by an earlier install or a lax umask is tightened too.
    std::fs::create_dir(&data_dir).unwrap();
    std::fs::set_permissions(&data_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = data_dir.display().to_string();
    let app = spawn_app_with(Backend::Sqlite, &[("T2M_DATA_DIR", &dir)]).await;
    assert_eq!(app.get("/api/system/health").await.status(), 200);

    assert_eq!(mode(&data_dir), 0o700, "data dir");
    let db = data_dir.join("t2m.db");
    assert_eq!(mode(&db), 0o600, "database");
    for suffix in ["-wal", "-shm"] {
        let file = data_dir.join(format!("t2m.db{suffix}"));
        if file.exists() {
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }
}
