//! `--precompress`: a `.gz` and a `.br` beside every site file, for the server's precompressed static
//! files (server/src/router.rs), written as cargo-leptos 0.3.6 writes them (libflate's gzip, brotli's
//! default parameters: quality 11, window 22), so the bytes match its output.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::error::{Result, XtaskError};

/// Compresses every file under `dir`, recursively, skipping files that already are `.gz` or `.br`.
///
/// # Errors
/// A file cannot be read, compressed or written.
pub fn compress_dir(dir: &Path) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(XtaskError::io("reading", dir))? {
        let path = entry.map_err(XtaskError::io("reading", dir))?.path();
        if path.is_dir() {
            compress_dir(&path)?;
            continue;
        }
        if path
            .extension()
            .is_some_and(|ext| ext == "gz" || ext == "br")
        {
            continue;
        }
        let data = fs::read(&path).map_err(XtaskError::io("reading", &path))?;
        let gz = twin(&path, "gz");
        fs::write(&gz, gzip(&data).map_err(XtaskError::io("gzipping", &path))?)
            .map_err(XtaskError::io("writing", &gz))?;
        let br = twin(&path, "br");
        fs::write(
            &br,
            brotli(&data).map_err(XtaskError::io("brotli-compressing", &path))?,
        )
        .map_err(XtaskError::io("writing", &br))?;
    }
    Ok(())
}

/// `name.ext` → `name.ext.<suffix>`.
fn twin(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    name.into()
}

fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = libflate::gzip::Encoder::new(Vec::new())?;
    encoder.write_all(data)?;
    encoder.finish().into_result()
}

fn brotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams::default();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}
