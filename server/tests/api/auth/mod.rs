mod clerk_tokens;
mod csrf;
mod dev_mode;
mod jwks_rotation;
pub mod local_provider;
mod route_protection;
mod sign_in_throttle;
