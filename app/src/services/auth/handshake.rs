//! Clerk's handshake: a page request whose session token is missing or stale while `__client_uat` says the
//! browser is signed in goes to the Frontend API's `/v1/client/handshake`, which sends the browser back with a
//! `__clerk_handshake` JWT (signed by the instance's keys) listing the Set-Cookie values to apply. The built-in
//! provider mints the same JWT, so both modes take this one path.

use super::cookies::{CLIENT_UAT, SESSION};
use super::local_idp::keys::{LocalKeys, SignError};
use super::verify::{decode_segment, read_header, Verifier};
use crate::error::AppError;

/// The query parameter carrying the handshake JWT back to the page.
pub const HANDSHAKE_PARAM: &str = "__clerk_handshake";
/// Counts handshake redirects within a few seconds, so a handshake that keeps failing cannot loop.
pub const REDIRECT_COUNT_COOKIE: &str = "__clerk_redirect_count";
/// Handshakes allowed before the page renders signed out instead.
pub const MAX_REDIRECTS: u32 = 3;
/// How long a handshake JWT stays acceptable: it only has to survive one redirect.
pub const TOKEN_TTL_SECS: i64 = 60;

/// The cookies a handshake may set: only the session protocol's own.
const SETTABLE: &[&str] = &[SESSION, CLIENT_UAT];

/// `iss` and `exp` are optional on the way in: `@clerk/backend` checks only the signature, so Clerk's Frontend
/// API need not send them. When present they must be right; the built-in provider always sends both.
#[derive(serde::Serialize, serde::Deserialize)]
struct HandshakeClaims {
    #[serde(default)]
    iss: Option<String>,
    #[serde(default)]
    exp: Option<i64>,
    #[serde(default)]
    iat: Option<i64>,
    handshake: Vec<String>,
}

/// Signs a handshake JWT carrying `cookies` (Set-Cookie values), as the Frontend API does.
///
/// # Errors
/// Only if signing fails.
pub fn sign(
    keys: &LocalKeys,
    issuer: &str,
    cookies: Vec<String>,
    now: i64,
) -> Result<String, SignError> {
    let claims = HandshakeClaims {
        iss: Some(issuer.trim_end_matches('/').to_owned()),
        exp: Some(now + TOKEN_TTL_SECS),
        iat: Some(now),
        handshake: cookies,
    };
    keys.sign_jwt(&claims)
}

/// The name of a Set-Cookie value.
fn cookie_name(set_cookie: &str) -> &str {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map_or("", |(name, _)| name.trim())
}

impl Verifier {
    /// Verifies a handshake JWT (RS256 by a key of the instance; the configured issuer and unexpired when it says) and returns
    /// the Set-Cookie values it carries for the session cookies; any other cookie in it is dropped.
    ///
    /// # Errors
    /// `malformed_token`, `unsupported_algorithm`, `unknown_key`, `invalid_signature`, `wrong_issuer`,
    /// `token_expired`.
    pub async fn verify_handshake(&self, token: &str, now: i64) -> Result<Vec<String>, AppError> {
        let header = read_header(token)?;
        if header.alg.as_deref() != Some("RS256") {
            return Err(AppError::UnsupportedAlgorithm);
        }
        let (key, _) = self.keys.key_for(header.kid.as_deref()).await?;
        let (input, signature) = token.rsplit_once('.').ok_or(AppError::MalformedToken)?;
        if !key.verifies_rs256(input.as_bytes(), &decode_segment(signature)?) {
            return Err(AppError::InvalidSignature);
        }
        let payload = input.split_once('.').ok_or(AppError::MalformedToken)?.1;
        let claims: HandshakeClaims = serde_json::from_slice(&decode_segment(payload)?)
            .map_err(|_| AppError::MalformedToken)?;
        if claims
            .iss
            .as_deref()
            .is_some_and(|iss| iss.trim_end_matches('/') != self.issuer)
        {
            return Err(AppError::WrongIssuer);
        }
        if let Some(exp) = claims.exp {
            if exp.saturating_add(self.leeway_secs) <= now {
                return Err(AppError::TokenExpired {
                    expired_at: exp,
                    current_time: now,
                });
            }
        }
        Ok(claims
            .handshake
            .into_iter()
            .filter(|c| SETTABLE.contains(&cookie_name(c)))
            .collect())
    }
}

