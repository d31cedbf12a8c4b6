//! `cargo xtask build [--release] [--precompress]`: T2M's site and server, as
//! `cargo leptos build --release --precompress` makes them, from a tool that compiles in about two minutes
//! (2 min 16 s measured) instead of cargo-leptos' sixteen on a fresh 2-core machine (issue #12).

mod bindgen;
mod cargo;
mod compress;
mod config;
mod css;
mod error;
mod site;
mod split;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use cargo::Mode;
use config::Project;
use error::{Result, XtaskError};

/// What the command line asked for.
struct Options {
    mode: Mode,
    precompress: bool,
    /// One cargo build after the other instead of the server alongside the WASM.
    sequential: bool,
    /// The site alone, no server build: for working on the WASM or the stylesheet.
    site_only: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options> {
    match args.next().as_deref() {
        Some("build") => {}
        Some(other) => return Err(XtaskError::Usage(format!("unknown command `{other}`"))),
        None => return Err(XtaskError::Usage("no command given".into())),
    }
    let mut opts = Options {
        mode: Mode::Debug,
        precompress: false,
        sequential: false,
        site_only: false,
    };
    for arg in args {
        match arg.as_str() {
            "--release" | "-r" => opts.mode = Mode::Release,
            "--precompress" | "-P" => opts.precompress = true,
            "--sequential" => opts.sequential = true,
            "--site-only" => opts.site_only = true,
            other => return Err(XtaskError::Usage(format!("unknown option `{other}`"))),
        }
    }
    Ok(opts)
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)).and_then(|opts| build(&workspace_root(), &opts)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// xtask lives in `<root>/xtask`, wherever cargo was started from.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn step(what: &str, started: Instant) {
    eprintln!("xtask: {what} ({:.1}s)", started.elapsed().as_secs_f64());
}

/// The site, then the server, as cargo-leptos orders them, except that unless `--sequential` the server's
/// compile runs alongside the whole site build (WASM, splitting, wasm-bindgen, precompression): on 2 cores
/// the WASM's fat-LTO tail leaves a core idle for the server. The server does not embed the site, so
/// precompressing before it is linked (cargo-leptos' reason for its order) is not needed.
fn build(root: &Path, opts: &Options) -> Result<()> {
    let started = Instant::now();
    let proj = Project::load(root)?;
    site::reset(&proj)?;
    site::copy_assets(&proj)?;
    site::write_style(&proj, opts.mode == Mode::Release)?;
    step("assets and style written", started);

    if opts.site_only {
        build_site(&proj, opts, started)?;
        step("done", started);
        return Ok(());
    }
    let server = if opts.sequential {
        None
    } else {
        let mut cmd = cargo::server_command(&proj, opts.mode);
        let child = cmd
            .spawn()
            .map_err(XtaskError::io("starting", cmd.get_program()))?;
        Some((cmd, child))
    };
    let site_result = build_site(&proj, opts, started);
    // Wait for the server even when the site failed, so no cargo outlives xtask.
    let server_result = match server {
        Some((cmd, mut child)) => match child.wait() {
            Ok(status) if status.success() => Ok(()),
            Ok(status) => Err(XtaskError::CommandFailed {
                command: cargo::describe(&cmd),
                status,
            }),
            Err(e) => Err(XtaskError::io("waiting for", cmd.get_program())(e)),
        },
        None => cargo::run(cargo::server_command(&proj, opts.mode)),
    };
    site_result?;
    server_result?;
    step("done", started);
    Ok(())
}

/// The WASM, split at its lazy-loading points, and its JS glue, precompressed if asked.
fn build_site(proj: &Project, opts: &Options, started: Instant) -> Result<()> {
    let (front, wasm) = cargo::front_command(proj, opts.mode);
    cargo::run(front)?;
    step("WASM compiled", started);
    let pkg = proj.site_dir().join(&proj.pkg_dir);
    let main_module = split::split(&wasm, &pkg, &proj.output_name)?;
    step("WASM split into its lazy-loaded chunks", started);
    bindgen::bindgen(&main_module, &pkg, &proj.output_name)?;
    split::strip_chunks(&pkg, &format!("{}.wasm", proj.output_name))?;
    step("JS glue generated, chunks stripped of debug names", started);
    if opts.mode == Mode::Release && opts.precompress {
        compress::compress_dir(&proj.site_dir())?;
        step("site precompressed", started);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn parse_args_reads_release_and_precompress() {
        let opts = parse_args(args(&["build", "--release", "--precompress"])).unwrap();
        assert_eq!(opts.mode, Mode::Release);
        assert!(opts.precompress && !opts.sequential);
    }

    #[test]
    fn parse_args_rejects_unknown_commands_and_options() {
        assert!(matches!(
            parse_args(args(&["watch"])),
            Err(XtaskError::Usage(_))
        ));
        assert!(matches!(
            parse_args(args(&["build", "--hash"])),
            Err(XtaskError::Usage(_))
        ));
    }

    #[test]
    fn the_repository_manifest_resolves() {
        let proj = Project::load(&workspace_root()).unwrap();
        assert_eq!(proj.lib.lib_name, "frontend");
        assert_eq!(proj.bin_target, "t2m-server");
        assert_eq!(proj.lib_profile_release.as_deref(), Some("wasm-release"));
    }
}
