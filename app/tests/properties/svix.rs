//! Svix signatures: tampering with the body, id, timestamp or signature never verifies, nothing panics.

use crate::CASES;
use app::services::webhooks::svix::{WebhookSecret, TOLERANCE_SECS};
use proptest::prelude::*;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;

fn secret() -> WebhookSecret {
    WebhookSecret::parse(SECRET).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_headers_never_panic_and_never_verify(
        id in proptest::option::of(".{0,40}"),
        timestamp in proptest::option::of(prop_oneof![any::<i64>().prop_map(|t| t.to_string()), ".{0,24}"]),
        signatures in proptest::option::of(".{0,120}"),
        body in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let verdict = secret().verify(id.as_deref(), timestamp.as_deref(), signatures.as_deref(), &body, NOW);
        prop_assert!(verdict.is_err());
    }

    #[test]
    fn a_signed_delivery_verifies_and_any_tampering_does_not(
        id in "msg_[a-zA-Z0-9]{1,24}",
        skew in -TOLERANCE_SECS..=TOLERANCE_SECS,
        body in proptest::collection::vec(any::<u8>(), 0..256),
        other_id in "msg_[a-zA-Z0-9]{1,24}",
        other_timestamp in any::<i64>(),
        flip in any::<prop::sample::Index>(),
        sig_flip in any::<prop::sample::Index>(),
    ) {
        let secret = secret();
        let timestamp = NOW + skew;
        let header = format!("v1,{}", secret.sign(&id, timestamp, &body));
        let ts = timestamp.to_string();
        prop_assert!(secret.verify(Some(&id), Some(&ts), Some(&header), &body, NOW).is_ok());

        if other_id != id {
            prop_assert!(secret.verify(Some(&other_id), Some(&ts), Some(&header), &body, NOW).is_err());
        }
        if other_timestamp != timestamp {
            let other = other_timestamp.to_string();
            prop_assert!(secret.verify(Some(&id), Some(&other), Some(&header), &body, NOW).is_err());
        }
        if !body.is_empty() {
            let mut tampered = body.clone();
            tampered[flip.index(body.len())] ^= 0x01;
            prop_assert!(secret.verify(Some(&id), Some(&ts), Some(&header), &tampered, NOW).is_err());
        }
        let mut forged = header.clone().into_bytes();
        let at = 3 + sig_flip.index(forged.len() - 3);
        forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(forged).unwrap();
        prop_assert!(secret.verify(Some(&id), Some(&ts), Some(&forged), &body, NOW).is_err());
    }

    #[test]
    fn a_delivery_signed_with_another_secret_never_verifies(
        key in proptest::collection::vec(any::<u8>(), 24..48),
        id in "msg_[a-z0-9]{1,12}",
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        use base64::Engine;
        let other = WebhookSecret::parse(&format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(&key)
        ))
        .unwrap();
        let header = format!("v1,{}", other.sign(&id, NOW, &body));
        prop_assert!(secret().verify(Some(&id), Some(&NOW.to_string()), Some(&header), &body, NOW).is_err());
    }
}

#[test]
fn timestamps_at_the_ends_of_the_integer_range_are_refused_not_overflowed() {
    let secret = secret();
    for timestamp in [i64::MIN, i64::MIN + 1, i64::MAX] {
        let ts = timestamp.to_string();
        let header = format!("v1,{}", secret.sign("msg_1", timestamp, b"{}"));
        assert!(secret
            .verify(Some("msg_1"), Some(&ts), Some(&header), b"{}", NOW)
            .is_err());
    }
}
