//! Signed file URLs: random or tampered parameters never verify, nothing panics.

use crate::CASES;
use app::services::files::signing::SignedQuery;
use app::services::files::UrlSigner;
use proptest::prelude::*;

const NOW: i64 = 1_700_000_000;

fn signer() -> UrlSigner {
    UrlSigner::new(b"a-file-signing-secret-of-32-bytes!")
}

fn query(user: &str, expires: i64, signature: &str, download: bool) -> SignedQuery {
    SignedQuery {
        user_id: Some(user.to_owned()),
        expires: Some(expires.to_string()),
        signature: Some(signature.to_owned()),
        download: download.then(|| "1".to_owned()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_queries_never_panic_and_never_verify(
        file_id in ".{0,40}",
        user_id in proptest::option::of(".{0,40}"),
        expires in proptest::option::of(prop_oneof![any::<i64>().prop_map(|e| e.to_string()), ".{0,24}"]),
        signature in proptest::option::of(prop_oneof!["[0-9a-f]{64}", ".{0,80}"]),
        download in proptest::option::of(".{0,3}"),
    ) {
        let query = SignedQuery { user_id, expires, signature, download };
        prop_assert!(signer().verify(&file_id, &query, NOW).is_err());
    }

    #[test]
    fn a_signed_url_verifies_and_any_changed_parameter_does_not(
        file_id in "[a-zA-Z0-9_-]{1,30}",
        user_id in "[a-zA-Z0-9_-]{1,30}",
        lifetime in 0i64..1_000_000,
        download in any::<bool>(),
        other in "[a-zA-Z0-9_-]{1,30}",
        other_expires in any::<i64>(),
        flip in any::<prop::sample::Index>(),
    ) {
        let signer = signer();
        let expires = NOW + lifetime;
        let signature = signer.sign(&file_id, &user_id, expires, download);
        let grant = signer.verify(&file_id, &query(&user_id, expires, &signature, download), NOW);
        prop_assert_eq!(grant.map(|g| (g.user_id, g.expires, g.download)).ok(), Some((user_id.clone(), expires, download)));

        if other != file_id {
            prop_assert!(signer.verify(&other, &query(&user_id, expires, &signature, download), NOW).is_err());
        }
        if other != user_id {
            prop_assert!(signer.verify(&file_id, &query(&other, expires, &signature, download), NOW).is_err());
        }
        if other_expires != expires {
            prop_assert!(signer.verify(&file_id, &query(&user_id, other_expires, &signature, download), NOW).is_err());
        }
        prop_assert!(signer.verify(&file_id, &query(&user_id, expires, &signature, !download), NOW).is_err());
        let mut forged = signature.into_bytes();
        let at = flip.index(forged.len());
        forged[at] = if forged[at] == b'0' { b'1' } else { b'0' };
        let forged = String::from_utf8(forged).unwrap();
        prop_assert!(signer.verify(&file_id, &query(&user_id, expires, &forged, download), NOW).is_err());
    }
}
