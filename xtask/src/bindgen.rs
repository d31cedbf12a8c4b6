//! The WASM's JS glue (wasm-bindgen as a library, pinned to Cargo.lock's version) and its size pass
//! (binaryen's wasm-opt), laid out as cargo-leptos 0.3.6 lays them out.

use std::path::Path;
use std::process::Command;

use wasm_bindgen_cli_support::Bindgen;

use crate::cargo;
use crate::error::{Result, XtaskError};

/// Writes `<out_dir>/<name>.js`, `<name>.wasm` and their `.d.ts` files from cargo's `wasm`.
///
/// The options are wasm-bindgen-cli's defaults for `--target web --out-name <name>`, which is what
/// cargo-leptos runs: TypeScript declarations on, the default module path kept, names demangled.
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
        .demangle(true);
    b.generate(out_dir)
        .map_err(|e| bindgen_err(format!("{e:#}")))?;
    // Leptos' hydration script asks for `<name>.wasm`; wasm-bindgen writes `<name>_bg.wasm`.
    let from = out_dir.join(format!("{name}_bg.wasm"));
    let to = out_dir.join(format!("{name}.wasm"));
    std::fs::rename(&from, &to).map_err(XtaskError::io("renaming", from))
}

/// Shrinks the WASM in place with cargo-leptos' default wasm-opt flags (`LEPTOS_WASM_OPT_FEATURES` not
/// being used by T2M).
///
/// # Errors
/// wasm-opt is not on PATH or fails.
pub fn optimize(wasm: &Path) -> Result<()> {
    let mut cmd = Command::new("wasm-opt");
    cmd.args([
        "-Oz",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
    ])
    .arg(wasm)
    .arg("-o")
    .arg(wasm);
    match cmd.status() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(XtaskError::MissingTool {
            tool: "wasm-opt",
            hint: "install binaryen (`cd end2end && npm ci` puts it in end2end/node_modules/.bin; add that to \
                   PATH, as scripts/setup.sh does) or your distribution's `binaryen` package",
        }),
        Err(e) => Err(XtaskError::io("starting", "wasm-opt")(e)),
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(XtaskError::CommandFailed { command: cargo::describe(&cmd), status }),
    }
}
