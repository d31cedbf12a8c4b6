//! A test signing key and a token builder, so tests can mint exactly the token they need.

use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

pub const ISSUER: &str = "https://clerk.t2m-test.dev";

/// An RSA key pair made once per test binary.
pub struct TestKey {
    pub kid: String,
    pub encoding: EncodingKey,
    pub public_pem: String,
    pub jwk: Value,
}

impl TestKey {
    pub fn generate(kid: &str) -> Self {
        let private = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
        let pem = private.to_pkcs8_pem(LineEnding::LF).unwrap();
        let public = private.to_public_key();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        Self {
            kid: kid.to_owned(),
            encoding: EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
            public_pem: public.to_public_key_pem(LineEnding::LF).unwrap(),
            jwk: json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
                "n": b64.encode(public.n().to_bytes_be()), "e": b64.encode(public.e().to_bytes_be())}),
        }
    }
}

pub fn key_a() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("key-a"))
}

pub fn key_b() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("key-b"))
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Claims of a valid `t2m-api` token for `user`, to be tweaked by the test.
pub fn api_claims(user: &str, azp: &str) -> Map<String, Value> {
    let now = now();
    json!({
        "sub": user, "sid": "sess_test", "iss": ISSUER, "azp": azp, "aud": "t2m-api",
        "iat": now, "nbf": now - 5, "exp": now + 60,
        "user_id": user, "email": format!("{user}@example.com"), "role": "user",
        "permissions": [], "subscription_tier": "free"
    })
    .as_object()
    .unwrap()
    .clone()
}

pub fn sign(key: &TestKey, claims: &Map<String, Value>) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, claims, &key.encoding).unwrap()
}

/// An HS256 token "signed" with the public key: the classic algorithm-confusion attack.
pub fn sign_hs256(claims: &Map<String, Value>, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}
