#!/usr/bin/env bash
# How much of the browser engine's gzipped wasm the page reader and the
# stemmer take, measured by building without them: the English wasm as
# scripts/build-wasm.sh makes it, then the same with the `readPage` export
# compiled out (so extract.rs's rules go as dead code), then also without
# any stemmer. Prints `gzip -9` bytes of each. Builds in a temporary
# worktree of HEAD with its own target folder (a few minutes each build);
# leaves the project's pkg/ and www/ alone. Needs what build-wasm.sh needs
# (the nightly in scripts/wasm-nightly with rust-src, wasm-bindgen,
# node_modules' wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --quiet --detach "$work/tree" HEAD
export CARGO_TARGET_DIR=${ALIKE_SHARES_TARGET:-$work/target}
nightly=$(cat scripts/wasm-nightly)
build() { # features, label
  (cd "$work/tree" &&
    RUSTFLAGS="-Ctarget-feature=-reference-types -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
      rustup run "$nightly" cargo build --quiet --lib --target wasm32-unknown-unknown --profile wasm \
      --no-default-features --features "$1" -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size)
  wasm-bindgen --target web --out-dir "$work/pkg" --out-name alike "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm/alike.wasm"
  # The same passes as scripts/build-wasm.sh.
  node_modules/.bin/wasm-opt -ocimfs 15 --low-memory-unused --flatten --rereloop -Oz --merge-similar-functions -Oz \
    --converge --strip-producers --strip-target-features --skip-pass=memory-packing --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types \
    --enable-multivalue "$work/pkg/alike_bg.wasm" -o "$work/pkg/alike_bg.wasm"
  printf '%-48s %7d bytes gzip -9\n' "$2" "$(gzip -9 -c "$work/pkg/alike_bg.wasm" | wc -c)"
}
build english 'as shipped (English stemmer, page reader)'
# The reader is reached only through readPage.
sed -i 's/^#\[wasm_bindgen(js_name = readPage)\]/#[cfg(any())]\n&/' "$work/tree/src/wasm.rs"
grep -q '^#\[cfg(any())\]' "$work/tree/src/wasm.rs" || { echo "wasm-shares: readPage export not found in src/wasm.rs" >&2; exit 1; }
build english 'without the page reader'
build '' 'without the page reader and the stemmer'
