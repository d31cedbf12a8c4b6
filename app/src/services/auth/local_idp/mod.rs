//! The built-in identity provider: behaves like a Clerk instance (hosted sign-in/up, client sessions, 60-second
//! RS256 session tokens, JWKS, the `t2m-api` template) so the whole flow runs offline through the same verifier.

pub mod account;
pub mod backend_api;
pub mod backend_key;
pub mod client;
pub mod guard;
pub mod keys;
pub mod outbox;
pub mod password_change;
pub mod password_reset;
pub mod passwords;
pub mod promote;
pub mod sessions;
pub mod tokens;
pub mod user_sessions;

pub use backend_key::BackendKey;
pub use keys::LocalKeys;
