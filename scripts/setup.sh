#!/usr/bin/env bash
# Installs what building and testing T2M needs, skipping whatever is already there. Sourced by scripts/run and
# scripts/test so the PATH and CARGO_TARGET_DIR it sets carry over. Only package registries are used.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"

# Build output lives outside the clone so fresh clones reuse earlier builds; nothing requires it to exist.
if [ -z "${CARGO_TARGET_DIR:-}" ]; then
  export CARGO_TARGET_DIR="${T2M_TARGET_CACHE:-$HOME/.cache/t2m/target}"
fi
mkdir -p "$CARGO_TARGET_DIR"
export LEPTOS_SITE_ROOT="$CARGO_TARGET_DIR/site"

# Each step is stamped with the time since the script started, so a slow fresh-machine setup shows where it went.
say() { printf '\033[1;34m==>\033[0m [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The build tool is the workspace's own `xtask` (`cargo xtask build`), compiled with the workspace like any
# member: no cargo-leptos or wasm-bindgen-cli to install (on a fresh 2-core machine those took 18 of 34 minutes),
# and no wasm-opt (it saved 0.1 % of the WASM). cargo-leptos stays optional, for `cargo leptos watch --split` only.

# cargo-deny and other test-only tools are built without their own fat-LTO, one-codegen-unit release settings:
# those roughly double an install's time to save a few percent of run time in tools that mostly wait on rustc.
tool_profile=(env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16)

# cargo-deny: the dependency policy in deny.toml (licenses, bans, sources). Only scripts/test checks it, so
# scripts/run does not pay for building it.
if [ "${T2M_TEST_TOOLS:-}" = 1 ] && ! cargo deny --version >/dev/null 2>&1; then
  say "installing cargo-deny from crates.io"
  "${tool_profile[@]}" cargo install cargo-deny --locked
fi

need_apt=()
# Chromium (browser journeys) and ffmpeg (ffprobe checks the rendered videos) serve only the tests: a machine
# that just runs T2M does not wait for them.
if [ "${T2M_TEST_TOOLS:-}" = 1 ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  command -v ffprobe >/dev/null || need_apt+=(ffmpeg)
fi
# OpenH264 compiles its SIMD assembly only when nasm is present (about 1.4x faster encoding); build time only.
command -v nasm >/dev/null || need_apt+=(nasm)
# Fonts for render titles beyond Latin/Cyrillic/Greek (Arabic, Hebrew, Indic… and CJK); the golden tests need them.
if [ "${T2M_TEST_TOOLS:-}" = 1 ]; then
  [ -d /usr/share/fonts/truetype/noto ] || need_apt+=(fonts-noto-core)
  [ -d /usr/share/fonts/opentype/noto ] || need_apt+=(fonts-noto-cjk)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}"
fi

# moto's S3-compatible server: the S3 store's integration tests start it on a free loopback port.
if [ "${T2M_TEST_TOOLS:-}" = 1 ] && ! command -v moto_server >/dev/null; then
  say "installing moto[server] from PyPI (a local S3-compatible server for tests)"
  python3 -m pip install --quiet 'moto[server]'
fi

# nginx and wrk: only scripts/bench-files.sh needs them (the reference file server and the load generator).
if [ "${T2M_BENCH:-}" = 1 ] && { ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; }; then
  say "installing nginx-light and wrk from Debian's packages (benchmark only)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nginx-light wrk
fi

# nginx: the round-robin front of scripts/cluster, which the fault runs (scripts/faults) drive in scripts/test.
if [ "${T2M_TEST_TOOLS:-}" = 1 ] && ! command -v nginx >/dev/null; then
  say "installing nginx-light from Debian's packages (the front of scripts/cluster)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nginx-light
fi

# Node packages drive the browser journeys and benchmarks only; building and running T2M needs none.
if { [ "${T2M_TEST_TOOLS:-}" = 1 ] || [ "${T2M_BENCH:-}" = 1 ]; } &&
  [ ! -d "$ROOT/end2end/node_modules/playwright-core" ]; then
  say "installing Node packages for browser tests (playwright-core, @clerk/backend)"
  (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
fi
