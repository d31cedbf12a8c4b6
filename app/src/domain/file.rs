//! Stored files as clients see them.

use serde::{Deserialize, Serialize};

/// A stored file's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileView {
    pub id: String,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: u64,
    pub sha256: String,
    pub metadata: serde_json::Value,
    pub created_at: String,
}

/// A page of files and the cursor for the next one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilePage {
    pub items: Vec<FileView>,
    pub next_cursor: Option<String>,
}

/// A time-limited link to a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedUrl {
    pub url: String,
    pub expires_at: String,
}

/// What the upload form needs to know before sending anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadPolicy {
    /// The largest file the server accepts.
    pub max_upload_bytes: u64,
}

/// The `accept` list of the upload picker: the types the server recognises.
pub const ACCEPT: &str =
    "video/mp4,video/webm,video/quicktime,image/png,image/jpeg,image/gif,image/webp,\
audio/mpeg,audio/wav,audio/ogg,audio/mp4,application/pdf,text/plain,.txt,.md,.csv";

/// A byte count for people: `512 B`, `1.5 MB`, `2.0 GB` (decimal units, as file managers show them).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(1_500), "1.5 KB");
        assert_eq!(human_size(536_870_912), "536.9 MB");
        assert_eq!(human_size(2_000_000_000), "2.0 GB");
    }
}
