//! Reusable pieces of UI.

pub mod layout;
pub mod pricing_table;
