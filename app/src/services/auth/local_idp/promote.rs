//! `t2m-server create-admin --email E`: makes an account of the built-in provider an admin, creating it with a
//! generated password when it does not exist. The password goes to the same owner-only file as the first
//! start's admin, never to the terminal or the logs.

use super::account::{credentials_path, normalise_email};
use super::passwords;
use crate::domain::user::{Role, Tier};
use crate::error::AppError;
use crate::services::db::Db;
use crate::services::users::{self, NewUser};
use std::path::{Path, PathBuf};

/// What `create_or_promote` did.
#[derive(Debug, PartialEq, Eq)]
pub enum AdminOutcome {
    /// A new account; its password is in this file.
    Created { credentials_file: PathBuf },
    /// An existing account became an admin.
    Promoted,
    /// The account was an admin already.
    AlreadyAdmin,
}

/// Creates `email` as an admin, or promotes the existing account (its tier is kept).
///
/// # Errors
/// `invalid_email`; database failures; an unwritable data directory.
pub async fn create_or_promote(
    db: &Db,
    data_dir: &Path,
    email: &str,
) -> Result<AdminOutcome, AppError> {
    let email = normalise_email(email)?;
    if let Some(user) = users::repo::find_by_email(db, &email).await? {
        if user.role() == Role::Admin {
            return Ok(AdminOutcome::AlreadyAdmin);
        }
        users::repo::set_role_and_tier(db, &user.id, Role::Admin, user.tier(), None).await?;
        return Ok(AdminOutcome::Promoted);
    }
    let password = {
        use rand::RngCore;
        let mut bytes = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut bytes);
        hex::encode(bytes)
    };
    let pw = password.clone();
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&pw))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    users::repo::insert(
        db,
        &NewUser {
            id: format!("user_{}", uuid::Uuid::now_v7().simple()),
            email: Some(email.clone()),
            password_hash: Some(hash),
            role: Role::Admin,
            tier: Tier::Premium,
            ..NewUser::default()
        },
    )
    .await?;
    let credentials_file = credentials_path(data_dir);
    append_credentials(&credentials_file, &email, &password).map_err(AppError::internal)?;
    Ok(AdminOutcome::Created { credentials_file })
}

/// Adds the account to the credentials file, keeping any account already listed there (the first start's
/// admin may not have read its own yet). A new file is created owner-only.
fn append_credentials(path: &Path, email: &str, password: &str) -> std::io::Result<()> {
    use std::io::Write;
    let block = format!(
        "\nAdmin account created by `t2m-server create-admin` (built-in identity provider).\n\
         Sign in at /sign-in, then delete this file.\n\nemail:    {email}\npassword: {password}\n"
    );
    if path.exists() {
        let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
        return file.write_all(block.as_bytes());
    }
    crate::services::key_file::write_private(path, block.trim_start().as_bytes())
}
