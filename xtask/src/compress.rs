//! `--precompress`: a `.gz` and a `.br` beside every site file, for the server's precompressed static
//! files (server/src/router.rs), written as cargo-leptos 0.3.6 writes them (libflate's gzip, brotli's
//! default parameters: quality 11, window 22), so the bytes match its output. Larger brotli input blocks
//! (`lgblock` 24) were tried: ±0.25 % on `t2m.wasm` depending on the build, noise rather than a saving.

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn both_twins_decompress_to_the_original_and_are_not_compressed_again() {
        let dir = std::env::temp_dir().join(format!("xtask-compress-{}", std::process::id()));
        let nested = dir.join("pkg");
        fs::create_dir_all(&nested).unwrap();
        let original: Vec<u8> = (0..200_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        fs::write(nested.join("t2m.wasm"), &original).unwrap();

        compress_dir(&dir).unwrap();
        compress_dir(&dir).unwrap();

        let mut from_br = Vec::new();
        brotli::BrotliDecompress(
            &mut &fs::read(nested.join("t2m.wasm.br")).unwrap()[..],
            &mut from_br,
        )
        .unwrap();
        let mut from_gz = Vec::new();
        libflate::gzip::Decoder::new(&fs::read(nested.join("t2m.wasm.gz")).unwrap()[..])
            .unwrap()
            .read_to_end(&mut from_gz)
            .unwrap();
        assert_eq!(from_br, original);
        assert_eq!(from_gz, original);
        let mut names: Vec<_> = fs::read_dir(&nested)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["t2m.wasm", "t2m.wasm.br", "t2m.wasm.gz"]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
