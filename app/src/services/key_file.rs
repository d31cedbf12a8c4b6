//! Files only their owner may read: the identity provider's signing key, the file-URL signing key and the
//! first admin's password.

use std::path::Path;

/// Creates `path` with mode 0600 and writes `bytes`; fails if it already exists, so a key is never replaced.
///
/// # Errors
/// I/O failures, including an existing file.
#[cfg(unix)]
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

/// Creates `path` and writes `bytes` (no POSIX modes on this platform).
///
/// # Errors
/// I/O failures.
#[cfg(not(unix))]
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// Sets `path`'s permission bits to `mode` (e.g. 0o700 for the data directory, 0o600 for the database), so
/// other local users cannot read sessions, keys or videos whatever the umask was when it was created.
///
/// # Errors
/// I/O failures, such as a missing path or one owned by another user.
#[cfg(unix)]
pub fn restrict_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

/// No POSIX modes on this platform.
///
/// # Errors
/// Never.
#[cfg(not(unix))]
pub fn restrict_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// The text at `path`, created on first use (parent directories too) with `make()` and mode 0600.
///
/// # Errors
/// I/O failures.
pub fn read_or_create(path: &Path, make: impl FnOnce() -> String) -> std::io::Result<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let text = make();
            write_private(path, text.as_bytes())?;
            Ok(text)
        }
        Err(err) => Err(err),
    }
}
