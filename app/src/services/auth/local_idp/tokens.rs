//! Minting Clerk-shaped session tokens and `t2m-api` template tokens.

use super::keys::{LocalKeys, SignError};
use crate::services::auth::claims::{Audience, Permissions, SessionClaims, API_TEMPLATE};
use crate::services::users::UserRow;

/// What a token is minted for.
pub struct TokenRequest<'a> {
    pub issuer: &'a str,
    pub user: &'a UserRow,
    pub session_id: &'a str,
    /// The origin that asked (`azp`).
    pub authorized_party: &'a str,
    pub ttl_secs: i64,
    pub now: i64,
    /// `Some("t2m-api")` for the API template.
    pub template: Option<&'a str>,
}

/// Signs a token; the claims follow Clerk's session token, plus the template's when one is asked for.
///
/// # Errors
/// Only if signing fails.
pub fn mint(keys: &LocalKeys, request: &TokenRequest<'_>) -> Result<String, SignError> {
    let user = request.user;
    let templated = request.template == Some(API_TEMPLATE);
    let claims = SessionClaims {
        sub: user.id.clone(),
        sid: Some(request.session_id.to_owned()),
        iss: request.issuer.to_owned(),
        azp: Some(request.authorized_party.to_owned()),
        aud: templated.then(|| Audience::One(API_TEMPLATE.to_owned())),
        exp: request.now + request.ttl_secs,
        iat: request.now,
        // Clerk back-dates nbf by a few seconds to absorb clock skew between its servers and yours.
        nbf: Some(request.now - 5),
        user_id: templated.then(|| user.id.clone()),
        email: user.email.clone(),
        name: Some(user.display_name()),
        role: Some(user.role().as_str().to_owned()),
        permissions: Some(Permissions::List(user.permissions())),
        subscription_tier: Some(user.tier().as_str().to_owned()),
        metadata: None,
        public_metadata: None,
    };
    keys.sign_jwt(&claims)
}
