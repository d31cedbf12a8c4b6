//! One file per route.

pub mod about;
pub mod contact;
pub mod home;
pub mod legal;
pub mod not_found;
pub mod pricing;
