//! The generated file-signing key: 32 random bytes kept as hex under the data directory, readable by the
//! owner only, created once and reused (also by a second process racing the first).

use crate::services::key_file::write_private;
use std::path::Path;

/// Why the signing key could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum SigningKeyError {
    #[error("could not read or write the file signing key at {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the file signing key at {path} is not 32+ bytes of hex; delete it to generate a new one"
    )]
    Invalid { path: String },
}

/// The key at `path`, created with 32 random bytes (hex, mode 0600) when missing.
///
/// # Errors
/// When the file cannot be read, written or understood.
pub fn load_or_create(path: &Path) -> Result<Vec<u8>, SigningKeyError> {
    let shown = path.display().to_string();
    let io = |source| SigningKeyError::Io {
        path: shown.clone(),
        source,
    };
    if !path.exists() {
        let key: [u8; 32] = rand::random();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        match write_private(path, hex::encode(key).as_bytes()) {
            Ok(()) => {
                tracing::info!(path = %shown, "created the file signing key");
                return Ok(key.to_vec());
            }
            // Another process created it first: use theirs.
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(io(err)),
        }
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    match hex::decode(text.trim()) {
        Ok(key) if key.len() >= 32 => Ok(key),
        _ => Err(SigningKeyError::Invalid { path: shown }),
    }
}
