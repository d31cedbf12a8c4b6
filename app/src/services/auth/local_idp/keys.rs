//! The provider's RSA signing key: created on first start, kept under the data directory, published as JWKS.

use crate::services::key_file::write_private;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{DecodingKey, EncodingKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Why the key could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("could not read or write the signing key at {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the signing key at {path} is not a PKCS#8 RSA key: {reason}")]
    Invalid { path: String, reason: String },
}

/// The signing key, its verifying half and its JWK.
pub struct LocalKeys {
    pub kid: String,
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
    pub jwk: Value,
}

impl LocalKeys {
    /// Loads `keys/local-idp.pem` under `data_dir`, creating a 2048-bit key on first start.
    ///
    /// # Errors
    /// When the file cannot be read or written, or holds something else.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, KeyError> {
        let path = data_dir.join("keys").join("local-idp.pem");
        let shown = path.display().to_string();
        let io = |source| KeyError::Io {
            path: shown.clone(),
            source,
        };
        let private = if path.exists() {
            let pem = std::fs::read_to_string(&path).map_err(io)?;
            RsaPrivateKey::from_pkcs8_pem(&pem).map_err(|e| KeyError::Invalid {
                path: shown.clone(),
                reason: e.to_string(),
            })?
        } else {
            let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).map_err(|e| {
                KeyError::Invalid {
                    path: shown.clone(),
                    reason: e.to_string(),
                }
            })?;
            let pem = key
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|e| KeyError::Invalid {
                    path: shown.clone(),
                    reason: e.to_string(),
                })?;
            std::fs::create_dir_all(path.parent().unwrap_or(data_dir)).map_err(io)?;
            write_private(&path, pem.as_bytes()).map_err(io)?;
            tracing::info!(path = %shown, "created the local identity provider's signing key");
            key
        };
        Self::from_private(&private).map_err(|reason| KeyError::Invalid {
            path: shown,
            reason,
        })
    }

    /// Wraps an in-memory key (tests).
    ///
    /// # Errors
    /// When the key cannot be encoded.
    pub fn from_private(private: &RsaPrivateKey) -> Result<Self, String> {
        let pem = private
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| e.to_string())?;
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| e.to_string())?;
        let public = private.to_public_key();
        let n = URL_SAFE_NO_PAD.encode(public.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(public.e().to_bytes_be());
        let decoding = DecodingKey::from_rsa_components(&n, &e).map_err(|e| e.to_string())?;
        // Clerk's kids look like `ins_…`; ours is a stable thumbprint so rotating the file rotates the kid.
        let digest = Sha256::digest(format!("{n}.{e}").as_bytes());
        let kid = format!("ins_local_{}", hex::encode(&digest[..10]));
        let jwk = json!({ "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": n, "e": e });
        Ok(Self {
            kid,
            encoding,
            decoding,
            jwk,
        })
    }

    /// The JWKS document.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk] })
    }
}
