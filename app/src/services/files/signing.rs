//! Signed file URLs: `/api/files/secure/{file_id}?user_id=&expires=&signature=[&download=1]`, where the
//! signature is hex HMAC-SHA256 over `{file_id}:{user_id}:{expires}` (plus `:download` when `download=1`, so
//! the disposition cannot be toggled). The key is `FILE_SIGNING_SECRET`, or one generated once and kept
//! under the data directory.

use super::signing_key::load_or_create;
pub use super::signing_key::SigningKeyError;
use crate::error::AppError;
use crate::services::config::Config;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use secrecy::ExposeSecret;
use sha2::Sha256;

/// Characters left as they are in a path segment or query value: RFC 3986 unreserved.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a path segment or query value.
pub fn encode_component(raw: &str) -> String {
    utf8_percent_encode(raw, COMPONENT).to_string()
}

/// Signs and verifies file URLs.
#[derive(Clone)]
pub struct UrlSigner {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for UrlSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UrlSigner([redacted])")
    }
}

/// The query of a signed URL, as received.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SignedQuery {
    pub user_id: Option<String>,
    pub expires: Option<String>,
    pub signature: Option<String>,
    pub download: Option<String>,
}

/// What a verified URL grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub user_id: String,
    /// Unix seconds after which the URL stops working.
    pub expires: i64,
    /// Serve as an attachment.
    pub download: bool,
}

impl UrlSigner {
    /// A signer keyed with `key`.
    pub fn new(key: &[u8]) -> Self {
        // HMAC accepts keys of any length; this cannot fail.
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
        Self { mac }
    }

    /// The key from `FILE_SIGNING_SECRET`, else `keys/file-signing.key` under the data directory, created
    /// with 32 random bytes on first start (mode 0600).
    ///
    /// # Errors
    /// When the key file cannot be read, written or understood.
    pub fn from_config(config: &Config) -> Result<Self, SigningKeyError> {
        if let Some(secret) = &config.file_signing_secret {
            return Ok(Self::new(secret.expose_secret().as_bytes()));
        }
        load_or_create(&config.data_dir.join("keys").join("file-signing.key"))
            .map(|k| Self::new(&k))
    }

    fn mac_for(&self, file_id: &str, user_id: &str, expires: i64, download: bool) -> Hmac<Sha256> {
        let mut mac = self.mac.clone();
        mac.update(format!("{file_id}:{user_id}:{expires}").as_bytes());
        if download {
            mac.update(b":download");
        }
        mac
    }

    /// The hex signature for these parameters.
    pub fn sign(&self, file_id: &str, user_id: &str, expires: i64, download: bool) -> String {
        hex::encode(
            self.mac_for(file_id, user_id, expires, download)
                .finalize()
                .into_bytes(),
        )
    }

    /// The path and query of a signed URL (prefix it with the public origin).
    pub fn signed_path(
        &self,
        file_id: &str,
        user_id: &str,
        expires: i64,
        download: bool,
    ) -> String {
        let signature = self.sign(file_id, user_id, expires, download);
        format!(
            "/api/files/secure/{}?user_id={}&expires={expires}&signature={signature}{}",
            encode_component(file_id),
            encode_component(user_id),
            if download { "&download=1" } else { "" }
        )
    }

    /// Checks a received URL at `now` (unix seconds), in the contract's order: a missing parameter is 400,
    /// a past expiry 410, a wrong signature 403 (compared in constant time). Ownership is the caller's 404.
    ///
    /// # Errors
    /// `SignedUrlIncomplete`, `SignedUrlExpired` or `SignedUrlForged`.
    pub fn verify(&self, file_id: &str, query: &SignedQuery, now: i64) -> Result<Grant, AppError> {
        let (Some(user_id), Some(expires), Some(signature)) =
            (&query.user_id, &query.expires, &query.signature)
        else {
            return Err(AppError::SignedUrlIncomplete);
        };
        if user_id.is_empty() || signature.is_empty() {
            return Err(AppError::SignedUrlIncomplete);
        }
        let expires: i64 = expires.parse().map_err(|_| AppError::SignedUrlIncomplete)?;
        if now > expires {
            return Err(AppError::SignedUrlExpired);
        }
        let download = query.download.as_deref() == Some("1");
        let given = hex::decode(signature).map_err(|_| AppError::SignedUrlForged)?;
        // `verify_slice` compares in constant time.
        self.mac_for(file_id, user_id, expires, download)
            .verify_slice(&given)
            .map_err(|_| AppError::SignedUrlForged)?;
        Ok(Grant {
            user_id: user_id.clone(),
            expires,
            download,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(user: &str, expires: i64, signature: &str, download: bool) -> SignedQuery {
        SignedQuery {
            user_id: Some(user.into()),
            expires: Some(expires.to_string()),
            signature: Some(signature.into()),
            download: download.then(|| "1".into()),
        }
    }

    #[test]
    fn a_signature_matches_the_documented_hmac() {
        let signer = UrlSigner::new(b"0123456789abcdef0123456789abcdef");
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(b"0123456789abcdef0123456789abcdef").unwrap();
        mac.update(b"file_1:user_1:1700000000");
        assert_eq!(
            signer.sign("file_1", "user_1", 1_700_000_000, false),
            hex::encode(mac.finalize().into_bytes())
        );
    }

    #[test]
    fn failures_come_in_the_contract_order() {
        let signer = UrlSigner::new(b"k");
        let good = signer.sign("f", "u", 100, false);
        assert!(signer
            .verify("f", &query("u", 100, &good, false), 50)
            .is_ok());
        let missing = SignedQuery {
            signature: None,
            ..query("u", 100, &good, false)
        };
        assert_eq!(
            signer.verify("f", &missing, 50).unwrap_err().code(),
            "invalid_signed_url"
        );
        // Expired and forged: expiry is reported first.
        assert_eq!(
            signer
                .verify("f", &query("u", 10, "00", false), 50)
                .unwrap_err()
                .code(),
            "signed_url_expired"
        );
        assert_eq!(
            signer
                .verify("f", &query("u", 100, "zz", false), 50)
                .unwrap_err()
                .code(),
            "invalid_url_signature"
        );
        assert_eq!(
            signer
                .verify("g", &query("u", 100, &good, false), 50)
                .unwrap_err()
                .code(),
            "invalid_url_signature"
        );
    }

    #[test]
    fn download_cannot_be_toggled_without_a_new_signature() {
        let signer = UrlSigner::new(b"k");
        let inline = signer.sign("f", "u", 100, false);
        assert!(signer
            .verify("f", &query("u", 100, &inline, true), 50)
            .is_err());
        let download = signer.sign("f", "u", 100, true);
        assert!(
            signer
                .verify("f", &query("u", 100, &download, true), 50)
                .unwrap()
                .download
        );
        assert!(signer
            .verify("f", &query("u", 100, &download, false), 50)
            .is_err());
    }

    #[test]
    fn the_generated_key_is_private_and_reused() {
        let dir = tempfile_dir();
        let path = dir.join("keys").join("file-signing.key");
        let first = load_or_create(&path).unwrap();
        assert_eq!(first, load_or_create(&path).unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("t2m-signing-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(encode_component("../a b"), "..%2Fa%20b");
        assert_eq!(encode_component("user_2x-Y"), "user_2x-Y");
    }
}
