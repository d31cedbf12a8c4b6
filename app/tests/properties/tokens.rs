//! Session tokens: arbitrary strings, segments and headers never panic and never verify; a token verifies only
//! when the key signed it and its claims pass every check; changing any byte of a good token breaks it.

use crate::CASES;
use app::services::auth::keys::{KeySource, KeyStore};
use app::services::auth::local_idp::LocalKeys;
use app::services::auth::Verifier;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

const ISSUER: &str = "https://t2m.test";
const NOW: i64 = 1_800_000_000;
const LEEWAY: i64 = 5;

struct Fixture {
    keys: LocalKeys,
    stranger: LocalKeys,
    verifier: Verifier,
    runtime: tokio::runtime::Runtime,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("t2m-props-{}", std::process::id()));
        let keys = LocalKeys::load_or_create(&dir.join("ours")).unwrap();
        let stranger = LocalKeys::load_or_create(&dir.join("theirs")).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let store = KeyStore::new(KeySource::Fixed(HashMap::from([(
            Some(keys.kid.clone()),
            keys.decoding.clone(),
        )])));
        let verifier = Verifier::new(store, ISSUER, vec![ISSUER.to_owned()], LEEWAY as u64);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        Fixture {
            keys,
            stranger,
            verifier,
            runtime,
        }
    })
}

fn verify(token: &str) -> Result<app::services::auth::claims::SessionClaims, String> {
    let f = fixture();
    f.runtime
        .block_on(f.verifier.verify_uncached(token, NOW))
        .map_err(|e| e.code())
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token over `header` and `claims`, signed by `keys`.
fn signed(keys: &LocalKeys, header: &Value, claims: &Value) -> String {
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let signature = keys.sign_rs256(input.as_bytes()).unwrap();
    format!("{input}.{}", b64(&signature))
}

fn good_claims() -> Value {
    json!({"sub": "user_1", "sid": "sess_1", "iss": ISSUER, "azp": ISSUER, "aud": "t2m-api",
        "iat": NOW, "nbf": NOW - 5, "exp": NOW + 60})
}

fn claim_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<i64>().prop_map(Value::from),
        (NOW - 200..NOW + 200).prop_map(Value::from),
        Just(Value::from(ISSUER)),
        Just(Value::from("t2m-api")),
        ".{0,12}".prop_map(Value::from),
        Just(json!(["t2m-api", "other"])),
    ]
}

/// The verdict the contract asks for, decided from the claims alone (the token is signed by our key).
fn expected(claims: &serde_json::Map<String, Value>) -> bool {
    let text = |k: &str| claims.get(k).and_then(Value::as_str);
    let int = |k: &str| claims.get(k).and_then(Value::as_i64);
    let optional_ok =
        |k: &str, ok: &dyn Fn(&Value) -> bool| claims.get(k).is_none_or(|v| v.is_null() || ok(v));
    let (Some(_), Some(iss), Some(exp), Some(_)) =
        (text("sub"), text("iss"), int("exp"), int("iat"))
    else {
        return false;
    };
    let nbf_ok = match claims.get("nbf") {
        None | Some(Value::Null) => true,
        Some(v) => v
            .as_i64()
            .is_some_and(|nbf| nbf.saturating_sub(LEEWAY) <= NOW),
    };
    iss == ISSUER
        && optional_ok("azp", &|v| v.as_str() == Some(ISSUER))
        && optional_ok("aud", &|v| {
            v.as_str() == Some("t2m-api")
                || v.as_array().is_some_and(|a| {
                    a.iter().all(Value::is_string) && a.contains(&json!("t2m-api"))
                })
        })
        && optional_ok("sid", &Value::is_string)
        && exp.saturating_add(LEEWAY) > NOW
        && nbf_ok
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_strings_never_panic_and_never_verify(token in ".{0,300}") {
        prop_assert!(verify(&token).is_err());
    }

    #[test]
    fn arbitrary_segments_never_verify(
        header in proptest::collection::vec(any::<u8>(), 0..80),
        payload in proptest::collection::vec(any::<u8>(), 0..200),
        signature in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let token = format!("{}.{}.{}", b64(&header), b64(&payload), b64(&signature));
        prop_assert!(verify(&token).is_err());
    }

    #[test]
    fn headers_of_any_shape_signed_by_another_key_never_verify(
        alg in prop_oneof![Just(json!("RS256")), Just(json!("none")), Just(json!("HS256")), claim_value()],
        kid in prop_oneof![Just(None), Just(Some(json!("ours"))), claim_value().prop_map(Some)],
    ) {
        let f = fixture();
        let kid = kid.map(|k| if k == json!("ours") { json!(f.keys.kid) } else { k });
        let mut header = json!({"alg": alg, "typ": "JWT"});
        if let Some(kid) = kid {
            header["kid"] = kid;
        }
        prop_assert!(verify(&signed(&f.stranger, &header, &good_claims())).is_err());
    }

    #[test]
    fn signed_claims_verify_exactly_when_every_check_passes(
        changes in proptest::collection::vec(
            (prop::sample::select(vec!["sub", "sid", "iss", "azp", "aud", "exp", "iat", "nbf"]),
             proptest::option::of(claim_value())),
            0..4,
        ),
    ) {
        let f = fixture();
        let mut claims = good_claims();
        for (name, value) in changes {
            let map = claims.as_object_mut().unwrap();
            match value {
                Some(v) => { map.insert(name.to_owned(), v); }
                None => { map.remove(name); }
            }
        }
        let header = json!({"alg": "RS256", "kid": f.keys.kid, "typ": "JWT"});
        let verdict = verify(&signed(&f.keys, &header, &claims));
        prop_assert_eq!(verdict.is_ok(), expected(claims.as_object().unwrap()), "{:?} for {}", verdict, claims);
    }

    #[test]
    fn changing_any_byte_of_a_good_token_breaks_it(at in any::<prop::sample::Index>(), to in any::<u8>()) {
        let f = fixture();
        let header = json!({"alg": "RS256", "kid": f.keys.kid, "typ": "JWT"});
        let token = signed(&f.keys, &header, &good_claims());
        prop_assert!(verify(&token).is_ok());
        let mut bytes = token.into_bytes();
        let i = at.index(bytes.len());
        prop_assume!(bytes[i] != to);
        bytes[i] = to;
        let tampered = String::from_utf8_lossy(&bytes).into_owned();
        prop_assert!(verify(&tampered).is_err());
    }
}
