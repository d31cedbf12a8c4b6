//! What users do with their own account: rename themselves, delete everything. Deletion asks for the password
//! (built-in provider) or a typed confirmation (Clerk, which then deletes the user on its side first).

use super::clerk_api;
use super::purge;
use crate::error::AppError;
use crate::services::auth::local_idp::outbox;
use crate::services::auth::local_idp::password_change::confirm_password;
use crate::services::auth::Identity;
use crate::services::AppState;

/// What `DELETE /api/v1/me` carries.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct DeleteAccount {
    /// Built-in provider: the account's password.
    #[serde(default)]
    pub password: Option<String>,
    /// Clerk: `DELETE`, or the account's email.
    #[serde(default)]
    pub confirm: Option<String>,
}

/// The word that confirms a deletion when there is no password to ask for.
pub const CONFIRM_WORD: &str = "DELETE";

/// Deletes the caller's account and everything in it. With the built-in provider the password is checked
/// first; with Clerk the user is deleted through Clerk's Backend API first, and if Clerk refuses nothing is
/// deleted here. Afterwards the caller's tokens answer 401 `user_deleted`.
///
/// # Errors
/// `invalid_password` (missing), `WrongPassword`; `invalid_confirm` (Clerk, missing or wrong);
/// `IdentityProvider` when Clerk refuses; database failures, after which nothing is deleted.
#[tracing::instrument(skip_all, fields(user = %identity.user_id))]
pub async fn delete_account(
    state: &AppState,
    identity: &Identity,
    request: &DeleteAccount,
) -> Result<(), AppError> {
    if state.config.uses_local_identity() {
        confirm_password(state, identity, request.password.as_deref()).await?;
    } else {
        let typed = request
            .confirm
            .as_deref()
            .map(str::trim)
            .unwrap_or_default();
        let by_email = identity
            .email
            .as_deref()
            .is_some_and(|email| !typed.is_empty() && typed.eq_ignore_ascii_case(email));
        if typed != CONFIRM_WORD && !by_email {
            return Err(AppError::invalid(
                "confirm",
                format!("Type {CONFIRM_WORD} (or your email) to confirm."),
            ));
        }
        clerk_api::backend(state)?
            .delete_user(&identity.user_id)
            .await?;
    }
    purge::purge(state, &identity.user_id, "account_deleted").await?;
    outbox::user_deleted(state, &identity.user_id).await;
    Ok(())
}

/// Longest first or last name kept.
const NAME_CHARS: usize = 80;

fn clean_name(raw: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(name) = raw.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if name.chars().count() > NAME_CHARS || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "name",
            format!("Use at most {NAME_CHARS} characters, without control characters."),
        ));
    }
    Ok(Some(name.to_owned()))
}

/// Sets the caller's first and last name (empty clears one). With Clerk the name lives there: its user
/// profile changes it and the webhook brings it here.
///
/// # Errors
/// `invalid_name` for a name over 80 characters; `NotFound` with Clerk.
#[tracing::instrument(skip_all, fields(user = %identity.user_id))]
pub async fn update_name(
    state: &AppState,
    identity: &Identity,
    first_name: Option<&str>,
    last_name: Option<&str>,
) -> Result<(), AppError> {
    if !state.config.uses_local_identity() {
        return Err(AppError::NotFound);
    }
    let first = clean_name(first_name)?;
    let last = clean_name(last_name)?;
    super::repo::set_name(
        &state.db,
        &identity.user_id,
        first.as_deref(),
        last.as_deref(),
    )
    .await?;
    outbox::user_changed(state, "user.updated", &identity.user_id).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::clean_name;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(clean_name(Some("  Ada ")).unwrap().as_deref(), Some("Ada"));
        assert_eq!(clean_name(Some("   ")).unwrap(), None);
        assert_eq!(clean_name(None).unwrap(), None);
        assert_eq!(
            clean_name(Some(&"x".repeat(81))).unwrap_err().code(),
            "invalid_name"
        );
        assert!(clean_name(Some("a\u{0}b")).is_err());
    }
}
