//! Property tests for the parsers an attacker feeds directly: session tokens, signed file URLs, upload sniffing
//! and Svix webhook signatures. Whatever the input: no panic, and nothing verifies unless it was signed.
//! Case counts stay moderate so they run with the unit tests (`cargo test -p app --features ssr`).

mod signed_urls;
mod svix;
mod tokens;
mod uploads;

/// Cases per property: enough to find the edge cases below in every run, few enough to take seconds.
pub const CASES: u32 = 96;
