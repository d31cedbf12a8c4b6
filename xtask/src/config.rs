//! The build settings: `[[workspace.metadata.leptos]]` in the root Cargo.toml, overlaid by the environment
//! the way cargo-leptos 0.3.6 does, so the same variables move the site in both tools.

use std::env;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Result, XtaskError};

/// cargo-leptos' marker for "the cargo target directory" at the start of `site-root`.
const TARGET_DIR_MARKER: &str = "CARGO_TARGET_DIR";

/// One `[[workspace.metadata.leptos]]` entry; keys xtask does not use (reload port, end2end…) are ignored.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct LeptosSection {
    name: String,
    bin_package: String,
    lib_package: String,
    #[serde(default)]
    output_name: Option<String>,
    #[serde(default = "default_site_root")]
    site_root: String,
    #[serde(default = "default_pkg_dir")]
    site_pkg_dir: String,
    #[serde(default)]
    style_file: Option<PathBuf>,
    #[serde(default)]
    assets_dir: Option<PathBuf>,
    #[serde(default = "default_site_addr")]
    site_addr: String,
    #[serde(default = "default_reload_port")]
    reload_port: u16,
    #[serde(default)]
    bin_target: Option<String>,
    #[serde(default)]
    bin_features: Vec<String>,
    #[serde(default = "yes")]
    bin_default_features: bool,
    #[serde(default)]
    lib_features: Vec<String>,
    #[serde(default = "yes")]
    lib_default_features: bool,
    #[serde(default)]
    lib_profile_release: Option<String>,
    #[serde(default)]
    bin_profile_release: Option<String>,
}

fn default_site_root() -> String {
    format!("{TARGET_DIR_MARKER}/site")
}
fn default_pkg_dir() -> String {
    "pkg".into()
}
fn default_site_addr() -> String {
    "127.0.0.1:3000".into()
}
fn default_reload_port() -> u16 {
    3001
}
fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct RootManifest {
    workspace: Workspace,
}
#[derive(Deserialize)]
struct Workspace {
    members: Vec<String>,
    #[serde(default)]
    metadata: Option<WorkspaceMetadata>,
}
#[derive(Deserialize)]
struct WorkspaceMetadata {
    #[serde(default)]
    leptos: Vec<LeptosSection>,
}
#[derive(Deserialize)]
struct MemberManifest {
    package: Option<MemberPackage>,
    lib: Option<MemberLib>,
}
#[derive(Deserialize)]
struct MemberPackage {
    name: String,
}
#[derive(Deserialize)]
struct MemberLib {
    name: Option<String>,
}

/// A workspace member the build compiles.
#[derive(Debug)]
pub struct Package {
    /// Cargo's package name (`-p`).
    pub name: String,
    /// Its directory relative to the workspace root (`LEPTOS_LIB_DIR`/`LEPTOS_BIN_DIR`).
    pub rel_dir: PathBuf,
    /// The library target's name: the `.wasm` file cargo writes.
    pub lib_name: String,
    pub features: Vec<String>,
    pub default_features: bool,
}

/// Everything a build needs, resolved to paths.
#[derive(Debug)]
pub struct Project {
    /// The workspace root; every relative path below is relative to it.
    pub root: PathBuf,
    /// CARGO_TARGET_DIR, or `<root>/target`.
    pub target_dir: PathBuf,
    /// The site root as cargo-leptos would hand it to Leptos (relative paths stay relative).
    pub site_root: PathBuf,
    pub pkg_dir: PathBuf,
    pub output_name: String,
    pub site_addr: String,
    pub reload_port: u16,
    pub style_file: Option<PathBuf>,
    pub assets_dir: Option<PathBuf>,
    pub lib: Package,
    pub bin: Package,
    pub bin_target: String,
    pub lib_profile_release: Option<String>,
    pub bin_profile_release: Option<String>,
}

