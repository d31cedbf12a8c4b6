//! The two cargo builds: the WASM front and the server, with the `LEPTOS_*` environment cargo-leptos 0.3.6
//! sets for both, so the server and the WASM agree on the output name and the site layout.

use std::path::PathBuf;
use std::process::Command;

use crate::config::{Package, Project};
use crate::error::{Result, XtaskError};

/// Debug or release, as `--release` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Debug,
    Release,
}

/// cargo-leptos' `Project::to_envs` for a build without hashed file names or watching.
fn leptos_envs(proj: &Project) -> Vec<(&'static str, String)> {
    vec![
        // The one Leptos reads at compile time (leptos_config's option_env!): server and WASM must agree.
        ("LEPTOS_OUTPUT_NAME", proj.output_name.clone()),
        ("LEPTOS_SITE_ROOT", proj.site_root.display().to_string()),
        ("LEPTOS_SITE_PKG_DIR", proj.pkg_dir.display().to_string()),
        ("LEPTOS_SITE_ADDR", proj.site_addr.clone()),
        ("LEPTOS_RELOAD_PORT", proj.reload_port.to_string()),
        ("LEPTOS_LIB_DIR", proj.lib.rel_dir.display().to_string()),
        ("LEPTOS_BIN_DIR", proj.bin.rel_dir.display().to_string()),
        // xtask leaves wasm-bindgen's JS as written (cargo-leptos minifies it with swc); nothing reads this.
        ("LEPTOS_JS_MINIFY", "false".into()),
        ("LEPTOS_HASH_FILES", "false".into()),
    ]
}

/// RUSTFLAGS for one of the two builds: the caller's, plus what the build needs. Both builds, debug and
/// release, erase component types (views become `AnyView` at component boundaries): in release that made the
/// server binary 54 MB instead of 94 and the public pages' WASM 15 KB smaller, with no throughput change the
/// benchmarks could see, and the server and the WASM must agree for hydration (erasing only the WASM broke
/// it). The front keeps its relocations for the splitter.
fn rustflags(front: bool) -> String {
    let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
    flags.push_str(" --cfg erase_components");
    if front {
        flags.push_str(" -Clink-args=--emit-relocs");
    }
    flags.trim().to_owned()
}

fn package_args(args: &mut Vec<String>, pkg: &Package) {
    args.push(format!("--package={}", pkg.name));
    if !pkg.default_features {
        args.push("--no-default-features".into());
    }
    if !pkg.features.is_empty() {
        args.push(format!("--features={}", pkg.features.join(",")));
    }
}

fn profile_args(args: &mut Vec<String>, mode: Mode, release_profile: Option<&str>) {
    match (mode, release_profile) {
        (Mode::Debug, _) => {}
        (Mode::Release, None) => args.push("--release".into()),
        (Mode::Release, Some(profile)) => args.push(format!("--profile={profile}")),
    }
}

/// `cargo build` of the lib package for wasm32, into `<target>/front` as cargo-leptos does (a separate
/// directory, so the server's and the WASM's feature sets never invalidate each other).
pub fn front_command(proj: &Project, mode: Mode) -> (Command, PathBuf) {
    let front_dir = proj.target_dir.join("front");
    let mut args = vec!["build".into(), "--lib".into()];
    package_args(&mut args, &proj.lib);
    args.push(format!("--target-dir={}", front_dir.display()));
    args.push("--target=wasm32-unknown-unknown".into());
    let profile = proj.lib_profile_release.as_deref();
    profile_args(&mut args, mode, profile);
    let profile_dir = match (mode, profile) {
        (Mode::Debug, _) => "debug",
        (Mode::Release, None) => "release",
        (Mode::Release, Some(name)) => name,
    };
    let wasm = front_dir
        .join("wasm32-unknown-unknown")
        .join(profile_dir)
        .join(format!("{}.wasm", proj.lib.lib_name));
    (cargo(proj, args, true), wasm)
}

/// `cargo build` of the server binary into the ordinary target directory.
pub fn server_command(proj: &Project, mode: Mode) -> Command {
    let mut args = vec!["build".into()];
    package_args(&mut args, &proj.bin);
    args.push(format!("--bin={}", proj.bin_target));
    profile_args(&mut args, mode, proj.bin_profile_release.as_deref());
    cargo(proj, args, false)
}

fn cargo(proj: &Project, args: Vec<String>, front: bool) -> Command {
    // The cargo that runs xtask, so a rustup toolchain override applies to the builds too.
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(args)
        .envs(leptos_envs(proj))
        .current_dir(&proj.root);
    cmd.env("RUSTFLAGS", rustflags(front));
    // `cargo run` gave xtask its own package's variables; build scripts such as ring's rerun when these
    // change, so passing them on would rebuild ring and everything above it each time plain cargo (or
    // cargo-leptos) and xtask take turns on one target dir.
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(set_by_cargo_run) {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// Variables `cargo run` sets for the program it runs, describing xtask itself.
fn set_by_cargo_run(key: &str) -> bool {
    key.starts_with("CARGO_PKG_")
        || matches!(
            key,
            "CARGO_MANIFEST_DIR"
                | "CARGO_MANIFEST_PATH"
                | "CARGO_MANIFEST_LINKS"
                | "CARGO_CRATE_NAME"
                | "CARGO_BIN_NAME"
                | "CARGO_PRIMARY_PACKAGE"
                | "CARGO_RUSTC_CURRENT_DIR"
        )
}

/// Runs a command with inherited output and fails if it does.
///
/// # Errors
/// The command could not start or exited unsuccessfully.
pub fn run(mut cmd: Command) -> Result<()> {
    let status = cmd
        .status()
        .map_err(XtaskError::io("starting", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(XtaskError::CommandFailed {
            command: describe(&cmd),
            status,
        })
    }
}

/// The command line, for error messages.
pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
