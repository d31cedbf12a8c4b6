//! What the admin pages show, shared by server and browser.

use crate::domain::user::{Role, Tier};
use serde::{Deserialize, Serialize};

/// Service-wide numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub users: i64,
    pub jobs_by_status: Vec<(String, i64)>,
    pub files: i64,
    pub stored_bytes: i64,
    pub queue_depth: i64,
    pub oldest_queued_secs: Option<i64>,
}

/// One day of generation activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayActivity {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub requested: i64,
    pub completed: i64,
    pub failed: i64,
}

/// Health and settings worth seeing at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemStatus {
    pub version: String,
    pub database: String,
    pub database_ok: bool,
    pub redis: Option<bool>,
    pub identity: String,
    pub dev_mode: bool,
    pub workers_here: usize,
    pub render_command: bool,
}

/// A user as the admin pages show them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminUser {
    pub id: String,
    pub email: Option<String>,
    pub name: String,
    pub role: Role,
    pub tier: Tier,
    pub created_at: String,
    pub last_sign_in_at: Option<String>,
}

/// A page of users and the cursor for the next one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminUserPage {
    pub items: Vec<AdminUser>,
    pub next_cursor: Option<String>,
}
