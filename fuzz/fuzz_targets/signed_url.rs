//! Signed file URLs: arbitrary parameters never verify and never panic; what was signed always verifies.
#![no_main]

use app::services::files::signing::SignedQuery;
use app::services::files::UrlSigner;
use libfuzzer_sys::fuzz_target;

const NOW: i64 = 1_700_000_000;

fuzz_target!(|input: (String, Option<String>, Option<String>, Option<String>, Option<String>, i64, bool)| {
    let (file_id, user_id, expires, signature, download, signed_expiry, signed_download) = input;
    let signer = UrlSigner::new(b"a-file-signing-secret-of-32-bytes!");
    let query = SignedQuery {
        user_id: user_id.clone(),
        expires,
        signature,
        download,
    };
    assert!(signer.verify(&file_id, &query, NOW).is_err(), "a forged URL verified");

    let user = user_id.unwrap_or_default();
    if user.is_empty() || signed_expiry < NOW {
        return;
    }
    let good = SignedQuery {
        user_id: Some(user.clone()),
        expires: Some(signed_expiry.to_string()),
        signature: Some(signer.sign(&file_id, &user, signed_expiry, signed_download)),
        download: signed_download.then(|| "1".to_owned()),
    };
    assert!(signer.verify(&file_id, &good, NOW).is_ok(), "a signed URL was refused");
});
