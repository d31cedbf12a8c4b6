//! Where outgoing mail (password-reset links) goes: an SMTP server when `SMTP_URL` is set, otherwise `.eml`
//! files in `$T2M_DATA_DIR/outbox/`, so a fresh install works offline and its mail can still be read.

use super::{ConfigError, Vars};
use secrecy::{ExposeSecret, SecretString};

/// The sender used when mail only goes to the outbox.
const OUTBOX_FROM: &str = "T2M <no-reply@t2m.local>";

/// `SMTP_URL` and `MAIL_FROM`.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtps://user:pass@host:465` or `smtp://host:587?tls=required`; it may hold a password.
    pub smtp_url: Option<SecretString>,
    /// The `From:` of every message, as `Name <address>` or a bare address.
    pub from: lettre::message::Mailbox,
}

impl MailConfig {
    pub(super) fn from_vars<F: Fn(&str) -> Option<String>>(
        vars: &Vars<F>,
    ) -> Result<Self, ConfigError> {
        let smtp_url = vars.get("SMTP_URL").map(SecretString::from);
        if let Some(url) = &smtp_url {
            check_smtp_url(url.expose_secret())?;
        }
        let from = match (vars.get("MAIL_FROM"), &smtp_url) {
            (Some(raw), _) => raw.parse().map_err(|e| ConfigError::Invalid {
                var: "MAIL_FROM",
                reason: format!(
                    "{raw:?} is not a mail address ({e}); e.g. T2M <no-reply@t2m-app.com>"
                ),
            })?,
            (None, Some(_)) => {
                return Err(ConfigError::Invalid {
                    var: "MAIL_FROM",
                    reason: "is required when SMTP_URL is set (e.g. T2M <no-reply@t2m-app.com>)"
                        .into(),
                })
            }
            (None, None) => OUTBOX_FROM.parse().map_err(|e| ConfigError::Invalid {
                var: "MAIL_FROM",
                reason: format!("default sender: {e}"),
            })?,
        };
        Ok(Self { smtp_url, from })
    }
}

/// Parses the URL the way the transport will, without connecting; the error never repeats the URL, which may
/// carry a password.
fn check_smtp_url(url: &str) -> Result<(), ConfigError> {
    use lettre::{AsyncSmtpTransport, Tokio1Executor};
    if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
        return Err(ConfigError::Invalid {
            var: "SMTP_URL",
            reason: "must start with smtp:// (STARTTLS with ?tls=required) or smtps:// (TLS)"
                .into(),
        });
    }
    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map(drop)
        .map_err(|e| ConfigError::Invalid {
            var: "SMTP_URL",
            reason: format!("cannot be used: {e}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&str, &str)]) -> Result<MailConfig, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        MailConfig::from_vars(&Vars(|k: &str| map.get(k).cloned()))
    }

    #[test]
    fn without_smtp_mail_goes_to_the_outbox_from_a_local_sender() {
        let mail = load(&[]).unwrap();
        assert!(mail.smtp_url.is_none());
        assert_eq!(mail.from.email.to_string(), "no-reply@t2m.local");
    }

    #[test]
    fn smtp_needs_a_sender_and_a_usable_url_and_errors_name_the_variable() {
        let err = load(&[("SMTP_URL", "smtps://u:p@mail.example.com")]).unwrap_err();
        assert!(err.to_string().starts_with("MAIL_FROM"), "{err}");
        let err = load(&[
            ("SMTP_URL", "http://mail.example.com"),
            ("MAIL_FROM", "a@b.co"),
        ])
        .unwrap_err();
        assert!(err.to_string().starts_with("SMTP_URL"), "{err}");
        let err = load(&[("MAIL_FROM", "not an address")]).unwrap_err();
        assert!(err.to_string().starts_with("MAIL_FROM"), "{err}");
        let ok = load(&[
            ("SMTP_URL", "smtps://user:secret@mail.example.com:465"),
            ("MAIL_FROM", "T2M <no-reply@t2m-app.com>"),
        ])
        .unwrap();
        assert!(ok.smtp_url.is_some());
    }
}
