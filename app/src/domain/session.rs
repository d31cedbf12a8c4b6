//! A signed-in session as its owner sees it on the profile page and through `GET /api/v1/me/sessions`.

use serde::{Deserialize, Serialize};

/// One of the caller's sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub id: String,
    /// The browser's `User-Agent` at sign-in.
    pub user_agent: Option<String>,
    /// The client address at sign-in, when the server knew it.
    pub ip: Option<String>,
    pub created_at: String,
    /// The user's last input (or sign-in, or page load) in that session.
    pub last_active_at: String,
    pub expires_at: String,
    /// The session the request itself came from.
    pub current: bool,
}
