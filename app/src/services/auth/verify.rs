//! The one session-token verifier used by page rendering, server functions and the REST API.

use super::claims::{SessionClaims, API_TEMPLATE};
use super::keys::KeyStore;
use crate::error::AppError;
use base64::Engine;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};

/// Checks signature, issuer, authorized party, audience and lifetime of Clerk-shaped RS256 tokens.
pub struct Verifier {
    keys: KeyStore,
    issuer: String,
    authorized_parties: Vec<String>,
    leeway_secs: i64,
}

#[derive(serde::Deserialize)]
struct RawHeader {
    alg: Option<String>,
    kid: Option<String>,
}

impl Verifier {
    /// A verifier accepting tokens from `issuer` signed by a key in `keys`.
    pub fn new(
        keys: KeyStore,
        issuer: &str,
        authorized_parties: Vec<String>,
        leeway_secs: u64,
    ) -> Self {
        Self {
            keys,
            issuer: issuer.trim_end_matches('/').to_owned(),
            authorized_parties,
            leeway_secs: i64::try_from(leeway_secs).unwrap_or(i64::MAX),
        }
    }

    /// Verifies `token` at the current time.
    ///
    /// # Errors
    /// One `AppError` per contract code: `malformed_token`, `unsupported_algorithm`, `unknown_key`,
    /// `invalid_signature`, `wrong_issuer`, `unauthorized_party`, `wrong_audience`, `token_expired`,
    /// `token_not_active_yet`.
    pub async fn verify(&self, token: &str) -> Result<SessionClaims, AppError> {
        self.verify_at(token, chrono::Utc::now().timestamp()).await
    }

    /// Verifies `token` as if the time were `now` (unix seconds).
    ///
    /// # Errors
    /// As [`Verifier::verify`].
    pub async fn verify_at(&self, token: &str, now: i64) -> Result<SessionClaims, AppError> {
        let header = read_header(token)?;
        // Only RS256: refusing everything else closes the `none` and HS256-with-public-key tricks.
        if header.alg.as_deref() != Some("RS256") {
            return Err(AppError::UnsupportedAlgorithm);
        }
        let key = self.keys.key_for(header.kid.as_deref()).await?;
        let mut validation = Validation::new(Algorithm::RS256);
        // Lifetime, issuer and audience are checked below so each failure gets its own contract code.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.required_spec_claims = ["exp".to_owned()].into();
        let claims = jsonwebtoken::decode::<SessionClaims>(token, &key, &validation)
            .map_err(|err| match err.kind() {
                ErrorKind::InvalidSignature | ErrorKind::InvalidRsaKey(_) => {
                    AppError::InvalidSignature
                }
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    AppError::UnsupportedAlgorithm
                }
                _ => AppError::MalformedToken,
            })?
            .claims;
        if claims.iss.trim_end_matches('/') != self.issuer {
            return Err(AppError::WrongIssuer);
        }
        if let Some(azp) = &claims.azp {
            if !self.authorized_parties.iter().any(|party| party == azp) {
                return Err(AppError::UnauthorizedParty);
            }
        }
        if let Some(aud) = &claims.aud {
            if !aud.contains(API_TEMPLATE) {
                return Err(AppError::WrongAudience);
            }
        }
        if claims.exp + self.leeway_secs <= now {
            return Err(AppError::TokenExpired {
                expired_at: claims.exp,
                current_time: now,
            });
        }
        if claims.nbf.is_some_and(|nbf| nbf - self.leeway_secs > now) {
            return Err(AppError::TokenNotActiveYet);
        }
        Ok(claims)
    }
}

fn read_header(token: &str) -> Result<RawHeader, AppError> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(AppError::MalformedToken);
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header.trim_end_matches('='))
        .map_err(|_| AppError::MalformedToken)?;
    serde_json::from_slice(&bytes).map_err(|_| AppError::MalformedToken)
}
