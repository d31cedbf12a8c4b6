//! Cross-cutting layers: security headers, CSRF, the local provider's session handshake, page protection.

pub mod csrf;
pub mod page_access;
pub mod refusals;
pub mod security_headers;
pub mod session_handshake;
