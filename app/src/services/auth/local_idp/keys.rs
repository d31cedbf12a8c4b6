//! The provider's RSA signing key: created on first start, kept under the data directory, published as JWKS.
//! aws-lc signs in constant time (the RustCrypto `rsa` crate it replaces does not: RUSTSEC-2023-0071).

use crate::services::auth::public_key::RsaPublicKey;
use crate::services::key_file::write_private;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
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
    #[error("the signing key at {path} is not a PKCS#8 or PKCS#1 RSA key: {reason}")]
    Invalid { path: String, reason: String },
}

/// Signing failed (aws-lc gives no detail).
#[derive(Debug, thiserror::Error)]
#[error("RS256 signing failed")]
pub struct SignError;

/// The signing key, its verifying half and its JWK.
pub struct LocalKeys {
    pub kid: String,
    signing: KeyPair,
    /// The verifying half, parsed once.
    pub decoding: RsaPublicKey,
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
        let invalid = |reason: String| KeyError::Invalid {
            path: shown.clone(),
            reason,
        };
        let signing = if path.exists() {
            let pem = std::fs::read_to_string(&path).map_err(io)?;
            read_private_pem(&pem).map_err(invalid)?
        } else {
            let key = KeyPair::generate(KeySize::Rsa2048)
                .map_err(|_| invalid("key generation failed".into()))?;
            let pem = private_pem(&key).map_err(invalid)?;
            std::fs::create_dir_all(path.parent().unwrap_or(data_dir)).map_err(io)?;
            write_private(&path, pem.as_bytes()).map_err(io)?;
            tracing::info!(path = %shown, "created the local identity provider's signing key");
            key
        };
        Self::from_key_pair(signing).map_err(invalid)
    }

    /// Wraps a key given as PEM, PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`) (tests, benches).
    ///
    /// # Errors
    /// When the PEM is not an RSA private key.
    pub fn from_private_pem(pem: &str) -> Result<Self, String> {
        Self::from_key_pair(read_private_pem(pem)?)
    }

    fn from_key_pair(signing: KeyPair) -> Result<Self, String> {
        let public = signing.public_key();
        let n = URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero());
        let e = URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero());
        let decoding = RsaPublicKey::from_der(public.as_ref()).map_err(|e| e.to_string())?;
        // Clerk's kids look like `ins_…`; ours is a stable thumbprint so rotating the file rotates the kid.
        let digest = Sha256::digest(format!("{n}.{e}").as_bytes());
        let kid = format!("ins_local_{}", hex::encode(&digest[..10]));
        let jwk = json!({ "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": n, "e": e });
        Ok(Self {
            kid,
            signing,
            decoding,
            jwk,
        })
    }

    /// The RS256 signature of `message`.
    ///
    /// # Errors
    /// Only if aws-lc fails.
    pub fn sign_rs256(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let mut signature = vec![0; self.signing.public_modulus_len()];
        // aws-lc ignores the generator (its RSA PKCS#1 v1.5 signing is deterministic); the API asks for one.
        let rng = aws_lc_rs::rand::SystemRandom::new();
        self.signing
            .sign(&RSA_PKCS1_SHA256, &rng, message, &mut signature)
            .map_err(|_| SignError)?;
        Ok(signature)
    }

    /// A compact RS256 JWT of `claims` under this key's `kid`: session tokens and handshake tokens alike.
    ///
    /// # Errors
    /// Only if the claims cannot be serialised or aws-lc fails.
    pub fn sign_jwt(&self, claims: &impl serde::Serialize) -> Result<String, SignError> {
        let header = json!({ "alg": "RS256", "kid": self.kid, "typ": "JWT" });
        let header = serde_json::to_vec(&header).map_err(|_| SignError)?;
        let claims = serde_json::to_vec(claims).map_err(|_| SignError)?;
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(claims)
        );
        let signature = self.sign_rs256(signing_input.as_bytes())?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }

    /// The private key as PKCS#8 PEM, the form `load_or_create` writes.
    ///
    /// # Errors
    /// Only if aws-lc cannot encode the key.
    pub fn private_pem(&self) -> Result<String, String> {
        private_pem(&self.signing)
    }

    /// The JWKS document.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk] })
    }
}

/// Earlier releases wrote PKCS#8 (`PRIVATE KEY`); keys made by hand with `openssl genrsa` are PKCS#1.
fn read_private_pem(pem: &str) -> Result<KeyPair, String> {
    let block = pem::parse(pem).map_err(|e| e.to_string())?;
    let parsed = match block.tag() {
        "PRIVATE KEY" => KeyPair::from_pkcs8(block.contents()),
        "RSA PRIVATE KEY" => KeyPair::from_der(block.contents()),
        other => return Err(format!("unexpected PEM label {other}")),
    };
    parsed.map_err(|e| e.to_string())
}

fn private_pem(key: &KeyPair) -> Result<String, String> {
    let der = key
        .as_der()
        .map_err(|_| "the key cannot be encoded".to_owned())?;
    let block = pem::Pem::new("PRIVATE KEY", der.as_ref().to_vec());
    Ok(pem::encode_config(
        &block,
        pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PKCS#8 key, the encoding earlier releases wrote with the `rsa` crate (`to_pkcs8_pem`).
    const PKCS8: &str = include_str!("testdata/pkcs8.pem");
    /// The same key as PKCS#1, as `openssl genrsa -traditional` writes it.
    const PKCS1: &str = include_str!("testdata/pkcs1.pem");

    #[test]
    fn keys_written_by_earlier_releases_and_by_openssl_still_load_and_sign() {
        let old = LocalKeys::from_private_pem(PKCS8).unwrap();
        let pkcs1 = LocalKeys::from_private_pem(PKCS1).unwrap();
        assert_eq!(old.kid, pkcs1.kid, "one key, two encodings");
        let signature = old.sign_rs256(b"a.b").unwrap();
        assert!(pkcs1.decoding.verifies_rs256(b"a.b", &signature));
    }

    #[test]
    fn a_created_key_is_written_once_and_read_back_the_same() {
        let dir = std::env::temp_dir().join(format!("t2m-keys-{}", uuid::Uuid::new_v4().simple()));
        let first = LocalKeys::load_or_create(&dir).unwrap();
        let pem = std::fs::read_to_string(dir.join("keys/local-idp.pem")).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        let second = LocalKeys::load_or_create(&dir).unwrap();
        assert_eq!(first.kid, second.kid);
        assert_eq!(first.jwk, second.jwk);
        let signature = first.sign_rs256(b"x.y").unwrap();
        assert!(second.decoding.verifies_rs256(b"x.y", &signature));
        let _ = std::fs::remove_dir_all(dir);
    }
}
