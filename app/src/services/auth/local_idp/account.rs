//! Sign-up, sign-in, token minting and sign-out for the local provider.

pub use super::client::{replace_previous_session, resolve, session_token, sign_out, INACTIVITY};
use super::sessions::{self, SessionRow};
use super::{guard, outbox, passwords, LocalKeys};
use crate::domain::user::{Role, Tier};
use crate::error::AppError;
use crate::services::users::{self, NewUser, UserRow};
use crate::services::AppState;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A fresh session and the secret for its cookie.
pub struct SignedIn {
    pub user: UserRow,
    pub session: SessionRow,
    pub client_secret: String,
}

/// What sign-up asks for.
pub struct SignUp<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub remember_me: bool,
    pub user_agent: Option<&'a str>,
    /// Where the attempt came from, for the per-IP throttle.
    pub client_ip: IpAddr,
}

/// What sign-in asks for.
pub struct SignIn<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub remember_me: bool,
    pub user_agent: Option<&'a str>,
    /// Where the attempt came from, for the per-IP throttle.
    pub client_ip: IpAddr,
}

pub(super) fn local_keys(state: &AppState) -> Result<&Arc<LocalKeys>, AppError> {
    state.local_keys.as_ref().ok_or(AppError::NotFound)
}

pub(super) fn normalise_email(raw: &str) -> Result<String, AppError> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err(AppError::invalid("email", "Enter a valid email address."))
    }
}

/// The rules every new password meets, at sign-up, on a change and on a reset.
///
/// # Errors
/// `invalid_password` when it is too short or over 1 KiB.
pub fn check_new_password(password: &str) -> Result<(), AppError> {
    guard::check_length(password)?;
    if password.chars().count() < passwords::MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            format!("Use at least {} characters.", passwords::MIN_PASSWORD_CHARS),
        ));
    }
    Ok(())
}

/// Creates an account and signs it in.
///
/// # Errors
/// `invalid_email`, `invalid_password`, `Conflict` when the email is taken; `RateLimited` or `Overloaded`
/// (see [`guard`]).
#[tracing::instrument(skip_all)]
pub async fn sign_up(state: &AppState, form: SignUp<'_>) -> Result<SignedIn, AppError> {
    local_keys(state)?;
    guard::check_length(form.password)?;
    let email = normalise_email(form.email)?;
    check_new_password(form.password)?;
    state.sign_in_guard.admit(&email, form.client_ip).await?;
    let password = form.password.to_owned();
    let hash = state
        .sign_in_guard
        .hash(move || passwords::hash(&password))
        .await?
        .map_err(AppError::internal)?;
    let clean = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(80).collect())
    };
    let user = users::repo::insert(
        &state.db,
        &NewUser {
            id: format!("user_{}", uuid::Uuid::now_v7().simple()),
            email: Some(email),
            password_hash: Some(hash),
            first_name: clean(form.first_name),
            last_name: clean(form.last_name),
            ..NewUser::default()
        },
    )
    .await?;
    let signed_in = start_session(state, user, form.remember_me, form.user_agent).await?;
    outbox::user_changed(state, "user.created", &signed_in.user.id).await;
    outbox::session_changed(state, "session.created", &signed_in.session.id).await;
    Ok(signed_in)
}

/// Checks email and password and starts a session.
///
/// # Errors
/// `BadCredentials`, the same whether the email is unknown or the password wrong; `invalid_password` over
/// 1 KiB; `RateLimited` or `Overloaded` (see [`guard`]).
#[tracing::instrument(skip_all)]
pub async fn sign_in(state: &AppState, attempt: SignIn<'_>) -> Result<SignedIn, AppError> {
    local_keys(state)?;
    guard::check_length(attempt.password)?;
    // Malformed emails still count against their own window: they cost a decoy hash too.
    let email = attempt.email.trim().to_lowercase();
    state.sign_in_guard.admit(&email, attempt.client_ip).await?;
    let user = users::repo::find_by_email(&state.db, &email).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let password = attempt.password.to_owned();
    let matches = state
        .sign_in_guard
        .hash(move || guard::verify_or_decoy(&password, stored.as_deref()))
        .await?;
    match user {
        Some(user) if matches => {
            users::repo::touch_sign_in(&state.db, &user.id).await?;
            let signed_in =
                start_session(state, user, attempt.remember_me, attempt.user_agent).await?;
            outbox::session_changed(state, "session.created", &signed_in.session.id).await;
            Ok(signed_in)
        }
        _ => Err(AppError::BadCredentials),
    }
}

async fn start_session(
    state: &AppState,
    user: UserRow,
    remember_me: bool,
    user_agent: Option<&str>,
) -> Result<SignedIn, AppError> {
    let (session, client_secret) =
        sessions::create(&state.db, &user.id, remember_me, user_agent, None).await?;
    Ok(SignedIn {
        user,
        session,
        client_secret,
    })
}

/// The admin account made on a first start, and where its password was written.
#[derive(Debug)]
pub struct SeededAdmin {
    pub email: String,
    pub credentials_file: PathBuf,
}

/// The file in the data directory holding the first admin's password, readable by its owner only.
pub fn credentials_path(data_dir: &Path) -> PathBuf {
    data_dir.join("first-admin.txt")
}

/// On a first start with no accounts, creates an admin for local use. Its password goes to a 0600 file in the
/// data directory, never to the logs: whoever can read the data directory owns the instance anyway.
///
/// # Errors
/// Database failures; an unwritable data directory.
pub async fn seed_admin(state: &AppState) -> Result<Option<SeededAdmin>, AppError> {
    if state.local_keys.is_none() || users::repo::count(&state.db).await? > 0 {
        return Ok(None);
    }
    let password = {
        use rand::RngCore;
        let mut bytes = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut bytes);
        hex::encode(bytes)
    };
    let email = "admin@t2m.local".to_owned();
    let credentials_file = credentials_path(&state.config.data_dir);
    // A file left by an earlier database that has since been wiped no longer opens anything.
    let _ = std::fs::remove_file(&credentials_file);
    let contents = format!(
        "T2M's first admin account (built-in identity provider).\n\
         Sign in at /sign-in, then delete this file.\n\nemail:    {email}\npassword: {password}\n"
    );
    crate::services::key_file::write_private(&credentials_file, contents.as_bytes())
        .map_err(AppError::internal)?;
    let pw = password.clone();
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&pw))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let inserted = users::repo::insert(
        &state.db,
        &NewUser {
            id: format!("user_{}", uuid::Uuid::now_v7().simple()),
            email: Some(email.clone()),
            password_hash: Some(hash),
            first_name: Some("Admin".into()),
            role: Role::Admin,
            tier: Tier::Premium,
            ..NewUser::default()
        },
    )
    .await;
    if let Err(err) = inserted {
        let _ = std::fs::remove_file(&credentials_file);
        return Err(err);
    }
    Ok(Some(SeededAdmin {
        email,
        credentials_file,
    }))
}
