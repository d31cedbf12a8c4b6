//! The site directory: emptied at the start of a build, then the assets and the stylesheet, as cargo-leptos
//! 0.3.6 writes them.

use std::fs;
use std::path::Path;

use crate::config::Project;
use crate::css;
use crate::error::{Result, XtaskError};

/// Empties the site root (creating it if needed), keeping the directory itself, then creates the pkg dir.
///
/// # Errors
/// The directory cannot be read, emptied or created.
pub fn reset(proj: &Project) -> Result<()> {
    let root = proj.site_dir();
    if root.exists() {
        for entry in fs::read_dir(&root).map_err(XtaskError::io("reading", &root))? {
            let path = entry.map_err(XtaskError::io("reading", &root))?.path();
            let removed = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            removed.map_err(XtaskError::io("removing", &path))?;
        }
    }
    let pkg = root.join(&proj.pkg_dir);
    fs::create_dir_all(&pkg).map_err(XtaskError::io("creating", pkg))
}

/// Copies the assets dir into the site root. Like cargo-leptos, refuses assets that would collide with the
/// generated `index.html` or pkg dir.
///
/// # Errors
/// A reserved path exists in the assets dir, or copying fails.
pub fn copy_assets(proj: &Project) -> Result<()> {
    let Some(assets) = &proj.assets_dir else {
        return Ok(());
    };
    let src = proj.path(assets);
    if !src.exists() {
        eprintln!(
            "xtask: assets dir {} does not exist; no assets copied",
            src.display()
        );
        return Ok(());
    }
    for reserved in [src.join("index.html"), src.join(&proj.pkg_dir)] {
        if reserved.exists() {
            return Err(XtaskError::Metadata(format!(
                "assets dir contains {}, a path the build generates: move or rename it",
                reserved.display()
            )));
        }
    }
    copy_dir(&src, &proj.site_dir())
}

fn copy_dir(src: &Path, dest: &Path) -> Result<()> {
    fs::create_dir_all(dest).map_err(XtaskError::io("creating", dest))?;
    for entry in fs::read_dir(src).map_err(XtaskError::io("reading", src))? {
        let from = entry.map_err(XtaskError::io("reading", src))?.path();
        let Some(name) = from.file_name() else {
            continue;
        };
        let to = dest.join(name);
        if from.is_dir() {
            copy_dir(&from, &to)?;
        } else {
            fs::copy(&from, &to).map_err(XtaskError::io("copying", &from))?;
        }
    }
    Ok(())
}

/// Writes the style file to `<pkg>/<output name>.css`, minified in release builds.
///
/// # Errors
/// The style file is not `.css` (xtask compiles no Sass) or cannot be read or written.
pub fn write_style(proj: &Project, release: bool) -> Result<()> {
    let Some(style) = &proj.style_file else {
        return Ok(());
    };
    let src = proj.path(style);
    if src.extension().is_none_or(|ext| ext != "css") {
        return Err(XtaskError::Metadata(format!(
            "style-file {} is not plain CSS: xtask compiles no Sass (cargo-leptos does)",
            src.display()
        )));
    }
    let text = fs::read_to_string(&src).map_err(XtaskError::io("reading", &src))?;
    let css = if release { css::minify(&text) } else { text };
    let dest = proj
        .site_dir()
        .join(&proj.pkg_dir)
        .join(format!("{}.css", proj.output_name));
    fs::write(&dest, css).map_err(XtaskError::io("writing", dest))
}
