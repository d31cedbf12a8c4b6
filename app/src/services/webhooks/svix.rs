//! Svix webhook signatures (what Clerk sends): HMAC-SHA256 over `{id}.{timestamp}.{body}` with the base64 key
//! after `whsec_`, in a `v1,<base64>` list. Written here because the official `svix` crate brings a whole API
//! client; the check itself is a few lines, compared in constant time.

use crate::error::AppError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How far a webhook's timestamp may be from now, either way, so a captured delivery cannot be replayed later.
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// A webhook signing secret (`whsec_…`).
pub struct WebhookSecret(Vec<u8>);

impl WebhookSecret {
    /// Decodes `whsec_<base64>`.
    ///
    /// # Errors
    /// A sentence for the operator when the secret is not of that form.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let encoded = raw.strip_prefix("whsec_").unwrap_or(raw);
        STANDARD
            .decode(encoded)
            .map(Self)
            .map_err(|e| format!("CLERK_WEBHOOK_SECRET is not whsec_<base64>: {e}"))
    }

    /// The `v1` signature of a delivery.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable_hmac());
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(body);
        STANDARD.encode(mac.finalize().into_bytes())
    }

    /// Checks a delivery's headers against its body.
    ///
    /// # Errors
    /// `WebhookRejected` for a missing header, a stale or future timestamp, or no matching signature.
    pub fn verify(
        &self,
        id: Option<&str>,
        timestamp: Option<&str>,
        signatures: Option<&str>,
        body: &[u8],
        now: i64,
    ) -> Result<(), AppError> {
        let (Some(id), Some(timestamp), Some(signatures)) = (id, timestamp, signatures) else {
            return Err(AppError::WebhookRejected);
        };
        let timestamp: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| AppError::WebhookRejected)?;
        // `abs_diff`: a timestamp near i64::MIN must be refused, not overflow.
        if now.abs_diff(timestamp) > TOLERANCE_SECS.unsigned_abs() {
            return Err(AppError::WebhookRejected);
        }
        let expected = self.sign(id, timestamp, body);
        let matched = signatures
            .split_whitespace()
            .filter_map(|entry| entry.strip_prefix("v1,"))
            .any(|candidate| bool::from(candidate.as_bytes().ct_eq(expected.as_bytes())));
        if matched {
            Ok(())
        } else {
            Err(AppError::WebhookRejected)
        }
    }
}

/// HMAC accepts keys of any length, so construction cannot fail; this keeps `unwrap` out of the code path.
fn unreachable_hmac() -> Hmac<Sha256> {
    match Hmac::<Sha256>::new_from_slice(&[0u8; 32]) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC-SHA256 takes keys of any length"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    #[test]
    fn a_signed_delivery_verifies_and_any_change_breaks_it() {
        let secret = WebhookSecret::parse(SECRET).unwrap();
        let body = br#"{"type":"user.created"}"#;
        let sig = format!("v1,{}", secret.sign("msg_1", 1_700_000_000, body));
        let now = 1_700_000_010;
        assert!(secret
            .verify(Some("msg_1"), Some("1700000000"), Some(&sig), body, now)
            .is_ok());
        let rotated = format!("v1,bogus {sig}");
        assert!(secret
            .verify(Some("msg_1"), Some("1700000000"), Some(&rotated), body, now)
            .is_ok());
        assert!(secret
            .verify(Some("msg_2"), Some("1700000000"), Some(&sig), body, now)
            .is_err());
        assert!(secret
            .verify(Some("msg_1"), Some("1700000000"), Some(&sig), b"{}", now)
            .is_err());
        assert!(secret
            .verify(
                Some("msg_1"),
                Some("1700000000"),
                Some(&sig),
                body,
                now + 600
            )
            .is_err());
        assert!(secret
            .verify(None, Some("1700000000"), Some(&sig), body, now)
            .is_err());
    }
}
