//! The signed-in user as pages see it, with role and subscription tier.

use serde::{Deserialize, Serialize};

/// What a user may administer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    User,
    Admin,
}

impl Role {
    /// Reads a role claim; anything unknown is an ordinary user, never an admin.
    pub fn parse(raw: &str) -> Self {
        if raw.eq_ignore_ascii_case("admin") {
            Self::Admin
        } else {
            Self::User
        }
    }

    /// The claim value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Admin => "admin",
        }
    }
}

/// What a user pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    #[default]
    Free,
    Premium,
}

impl Tier {
    /// Reads a tier claim; anything unknown is the free tier.
    pub fn parse(raw: &str) -> Self {
        if raw.eq_ignore_ascii_case("premium") {
            Self::Premium
        } else {
            Self::Free
        }
    }

    /// The claim value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Premium => "premium",
        }
    }
}

/// The signed-in user, as sent to the browser for rendering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: String,
    pub session_id: Option<String>,
    pub email: Option<String>,
    pub display_name: String,
    pub role: Role,
    pub tier: Tier,
    pub permissions: Vec<String>,
    /// True when `DEV_MODE` stands in for real authentication.
    pub dev_mode: bool,
}

impl SessionUser {
    /// Admins see everything premium users see.
    pub fn has_premium(&self) -> bool {
        self.tier == Tier::Premium || self.role == Role::Admin
    }

    /// Whether the user is an administrator.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_roles_and_tiers_grant_nothing() {
        assert_eq!(Role::parse("superuser"), Role::User);
        assert_eq!(Role::parse("ADMIN"), Role::Admin);
        assert_eq!(Tier::parse(""), Tier::Free);
        assert_eq!(Tier::parse("premium"), Tier::Premium);
    }
}
