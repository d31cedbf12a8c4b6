//! A test signing key and a token builder, so tests can mint exactly the token they need.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
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
        let private = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let pem = |label: &str, der: &[u8]| pem::encode(&pem::Pem::new(label, der.to_vec()));
        let private_pem = pem("PRIVATE KEY", private.as_der().unwrap().as_ref());
        let public = private.public_key();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        Self {
            kid: kid.to_owned(),
            encoding: EncodingKey::from_rsa_pem(private_pem.as_bytes()).unwrap(),
            public_pem: pem("PUBLIC KEY", public.as_der().unwrap().as_ref()),
            jwk: json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
                "n": b64.encode(public.modulus().big_endian_without_leading_zero()),
                "e": b64.encode(public.exponent().big_endian_without_leading_zero())}),
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