impl Project {
    /// Reads `<root>/Cargo.toml` and the environment.
    ///
    /// # Errors
    /// The manifest is missing or malformed, has no or several leptos entries, or names a package that is not
    /// a workspace member.
    pub fn load(root: &Path) -> Result<Self> {
        let manifest: RootManifest = read_toml(&root.join("Cargo.toml"))?;
        let mut sections = manifest
            .workspace
            .metadata
            .map(|m| m.leptos)
            .unwrap_or_default();
        let section = match sections.len() {
            1 => sections.remove(0),
            0 => {
                return Err(XtaskError::Metadata(
                    "no entry: add one (see Leptos.toml)".into(),
                ))
            }
            n => {
                return Err(XtaskError::Metadata(format!(
                    "{n} entries; xtask builds exactly one"
                )))
            }
        };
        let members = &manifest.workspace.members;
        let lib = find_member(root, members, &section.lib_package)?;
        let bin = find_member(root, members, &section.bin_package)?;
        let target_dir = match env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => absolute(Path::new(&dir))?,
            None => root.join("target"),
        };
        let site_root = env_or("LEPTOS_SITE_ROOT", section.site_root);
        let site_root = match site_root.strip_prefix(TARGET_DIR_MARKER) {
            Some(rest) => target_dir.join(rest.trim_start_matches('/')),
            None => PathBuf::from(site_root),
        };
        let reload_port = match env::var("LEPTOS_RELOAD_PORT") {
            Ok(port) => port.parse().map_err(|_| {
                XtaskError::Metadata(format!("LEPTOS_RELOAD_PORT={port} is not a port"))
            })?,
            Err(_) => section.reload_port,
        };
        Ok(Self {
            root: root.to_path_buf(),
            target_dir,
            site_root,
            pkg_dir: env_or("LEPTOS_SITE_PKG_DIR", section.site_pkg_dir).into(),
            output_name: env_or(
                "LEPTOS_OUTPUT_NAME",
                section.output_name.unwrap_or(section.name),
            ),
            site_addr: env_or("LEPTOS_SITE_ADDR", section.site_addr),
            reload_port,
            style_file: section.style_file,
            assets_dir: section.assets_dir,
            bin_target: section.bin_target.unwrap_or_else(|| bin.name.clone()),
            lib: Package {
                features: section.lib_features,
                default_features: section.lib_default_features,
                ..lib
            },
            bin: Package {
                features: section.bin_features,
                default_features: section.bin_default_features,
                ..bin
            },
            lib_profile_release: section.lib_profile_release,
            bin_profile_release: section.bin_profile_release,
        })
    }

    /// A project path (site root, style file…) as seen from the workspace root.
    pub fn path(&self, rel: &Path) -> PathBuf {
        self.root.join(rel)
    }

    /// The absolute site directory the build fills.
    pub fn site_dir(&self) -> PathBuf {
        self.path(&self.site_root)
    }
}

/// cargo-leptos lets these variables override the manifest; xtask honours the same ones it uses.
fn env_or(var: &str, fallback: String) -> String {
    env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or(fallback)
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let cwd = env::current_dir().map_err(XtaskError::io("reading the current directory", "."))?;
    Ok(cwd.join(path))
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(XtaskError::io("reading", path))?;
    toml::from_str(&text).map_err(|e| XtaskError::Metadata(format!("{}: {e}", path.display())))
}

/// Finds a workspace member by package name (members are listed as plain directories in T2M).
fn find_member(root: &Path, members: &[String], name: &str) -> Result<Package> {
    for member in members {
        let manifest: MemberManifest = read_toml(&root.join(member).join("Cargo.toml"))?;
        if manifest.package.as_ref().is_some_and(|p| p.name == name) {
            let lib_name = manifest
                .lib
                .and_then(|l| l.name)
                .unwrap_or_else(|| name.replace('-', "_"));
            return Ok(Package {
                name: name.to_owned(),
                rel_dir: PathBuf::from(member),
                lib_name,
                features: Vec::new(),
                default_features: true,
            });
        }
    }
    Err(XtaskError::Metadata(format!(
        "package `{name}` is not a member of the workspace"
    )))
}
