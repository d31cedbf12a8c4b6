//! RS256 verifying keys, parsed once when a PEM or JWKS is loaded, so a verification is only the signature
//! check. jsonwebtoken's aws-lc backend rebuilds the key from its bytes on every call, which costs about as
//! much as the RSA operation itself.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{PublicEncryptingKey, PublicKeyComponents};
use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use std::sync::Arc;

/// Why bytes are not a usable RSA public key.
#[derive(Debug, thiserror::Error)]
pub enum PublicKeyError {
    #[error("not PEM: {0}")]
    Pem(String),
    #[error("PEM label {0} is not PUBLIC KEY or RSA PUBLIC KEY")]
    Label(String),
    #[error("`n` or `e` is not base64url")]
    Base64,
    #[error("not an RSA public key of 2048 to 8192 bits")]
    Rejected,
}

/// An RSA public key ready to check RS256 signatures; clones share the parsed key.
#[derive(Clone, Debug)]
pub struct RsaPublicKey(Arc<ParsedPublicKey>);

impl RsaPublicKey {
    /// From DER: X.509 `SubjectPublicKeyInfo` or PKCS#1 `RSAPublicKey`.
    ///
    /// # Errors
    /// When the bytes are not an RSA key of an accepted size.
    pub fn from_der(der: &[u8]) -> Result<Self, PublicKeyError> {
        ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der)
            .map(|key| Self(Arc::new(key)))
            .map_err(|_| PublicKeyError::Rejected)
    }

    /// From PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`), as Clerk's dashboard shows it for `CLERK_JWT_KEY`.
    ///
    /// # Errors
    /// When the text is not one such PEM block holding an RSA key.
    pub fn from_pem(pem: &str) -> Result<Self, PublicKeyError> {
        let block = pem::parse(pem).map_err(|e| PublicKeyError::Pem(e.to_string()))?;
        match block.tag() {
            "PUBLIC KEY" | "RSA PUBLIC KEY" => Self::from_der(block.contents()),
            other => Err(PublicKeyError::Label(other.to_owned())),
        }
    }

    /// From a JWK's base64url `n` and `e`.
    ///
    /// # Errors
    /// When either is not base64url or they do not make an RSA key of an accepted size.
    pub fn from_components(n: &str, e: &str) -> Result<Self, PublicKeyError> {
        let decode = |v: &str| URL_SAFE_NO_PAD.decode(v.trim_end_matches('='));
        let (n, e) = (
            decode(n).map_err(|_| PublicKeyError::Base64)?,
            decode(e).map_err(|_| PublicKeyError::Base64)?,
        );
        // Leading zero bytes are legal in a JWK but refused by aws-lc's component constructor.
        let trim = |v: &[u8]| -> Vec<u8> { v.iter().copied().skip_while(|b| *b == 0).collect() };
        let components = PublicKeyComponents {
            n: trim(&n),
            e: trim(&e),
        };
        let key: PublicEncryptingKey = components
            .try_into()
            .map_err(|_| PublicKeyError::Rejected)?;
        let der = key.as_der().map_err(|_| PublicKeyError::Rejected)?;
        Self::from_der(der.as_ref())
    }

    /// Whether `signature` is this key's RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    pub fn verifies_rs256(&self, message: &[u8], signature: &[u8]) -> bool {
        self.0.verify_sig(message, signature).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};

    fn signed(message: &[u8]) -> (KeyPair, Vec<u8>) {
        let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let mut signature = vec![0; pair.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        pair.sign(&RSA_PKCS1_SHA256, &rng, message, &mut signature)
            .unwrap();
        (pair, signature)
    }

    #[test]
    fn every_encoding_of_a_key_checks_its_signatures_and_no_others() {
        let (pair, signature) = signed(b"header.payload");
        let public = pair.public_key();
        let spki = public.as_der().unwrap();
        let pem = pem::encode(&pem::Pem::new("PUBLIC KEY", spki.as_ref().to_vec()));
        let pkcs1_pem = pem::encode(&pem::Pem::new("RSA PUBLIC KEY", public.as_ref().to_vec()));
        let n = URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero());
        let e = URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero());
        for key in [
            RsaPublicKey::from_pem(&pem).unwrap(),
            RsaPublicKey::from_pem(&pkcs1_pem).unwrap(),
            RsaPublicKey::from_components(&n, &e).unwrap(),
        ] {
            assert!(key.verifies_rs256(b"header.payload", &signature));
            assert!(!key.verifies_rs256(b"header.payloaD", &signature));
            let mut flipped = signature.clone();
            flipped[7] ^= 1;
            assert!(!key.verifies_rs256(b"header.payload", &flipped));
        }
    }

    #[test]
    fn keys_that_are_not_rsa_public_keys_are_refused() {
        assert!(matches!(
            RsaPublicKey::from_pem(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
            ),
            Err(PublicKeyError::Label(_))
        ));
        assert!(RsaPublicKey::from_components("AQAB", "AQAB").is_err());
        assert!(RsaPublicKey::from_components("!!", "AQAB").is_err());
        assert!(RsaPublicKey::from_der(b"not der").is_err());
    }
}
