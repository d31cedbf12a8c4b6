//! T2M's shared crate: the pages, components and browser hooks compiled to WASM and rendered on the server,
//! plus (with the `ssr` feature) the service layer behind them.

// Leptos view types nest deeply; the release WASM build needs more room than the default 128.
#![recursion_limit = "256"]

pub mod components;
pub mod domain;
pub mod error;
pub mod hooks;
pub mod pages;
pub mod routes;
pub mod server_fns;
pub mod shell;

#[cfg(feature = "ssr")]
pub mod services;

pub use routes::App;
pub use shell::shell;
