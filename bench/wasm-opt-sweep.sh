#!/usr/bin/env bash
# Tries wasm-opt settings on the engine as scripts/build-wasm.sh leaves it
# before wasm-opt (cargo's output through wasm-bindgen), and prints the
# `gzip -9` size of each (issue 15's measure), against the shipped settings.
#   bash scripts/build-wasm.sh && bash bench/wasm-opt-sweep.sh
# Each variant is the shipped command line with extra flags (EXTRA below,
# one variant a line). Output: variant, gzip -9 bytes, difference.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${SWEEP_DIR:-bench/out/wasm-opt-sweep}
mkdir -p "$out"
# INPUT: another cargo output to start from (a build with other RUSTFLAGS).
wasm-bindgen --target web --out-dir "$out" --out-name alike "${INPUT:-target/wasm32-unknown-unknown/wasm/alike.wasm}"
shipped=(-ocimfs 15 --low-memory-unused --flatten --rereloop -Oz --merge-similar-functions -Oz --converge
  --strip-producers --strip-target-features --skip-pass=memory-packing
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
size() { gzip -9 -c "$1" | wc -c; }
node_modules/.bin/wasm-opt "${shipped[@]}" "$out/alike_bg.wasm" -o "$out/shipped.wasm"
base=$(size "$out/shipped.wasm")
echo "shipped settings: $base"
while IFS= read -r extra; do
  [[ -z $extra || $extra == \#* ]] && continue
  # shellcheck disable=SC2086
  if node_modules/.bin/wasm-opt "${shipped[@]}" $extra "$out/alike_bg.wasm" -o "$out/variant.wasm" 2>"$out/err"; then
    s=$(size "$out/variant.wasm"); echo "$extra: $s ($((s - base)))"
  else
    echo "$extra: failed ($(head -c 200 "$out/err"))"
  fi
done <<<"${EXTRA:-}"
