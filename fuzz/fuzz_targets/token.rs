//! Any bytes as a session token: no panic, and never a verified token (nothing here is signed by the key).
#![no_main]

use app::services::auth::keys::{KeySource, KeyStore};
use app::services::auth::local_idp::LocalKeys;
use app::services::auth::Verifier;
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;
use std::sync::OnceLock;

const ISSUER: &str = "https://t2m.test";

fn verifier() -> &'static (Verifier, tokio::runtime::Runtime) {
    static VERIFIER: OnceLock<(Verifier, tokio::runtime::Runtime)> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        let keys = LocalKeys::from_private_pem(include_str!(
            "../../app/src/services/auth/local_idp/testdata/pkcs8.pem"
        ))
        .expect("test key");
        let store = KeyStore::new(KeySource::Fixed(HashMap::from([
            (Some(keys.kid.clone()), keys.decoding.clone()),
            // Tokens without a `kid` reach the signature check too.
            (None, keys.decoding.clone()),
        ])));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        (Verifier::new(store, ISSUER, vec![ISSUER.into()], 5), runtime)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let (verifier, runtime) = verifier();
    let verdict = runtime.block_on(verifier.verify_uncached(token, 1_800_000_000));
    assert!(verdict.is_err(), "an unsigned token verified");
});
