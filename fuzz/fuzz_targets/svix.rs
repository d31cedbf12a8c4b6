//! Svix webhook signatures: arbitrary headers and bodies never verify and never panic; a signed delivery does.
#![no_main]

use app::services::webhooks::svix::WebhookSecret;
use libfuzzer_sys::fuzz_target;

const NOW: i64 = 1_700_000_000;

fuzz_target!(|input: (Option<String>, Option<String>, Option<String>, Vec<u8>, i16)| {
    let (id, timestamp, signatures, body, skew) = input;
    let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret");
    let verdict = secret.verify(id.as_deref(), timestamp.as_deref(), signatures.as_deref(), &body, NOW);
    assert!(verdict.is_err(), "a delivery with a guessed signature verified");

    let id = id.unwrap_or_default();
    let at = NOW + i64::from(skew) % 300;
    let header = format!("v1,{}", secret.sign(&id, at, &body));
    assert!(secret
        .verify(Some(&id), Some(&at.to_string()), Some(&header), &body, NOW)
        .is_ok());
});
