#!/usr/bin/env bash
# Installs what alike's build and tests need, skipping whatever is already
# there at the right version, so a second run takes a second.
#   bash scripts/setup.sh          everything (Rust tools, Chromium, npm packages)
#   bash scripts/setup.sh --rust   the Rust side only
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

rust_only=false
[[ ${1:-} == --rust ]] && rust_only=true

# The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
want_bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have_bindgen=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ $have_bindgen != "$want_bindgen" ]]; then
  say "installing wasm-bindgen-cli $want_bindgen (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$want_bindgen" --force
fi

# A nightly toolchain with the standard library's source, for the small
# browser build (scripts/build-wasm.sh); the CLI and the tests use stable.
# Pinned: the build's flags are unstable, and a widget built by another
# nightly would differ from the one the CLI carries (www/dist/).
nightly=$(cat scripts/wasm-nightly)
if [[ ! -d $(rustup run "$nightly" rustc --print sysroot 2>/dev/null)/lib/rustlib/src/rust/library ]]; then
  say "installing the $nightly toolchain with rust-src (for the small wasm build)"
  rustup toolchain install "$nightly" --profile minimal --component rust-src
fi

want_pack=0.15.1
have_pack=$(wasm-pack --version 2>/dev/null | awk '{print $2}' || true)
if [[ $have_pack != "$want_pack" ]]; then
  say "installing wasm-pack $want_pack (a few minutes, once)"
  cargo install wasm-pack --version "$want_pack" --force
fi

$rust_only && exit 0

# Debian's Chromium and its driver for browser tests; binaryen for wasm-opt.
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
command -v wasm-opt >/dev/null || missing+=(binaryen)
# Site generators for tests/e2e/generators.test.mjs (Eleventy comes from npm).
command -v hugo >/dev/null || missing+=(hugo)
command -v jekyll >/dev/null || missing+=(jekyll jekyll-theme-minima)
if ((${#missing[@]})); then
  say "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm packages, exactly as locked.
if [[ -f package-lock.json ]]; then
  stamp=node_modules/.package-lock.json
  if [[ ! -f $stamp || package-lock.json -nt $stamp ]]; then
    say "installing npm packages from package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
