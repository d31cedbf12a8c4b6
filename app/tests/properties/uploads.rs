//! Upload sniffing and file names: arbitrary bytes and names never panic; what is accepted is what was sniffed.

use crate::CASES;
use app::services::files::sniff::{detect, KINDS};
use app::services::files::upload::sanitize_filename;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES * 4))]

    #[test]
    fn sniffing_arbitrary_bytes_never_panics_and_names_a_known_kind(
        head in proptest::collection::vec(any::<u8>(), 0..512),
        declared in proptest::option::of(".{0,40}"),
    ) {
        if let Ok(found) = detect(&head, declared.as_deref()) {
            prop_assert!(KINDS.contains(&found.kind));
            // Text is accepted only when it is text: no NUL byte can pass as text/plain.
            if found.kind == "document" && found.content_type.starts_with("text/") {
                prop_assert!(!head.contains(&0));
            }
        }
    }

    #[test]
    fn sanitized_file_names_are_safe_to_store_and_to_quote(raw in ".{0,400}") {
        let name = sanitize_filename(&raw);
        prop_assert!(!name.is_empty() && name.len() <= 200);
        prop_assert!(!name.contains(['/', '\\', '"', '\r', '\n', '\0']));
        prop_assert!(!name.starts_with('.'));
        prop_assert!(!name.chars().any(char::is_control));
    }
}
