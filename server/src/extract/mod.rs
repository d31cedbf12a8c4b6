//! Request extractors that reject with the app's error shape.

pub mod client_ip;
pub mod cursor;
pub mod json;
pub mod pagination;
