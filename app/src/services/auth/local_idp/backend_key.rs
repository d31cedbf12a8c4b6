//! The built-in provider's secret key (`sk_test_…`), which authorizes calls to its Backend API the way
//! `CLERK_SECRET_KEY` authorizes calls to Clerk's. Created on first start under the data directory's `keys/`
//! (mode 0600) and kept; give it to a T2M in Clerk mode as its `CLERK_SECRET_KEY`.

use crate::services::key_file::read_or_create;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use subtle::ConstantTimeEq;

/// Why the key could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum BackendKeyError {
    #[error("could not read or write the Backend API secret key at {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the Backend API secret key at {path} does not start with sk_test_")]
    Invalid { path: String },
}

/// The prefix Clerk gives development instances' secret keys.
const PREFIX: &str = "sk_test_";

/// The provider's secret key; only its digest is compared.
pub struct BackendKey {
    digest: [u8; 32],
}

impl BackendKey {
    /// Where the key lives under `data_dir`.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join("keys").join("backend-secret-key")
    }

    /// Loads the key, creating a random one on first start.
    ///
    /// # Errors
    /// When the file cannot be read or written, or holds something else.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, BackendKeyError> {
        let path = Self::path(data_dir);
        let shown = path.display().to_string();
        let io = |source| BackendKeyError::Io {
            path: shown.clone(),
            source,
        };
        let key = read_or_create(&path, || {
            let mut bytes = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut bytes);
            tracing::info!(path = %shown, "creating the built-in provider's Backend API secret key");
            format!("{PREFIX}{}", hex::encode(bytes))
        })
        .map_err(io)?
        .trim()
        .to_owned();
        if !key.starts_with(PREFIX) || key.len() <= PREFIX.len() {
            return Err(BackendKeyError::Invalid { path: shown });
        }
        Ok(Self::from_secret(&key))
    }

    /// Wraps a known key.
    pub fn from_secret(key: &str) -> Self {
        Self {
            digest: Sha256::digest(key.as_bytes()).into(),
        }
    }

    /// Whether `presented` is the key, compared in constant time (over digests, so its length leaks nothing).
    pub fn accepts(&self, presented: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        bool::from(digest.ct_eq(&self.digest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_private_once_and_then_kept() {
        let dir = tempfile_dir();
        let first = BackendKey::load_or_create(&dir).unwrap();
        let text = std::fs::read_to_string(BackendKey::path(&dir)).unwrap();
        assert!(text.starts_with("sk_test_") && text.len() == 8 + 64);
        assert!(first.accepts(&text));
        assert!(!first.accepts("sk_test_wrong"));
        assert!(BackendKey::load_or_create(&dir).unwrap().accepts(&text));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(BackendKey::path(&dir))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("t2m-backend-key-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
