#!/usr/bin/env bash
# Runs every test alike has, installing whatever is missing first:
# formatting and lints, unit and CLI tests, the wasm binding in Chromium,
# end-to-end tests of the widget in Chromium, and the benchmarks in quick
# mode (so that they cannot rot). CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$1" >&2; shift; "$@"; }

bash scripts/setup.sh

step "the widget the CLI carries was built from these sources" bash scripts/widget-sources.sh --check
step "formatting" cargo fmt --check
step "lints (native)" cargo clippy --quiet --all-targets -- -D warnings
step "lints (browser)" cargo clippy --quiet --lib --target wasm32-unknown-unknown -- -D warnings
step "unit and CLI tests" cargo test --quiet
step "every language builds for the browser" \
  cargo build --quiet --lib --target wasm32-unknown-unknown --profile wasm
step "the binding in headless Chromium" \
  wasm-pack test --headless --chrome -- --test web --no-default-features --features english
step "release build" cargo build --quiet --release
step "browser engine" bash scripts/build-wasm.sh
step "the CLI installed as a site owner installs it" \
  cargo install --quiet --locked --path . --root target/installed --target-dir target
step "end-to-end tests in headless Chromium" env ALIKE_INSTALLED=target/installed/bin/alike npm run --silent e2e
if [[ -x bench/run ]]; then
  step "benchmarks, quick mode" bench/run --quick
fi
printf '\n\033[1mall tests passed\033[0m\n' >&2
