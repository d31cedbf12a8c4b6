//! `Mailer`: sends a plain-text message through SMTP (lettre, rustls) when `SMTP_URL` is set, or writes it as
//! an `.eml` file to `$T2M_DATA_DIR/outbox/`. Logs name the recipient's file or the subject, never the body:
//! bodies carry one-time links.

use crate::error::AppError;
use crate::services::config::mail::MailConfig;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;
use std::path::PathBuf;

/// Where messages go.
#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

/// Builds and delivers T2M's mail.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let to = match &self.transport {
            Transport::Smtp(_) => "smtp".to_owned(),
            Transport::Outbox(dir) => dir.display().to_string(),
        };
        f.debug_struct("Mailer").field("to", &to).finish()
    }
}

impl Mailer {
    /// The transport the configuration asks for; the outbox lives under `data_dir`.
    ///
    /// # Errors
    /// When `SMTP_URL` cannot make a transport (it was checked at start, so only on a changed library).
    pub fn from_config(config: &MailConfig, data_dir: &std::path::Path) -> Result<Self, AppError> {
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map_err(|e| AppError::internal(format!("SMTP_URL: {e}")))?
                    .build(),
            ),
            None => Transport::Outbox(data_dir.join("outbox")),
        };
        Ok(Self {
            from: config.from.clone(),
            transport,
        })
    }

    /// Sends one plain-text message to `to`.
    ///
    /// # Errors
    /// `invalid_email` for an address lettre cannot use; `Unavailable` when the SMTP server refuses or the
    /// outbox cannot be written.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), AppError> {
        let to: Mailbox = to
            .parse()
            .map_err(|_| AppError::invalid("email", "Enter a valid email address."))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(plain_body(&body))
            .map_err(AppError::internal)?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message)
                    .await
                    .map_err(|e| AppError::Unavailable(format!("SMTP: {e}")))?;
                tracing::info!(subject, "mail sent over SMTP");
            }
            Transport::Outbox(dir) => {
                let path = write_eml(dir, &message.formatted()).await?;
                tracing::info!(path = %path.display(), "mail written to the outbox");
            }
        }
        Ok(())
    }
}

/// The body unencoded (7bit, or 8bit with non-ASCII names): lettre would pick quoted-printable for any line
/// over 76 characters, which breaks a link's line and turns its `=` into `=3D`, so it could no longer be copied
/// from the raw message. Lines stay far below SMTP's 998-byte limit, the only rule unencoded bodies must meet.
fn plain_body(text: &str) -> Body {
    let encoding = if text.is_ascii() {
        ContentTransferEncoding::SevenBit
    } else {
        ContentTransferEncoding::EightBit
    };
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    if crlf.lines().all(|line| line.len() < 990) && !crlf.contains('\0') {
        Body::dangerous_pre_encoded(crlf.into_bytes(), encoding)
    } else {
        Body::new(text.to_owned())
    }
}

/// Writes a whole message as `<time>-<uuid>.eml`, readable by the server's user only (it holds a live link).
async fn write_eml(dir: &std::path::Path, bytes: &[u8]) -> Result<PathBuf, AppError> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| AppError::Unavailable(format!("creating the outbox: {e}")))?;
    let name = format!(
        "{}-{}.eml",
        chrono::Utc::now().format("%Y%m%dT%H%M%S"),
        uuid::Uuid::new_v4().simple()
    );
    let path = dir.join(name);
    let bytes = bytes.to_vec();
    let target = path.clone();
    tokio::task::spawn_blocking(move || crate::services::key_file::write_private(&target, &bytes))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| AppError::Unavailable(format!("writing to the outbox: {e}")))?;
    Ok(path)
}
