mod authorization_matrix;
mod clerk_tokens;
mod csrf;
mod dev_mode;
mod jwks_rotation;
pub mod local_provider;
mod matrix_personas;
mod route_protection;