/// Whether `__client_uat` says the browser has a signed-in client (absent, `0` or junk say not).
pub fn client_signed_in(client_uat: Option<&str>) -> bool {
    client_uat
        .and_then(|v| v.parse::<i64>().ok())
        .is_some_and(|uat| uat > 0)
}

/// `url` with every `name` query parameter removed, the rest kept in order.
pub fn without_param(path_and_query: &str, name: &str) -> String {
    let Some((path, query)) = path_and_query.split_once('?') else {
        return path_and_query.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(name))
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::auth::keys::{KeySource, KeyStore};
    use std::collections::HashMap;

    const ISSUER: &str = "https://t2m.test";
    const NOW: i64 = 1_800_000_000;

    fn keys() -> LocalKeys {
        let dir = std::env::temp_dir().join(format!("t2m-hs-{}", uuid::Uuid::new_v4().simple()));
        let keys = LocalKeys::load_or_create(&dir).unwrap();
        let _ = std::fs::remove_dir_all(dir);
        keys
    }

    fn verifier(keys: &LocalKeys) -> Verifier {
        let store = KeyStore::new(KeySource::Fixed(HashMap::from([(
            Some(keys.kid.clone()),
            keys.decoding.clone(),
        )])));
        Verifier::new(store, ISSUER, vec![ISSUER.into()], 5)
    }

    fn cookies() -> Vec<String> {
        vec![
            "__session=tok; Path=/; Max-Age=60".into(),
            "__client_uat=1800000000; Path=/".into(),
            "theme=evil; Path=/".into(),
        ]
    }

    #[tokio::test]
    async fn a_good_token_yields_only_the_session_cookies() {
        let keys = keys();
        let token = sign(&keys, ISSUER, cookies(), NOW).unwrap();
        let applied = verifier(&keys).verify_handshake(&token, NOW).await.unwrap();
        assert_eq!(applied, cookies()[..2].to_vec());
    }

    /// Clerk's own verifier checks only the signature, so a Frontend API token without `iss`/`exp` must pass.
    #[tokio::test]
    async fn a_token_without_issuer_or_expiry_is_accepted_on_its_signature() {
        let keys = keys();
        let claims = serde_json::json!({ "handshake": cookies() });
        let token = keys.sign_jwt(&claims).unwrap();
        let applied = verifier(&keys).verify_handshake(&token, NOW).await.unwrap();
        assert_eq!(applied, cookies()[..2].to_vec());
    }

    #[tokio::test]
    async fn refusals() {
        let keys = keys();
        let other = self::keys();
        let v = verifier(&keys);
        // Signed by another key under the same kid: the signature does not verify.
        let mut forged_keys = other;
        forged_keys.kid.clone_from(&keys.kid);
        let forged = sign(&forged_keys, ISSUER, cookies(), NOW).unwrap();
        let code = |r: Result<Vec<String>, AppError>| r.unwrap_err().code();
        assert_eq!(
            code(v.verify_handshake(&forged, NOW).await),
            "invalid_signature"
        );
        let wrong_iss = sign(&keys, "https://evil.test", cookies(), NOW).unwrap();
        assert_eq!(
            code(v.verify_handshake(&wrong_iss, NOW).await),
            "wrong_issuer"
        );
        let old = sign(&keys, ISSUER, cookies(), NOW - TOKEN_TTL_SECS - 10).unwrap();
        assert_eq!(code(v.verify_handshake(&old, NOW).await), "token_expired");
        let mut tampered = sign(&keys, ISSUER, cookies(), NOW).unwrap();
        tampered.push('A');
        assert!(v.verify_handshake(&tampered, NOW).await.is_err());
        assert_eq!(
            code(v.verify_handshake("junk", NOW).await),
            "malformed_token"
        );
    }

    #[test]
    fn client_uat_zero_or_absent_is_signed_out() {
        assert!(!client_signed_in(None));
        assert!(!client_signed_in(Some("0")));
        assert!(!client_signed_in(Some("x")));
        assert!(client_signed_in(Some("1800000000")));
    }

    #[test]
    fn strips_only_the_handshake_param() {
        assert_eq!(
            without_param("/a?__clerk_handshake=x", HANDSHAKE_PARAM),
            "/a"
        );
        assert_eq!(
            without_param("/a?b=1&__clerk_handshake=x&c=2", HANDSHAKE_PARAM),
            "/a?b=1&c=2"
        );
        assert_eq!(without_param("/a", HANDSHAKE_PARAM), "/a");
    }
}
