#!/usr/bin/env bash
# Builds the English engine with extra RUSTFLAGS in a scratch target
# directory (the shipped build's cache stays as it is), then measures it
# with bench/wasm-opt-sweep.sh (the shipped wasm-opt settings, gzip -9).
#   bash bench/wasm-rustflags-variant.sh NAME "-Ctarget-feature=+tail-call"
# Rebuilds the standard library too: minutes. Delete bench/out/NAME after.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
extra=$2
nightly=$(cat scripts/wasm-nightly)
target=bench/out/rustflags-$name
CARGO_TARGET_DIR=$target RUSTFLAGS="-Ctarget-feature=-reference-types -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none $extra" \
  rustup run "$nightly" cargo build --quiet --lib --target wasm32-unknown-unknown --profile wasm \
  --no-default-features --features english -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size
INPUT=$target/wasm32-unknown-unknown/wasm/alike.wasm SWEEP_DIR=$target/sweep bash bench/wasm-opt-sweep.sh
