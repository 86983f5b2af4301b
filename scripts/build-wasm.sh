#!/usr/bin/env bash
# Builds the browser engine into pkg/ (alike.js + alike_bg.wasm), small:
# the `wasm` cargo profile, then wasm-opt -Oz (wasm-pack runs it).
#   bash scripts/build-wasm.sh                 English only (the default)
#   bash scripts/build-wasm.sh french german   other stemmers (see README)
#   bash scripts/build-wasm.sh all-languages   every stemmer (about twice the size)
# Each stemmer is a cargo feature; an index in a language the build lacks
# fails to load with a message naming the feature.
set -euo pipefail
cd "$(dirname "$0")/.."
features=${*:-english}
wasm-pack --quiet build --target web --profile wasm --out-dir pkg --no-pack \
  -- --no-default-features --features "${features// /,}"
rm -f pkg/.gitignore
