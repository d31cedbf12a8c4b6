//! `Identity`: the verified caller, with the role, permission and tier checks services ask for.

use super::claims::SessionClaims;
use crate::domain::user::{Role, SessionUser, Tier};
use crate::error::{app_error::Requirement, AppError};
use crate::services::users::UserRow;

/// The id `DEV_MODE` stands in for every caller.
pub const DEV_USER_ID: &str = "dev_user";

/// A verified caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub user_id: String,
    pub session_id: Option<String>,
    pub email: Option<String>,
    pub display_name: String,
    pub role: Role,
    pub permissions: Vec<String>,
    pub tier: Tier,
    /// True when `DEV_MODE` made this identity up.
    pub dev: bool,
}

impl Identity {
    /// The identity `DEV_MODE` gives every request: an admin on the premium tier.
    pub fn dev_user() -> Self {
        Self {
            user_id: DEV_USER_ID.to_owned(),
            session_id: None,
            email: Some("dev@localhost".to_owned()),
            display_name: "Developer".to_owned(),
            role: Role::Admin,
            permissions: vec!["*".to_owned()],
            tier: Tier::Premium,
            dev: true,
        }
    }

    /// Builds the identity from verified claims; what the token does not say comes from the users table.
    pub fn from_claims(claims: SessionClaims, stored: Option<&UserRow>) -> Self {
        let user_id = claims.user_id.clone().unwrap_or_else(|| claims.sub.clone());
        let claimed = claims.claimed();
        let role = claimed
            .role
            .as_deref()
            .map(Role::parse)
            .or_else(|| stored.map(UserRow::role))
            .unwrap_or_default();
        let tier = claimed
            .subscription_tier
            .as_deref()
            .map(Tier::parse)
            .or_else(|| stored.map(UserRow::tier))
            .unwrap_or_default();
        let permissions = claimed
            .permissions
            .map(super::claims::Permissions::into_vec)
            .or_else(|| stored.map(UserRow::permissions))
            .unwrap_or_default();
        let claimed_name = claims.name.clone().filter(|n| !n.trim().is_empty());
        let email = claims
            .email
            .or_else(|| stored.and_then(|u| u.email.clone()));
        let display_name = claimed_name.unwrap_or_else(|| match stored {
            Some(user) => user.display_name(),
            None => email
                .as_deref()
                .and_then(|e| e.split('@').next())
                .unwrap_or("there")
                .to_owned(),
        });
        Self {
            user_id,
            session_id: claims.sid,
            email,
            display_name,
            role,
            permissions,
            tier,
            dev: false,
        }
    }

    /// Whether the token already carries everything (template tokens do), so no table lookup is needed.
    pub fn claims_are_complete(claims: &SessionClaims) -> bool {
        let claimed = claims.claimed();
        claimed.role.is_some() && claimed.subscription_tier.is_some()
    }

    /// Whether the caller is an administrator.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Admins have every premium feature.
    pub fn has_premium(&self) -> bool {
        self.tier == Tier::Premium || self.is_admin()
    }

    /// # Errors
    /// `Forbidden` naming the `admin` role.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden(Requirement::Role("admin".into())))
        }
    }

    /// # Errors
    /// `Forbidden` naming the `premium` tier.
    pub fn require_premium(&self) -> Result<(), AppError> {
        if self.has_premium() {
            Ok(())
        } else {
            Err(AppError::Forbidden(Requirement::Tier("premium".into())))
        }
    }

    /// # Errors
    /// `Forbidden` listing the permissions the caller lacks.
    pub fn require_permissions(&self, needed: &[&str]) -> Result<(), AppError> {
        if self.permissions.iter().any(|p| p == "*") {
            return Ok(());
        }
        let missing: Vec<String> = needed
            .iter()
            .filter(|n| !self.permissions.iter().any(|p| p == *n))
            .map(|n| (*n).to_owned())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(AppError::Forbidden(Requirement::Permissions(missing)))
        }
    }

    /// What the browser is told about the caller.
    pub fn to_session_user(&self) -> SessionUser {
        SessionUser {
            id: self.user_id.clone(),
            session_id: self.session_id.clone(),
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            tier: self.tier,
            permissions: self.permissions.clone(),
            dev_mode: self.dev,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, tier: Tier, permissions: &[&str]) -> Identity {
        Identity {
            role,
            tier,
            permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
            ..Identity::dev_user()
        }
    }

    #[test]
    fn admins_pass_premium_checks_but_users_need_the_tier() {
        assert!(user(Role::Admin, Tier::Free, &[]).require_premium().is_ok());
        assert!(user(Role::User, Tier::Premium, &[])
            .require_premium()
            .is_ok());
        let err = user(Role::User, Tier::Free, &[])
            .require_premium()
            .unwrap_err();
        assert_eq!(
            err.to_api_error().detail_str("required_tier"),
            Some("premium")
        );
    }

    fn claims(json: serde_json::Value) -> SessionClaims {
        let mut base = serde_json::json!({"sub": "user_1", "iss": "https://i", "exp": 9, "iat": 1});
        base.as_object_mut()
            .unwrap()
            .extend(json.as_object().unwrap().clone());
        serde_json::from_value(base).unwrap()
    }

    fn stored() -> UserRow {
        UserRow {
            id: "user_1".into(),
            email: None,
            password_hash: None,
            first_name: None,
            last_name: None,
            image_url: None,
            role: "admin".into(),
            permissions: r#"["from:row"]"#.into(),
            subscription_tier: "premium".into(),
            onboarded: 1,
            created_at: 0,
            updated_at: 0,
            last_sign_in_at: None,
            deleted_at: None,
        }
    }

    #[test]
    fn template_claims_beat_metadata_which_beats_public_metadata_which_beats_the_row() {
        let all = claims(serde_json::json!({
            "role": "user", "subscription_tier": "free", "permissions": ["from:template"],
            "metadata": {"role": "admin", "subscription_tier": "premium", "permissions": ["from:metadata"]},
            "public_metadata": {"role": "admin", "permissions": ["from:public"]},
        }));
        let id = Identity::from_claims(all, Some(&stored()));
        assert_eq!((id.role, id.tier), (Role::User, Tier::Free));
        assert_eq!(id.permissions, ["from:template"]);

        let metadata = claims(serde_json::json!({
            "metadata": {"role": "admin"},
            "public_metadata": {"role": "user", "subscription_tier": "premium", "permissions": "a, b"},
        }));
        assert!(Identity::claims_are_complete(&metadata));
        let id = Identity::from_claims(metadata, None);
        assert_eq!((id.role, id.tier), (Role::Admin, Tier::Premium));
        assert_eq!(id.permissions, ["a", "b"]);

        let bare = claims(serde_json::json!({"metadata": {}}));
        assert!(!Identity::claims_are_complete(&bare));
        let id = Identity::from_claims(bare.clone(), Some(&stored()));
        assert_eq!((id.role, id.tier), (Role::Admin, Tier::Premium));
        assert_eq!(id.permissions, ["from:row"]);
        let id = Identity::from_claims(bare, None);
        assert_eq!((id.role, id.tier), (Role::default(), Tier::default()));
    }

    #[test]
    fn missing_permissions_are_named() {
        let err = user(Role::User, Tier::Free, &["files:read"])
            .require_permissions(&["files:read", "files:delete"])
            .unwrap_err();
        let body = err.to_api_error();
        assert_eq!(
            body.details["required_permissions"],
            serde_json::json!(["files:delete"])
        );
    }
}
