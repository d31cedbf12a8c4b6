//! Why a build stopped, with what to install or set to get past it.

use std::path::PathBuf;

/// Every way `cargo xtask` can fail.
#[derive(Debug, thiserror::Error)]
pub enum XtaskError {
    /// The command line asked for something the tool does not do.
    #[error(
        "{0}\nusage: cargo xtask build [--release] [--precompress] [--sequential | --site-only]"
    )]
    Usage(String),
    /// A file or directory could not be read or written.
    #[error("{action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The root Cargo.toml has no usable `[[workspace.metadata.leptos]]` table.
    #[error("Cargo.toml [[workspace.metadata.leptos]]: {0}")]
    Metadata(String),
    /// A command ran and failed; its own output is already on the terminal.
    #[error("`{command}` failed ({status})")]
    CommandFailed {
        command: String,
        status: std::process::ExitStatus,
    },
    /// The WASM could not be split at its lazy-loading points.
    #[error(
        "splitting {} at its #[lazy] points failed: {message}\n(the front must be compiled with \
         `-Clink-args=--emit-relocs`, which `cargo xtask build` sets)",
        input.display()
    )]
    Split { input: PathBuf, message: String },
    /// wasm-bindgen could not generate the JS glue.
    #[error(
        "wasm-bindgen could not process {}: {message}\n(the WASM must come from a crate built against \
         wasm-bindgen 0.2.130, the version in Cargo.lock)",
        input.display()
    )]
    Bindgen {
        input: PathBuf,
        /// wasm-bindgen's `anyhow` chain, flattened: xtask does not depend on anyhow itself.
        message: String,
    },
}

impl XtaskError {
    /// Wraps an I/O error with what was being done and to which path.
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }
}

/// The result of an xtask step.
pub type Result<T, E = XtaskError> = std::result::Result<T, E>;
