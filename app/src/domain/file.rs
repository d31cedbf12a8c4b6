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
