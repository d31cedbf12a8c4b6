mod clerk_tokens;
mod csrf;
mod dev_mode;
mod jwks_rotation;
mod jwks_staleness;
pub mod local_provider;
mod redirects;
mod route_protection;
mod sessions;
