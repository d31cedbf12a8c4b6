//! Route splitting: the WASM cut at Leptos' `#[lazy]` / `#[lazy_route]` split points into a main module and
//! chunks fetched when a page needs them, as `cargo leptos build --split` does (issue #12: every visitor
//! downloaded every page's code, 685 KB brotli, before any page became interactive).
//!
//! The front is compiled with `--emit-relocs` so the splitter can move functions between modules; it writes
//! the chunks, their JS loader and the prefetch manifest into the pkg dir, and a main module that wasm-bindgen
//! then processes as usual.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Result, XtaskError};

/// The loader's file name, fixed by Leptos: `HydrationScripts` and the split points' imports both name it.
pub const LOADER_JS: &str = "__wasm_split.______________________.js";
/// Which chunks each split point needs; the server reads it to preload a page's chunks with its HTML.
pub const MANIFEST_JSON: &str = "__wasm_split_manifest.json";

/// Splits `wasm` (cargo's output), writing the chunks, the loader and the manifest into `pkg` and the main
/// module beside `wasm` as `<stem>_split.wasm`, whose path it answers.
///
/// # Errors
/// The WASM cannot be read, was not built with `--emit-relocs`, or the outputs cannot be written.
pub fn split(wasm: &Path, pkg: &Path, output_name: &str) -> Result<PathBuf> {
    let input = fs::read(wasm).map_err(XtaskError::io("reading", wasm))?;
    let stem = wasm
        .file_stem()
        .map_or_else(|| "main".into(), |s| s.to_string_lossy().into_owned());
    let main_out = wasm.with_file_name(format!("{stem}_split.wasm"));
    // The loader imports the main JS module to share its instance; it sits beside it in the pkg dir.
    let main_module = format!("./{output_name}.js");
    let link_name = format!("./{LOADER_JS}");
    let mut opts = wasm_split_cli_support::Options::new(&input);
    opts.output_dir = pkg;
    opts.main_out_path = &main_out;
    opts.main_module = &main_module;
    opts.link_name = &link_name;
    let outcome = wasm_split_cli_support::transform(opts).map_err(|e| XtaskError::Split {
        input: wasm.to_path_buf(),
        message: format!("{e:#}"),
    })?;
    let manifest =
        serde_json::to_string_pretty(&outcome.prefetch_map).map_err(|e| XtaskError::Split {
            input: wasm.to_path_buf(),
            message: format!("writing the prefetch manifest: {e}"),
        })?;
    let manifest_path = pkg.join(MANIFEST_JSON);
    fs::write(&manifest_path, manifest).map_err(XtaskError::io("writing", manifest_path))?;
    Ok(main_out)
}

/// Custom sections no browser reads: function names (only for debuggers and panic backtraces, which
/// `console_error_panic_hook` prints without them) and toolchain notes. The splitter copies the names into
/// every chunk: 60 % of the bytes before compression.
const STRIPPED_SECTIONS: [&str; 3] = ["name", "producers", "target_features"];

/// Rewrites every chunk `*.wasm` in `pkg` except `keep` (the main module, which wasm-bindgen strips) without
/// the sections above.
///
/// # Errors
/// A chunk cannot be read, is not a WASM module, or cannot be written.
pub fn strip_chunks(pkg: &Path, keep: &str) -> Result<()> {
    for entry in fs::read_dir(pkg).map_err(XtaskError::io("reading", pkg))? {
        let path = entry.map_err(XtaskError::io("reading", pkg))?.path();
        let is_chunk = path.extension().is_some_and(|ext| ext == "wasm")
            && path.file_name().is_some_and(|name| name != keep);
        if !is_chunk {
            continue;
        }
        let data = fs::read(&path).map_err(XtaskError::io("reading", &path))?;
        let stripped = without_custom_sections(&data, &STRIPPED_SECTIONS).ok_or_else(|| {
            XtaskError::Split {
                input: path.clone(),
                message: "the splitter wrote a chunk that is not a WASM module".into(),
            }
        })?;
        fs::write(&path, stripped).map_err(XtaskError::io("writing", &path))?;
    }
    Ok(())
}

/// `module` without the custom sections named in `names`; `None` if it is not a well-formed module.
fn without_custom_sections(module: &[u8], names: &[&str]) -> Option<Vec<u8>> {
    const HEADER: usize = 8; // b"\0asm" and the version
    const CUSTOM: u8 = 0;
    if module.get(..4)? != b"\0asm" {
        return None;
    }
    let mut out = module.get(..HEADER)?.to_vec();
    let mut at = HEADER;
    while at < module.len() {
        let id = module[at];
        let (size, body) = read_leb_u32(module, at + 1)?;
        let end = body.checked_add(usize::try_from(size).ok()?)?;
        let section = module.get(at..end)?;
        let drop = id == CUSTOM && {
            let (len, name_at) = read_leb_u32(module, body)?;
            let name = module.get(name_at..name_at.checked_add(usize::try_from(len).ok()?)?)?;
            names.iter().any(|n| n.as_bytes() == name)
        };
        if !drop {
            out.extend_from_slice(section);
        }
        at = end;
    }
    Some(out)
}

/// An unsigned LEB128 `u32` at `at`: its value and the offset just past it.
fn read_leb_u32(bytes: &[u8], mut at: usize) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(at)?;
        at += 1;
        value |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some((value, at));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with a type section, a `name` section and a custom section the browser might want.
    fn module() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]); // one type: [] -> []
        m.extend_from_slice(&[0, 7, 4, b'n', b'a', b'm', b'e', 0xaa, 0xbb]);
        m.extend_from_slice(&[0, 5, 4, b'k', b'e', b'e', b'p']);
        m
    }

    #[test]
    fn strips_only_the_named_custom_sections() {
        let stripped = without_custom_sections(&module(), &STRIPPED_SECTIONS).unwrap();
        let mut expected = b"\0asm\x01\0\0\0".to_vec();
        expected.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        expected.extend_from_slice(&[0, 5, 4, b'k', b'e', b'e', b'p']);
        assert_eq!(stripped, expected);
    }

    #[test]
    fn refuses_what_is_not_a_module() {
        assert!(without_custom_sections(b"not wasm", &STRIPPED_SECTIONS).is_none());
        let mut truncated = module();
        truncated.truncate(truncated.len() - 2);
        assert!(without_custom_sections(&truncated, &STRIPPED_SECTIONS).is_none());
    }

    #[test]
    fn reads_multi_byte_leb128() {
        assert_eq!(read_leb_u32(&[0xe5, 0x8e, 0x26], 0), Some((624_485, 3)));
        assert_eq!(read_leb_u32(&[0x80, 0x80], 0), None);
    }
}
