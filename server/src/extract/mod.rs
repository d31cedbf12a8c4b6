//! Request extractors that reject with the app's error shape.

pub mod json;
pub mod pagination;
