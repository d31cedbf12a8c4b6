//! The WASM's JS glue (wasm-bindgen as a library, pinned to Cargo.lock's version), laid out as cargo-leptos
//! 0.3.6 lays it out.
//!
//! There is no wasm-opt pass: `-Oz` on the fat-LTO, `opt-level = "z"` module saved 0.1 % (685 KB brotli
//! either way) for 62 s of every release build, and it would have to run on each split chunk.

use std::path::Path;

use wasm_bindgen_cli_support::Bindgen;

use crate::error::{Result, XtaskError};

/// Writes `<out_dir>/<name>.js`, `<name>.wasm` and their `.d.ts` files from the split main module `wasm`.
///
/// The options are what cargo-leptos runs for `--split`: `--target web --out-name <name>
/// --keep-lld-exports --no-demangle`, TypeScript declarations on, the default module path kept. The chunks
/// link against the main module's lld exports by their mangled names, so both must survive.
///
/// # Errors
/// wasm-bindgen rejects the input (not built for wasm32, or against another wasm-bindgen) or the output
/// cannot be written.
pub fn bindgen(wasm: &Path, out_dir: &Path, name: &str) -> Result<()> {
    let bindgen_err = |message: String| XtaskError::Bindgen {
        input: wasm.to_path_buf(),
        message,
    };
    let mut b = Bindgen::new();
    b.web(true)
        .map_err(|e| bindgen_err(format!("{e:#}")))?
        .input_path(wasm)
        .out_name(name)
        .typescript(true)
        .omit_default_module_path(false)
        .keep_lld_exports(true)
        .demangle(false)
        // Function names are for debuggers; without `--emit-relocs` rustc's release WASM carried none.
        .remove_name_section(true)
        .remove_producers_section(true);
    b.generate(out_dir)
        .map_err(|e| bindgen_err(format!("{e:#}")))?;
    // Leptos' hydration script asks for `<name>.wasm`; wasm-bindgen writes `<name>_bg.wasm`.
    let from = out_dir.join(format!("{name}_bg.wasm"));
    let to = out_dir.join(format!("{name}.wasm"));
    std::fs::rename(&from, &to).map_err(XtaskError::io("renaming", from))
}
