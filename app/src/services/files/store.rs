//! Where file bytes live: a directory under `T2M_DATA_DIR`, addressed by opaque keys so a user-supplied name
//! or id never becomes a path.

use std::path::{Path, PathBuf};

/// Local-disk storage.
#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    /// Storage rooted at `root` (created when missing).
    ///
    /// # Errors
    /// When the directory cannot be created.
    pub fn open(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(root.join("objects"))?;
        std::fs::create_dir_all(root.join("tmp"))?;
        Ok(Self { root })
    }

    /// A fresh key: random, so two uploads never collide and names never leak into paths.
    pub fn new_key() -> String {
        uuid::Uuid::new_v4().simple().to_string()
    }

    /// Whether `key` has the shape of a key T2M issues (32 hex digits); nothing else ever reaches a path.
    pub fn valid_key(key: &str) -> bool {
        key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit())
    }

    /// The path of a stored object, or `None` for a key we never issue (so traversal is impossible).
    pub fn path_of(&self, key: &str) -> Option<PathBuf> {
        Self::valid_key(key).then(|| self.root.join("objects").join(&key[..2]).join(key))
    }

    /// The directory for work in progress (same filesystem as the objects, so persisting is a rename).
    pub fn temp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// A path for a file being written; persist it with [`LocalStore::persist`] once complete.
    pub fn temp_path(&self) -> PathBuf {
        self.root
            .join("tmp")
            .join(format!("{}.part", Self::new_key()))
    }

    /// Moves a completely written temp file under `key` atomically (same filesystem rename).
    ///
    /// # Errors
    /// When the key is invalid or the rename fails.
    pub async fn persist(&self, temp: &Path, key: &str) -> std::io::Result<()> {
        let target = self.path_of(key).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "invalid storage key")
        })?;
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        tokio::fs::rename(temp, target).await
    }

    /// Removes temp files left by a crash (a day old or more); uploads in progress are younger.
    pub fn sweep_temp(&self) {
        let Ok(entries) = std::fs::read_dir(self.root.join("tmp")) else {
            return;
        };
        let day = std::time::Duration::from_secs(24 * 3600);
        for entry in entries.flatten() {
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age >= day);
            if stale {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Removes a stored object; a missing one is already gone.
    ///
    /// # Errors
    /// Other I/O failures.
    pub async fn delete(&self, key: &str) -> std::io::Result<()> {
        let Some(path) = self.path_of(key) else {
            return Ok(());
        };
        match tokio::fs::remove_file(path).await {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_issued_keys_map_to_paths() {
        let store = LocalStore {
            root: PathBuf::from("/data"),
        };
        assert!(store.path_of(&LocalStore::new_key()).is_some());
        assert!(store.path_of("../../etc/passwd").is_none());
        assert!(store.path_of("").is_none());
        assert!(store.path_of(&"g".repeat(32)).is_none());
    }
}
