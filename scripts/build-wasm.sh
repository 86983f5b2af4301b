#!/usr/bin/env bash
# Builds the browser engine into pkg/ (alike.js + alike_bg.wasm), small,
# and the shim sites serve, www/min/ (www/alike.js minified, in two files).
#   bash scripts/build-wasm.sh                 English only (the default)
#   bash scripts/build-wasm.sh french german   other stemmers (see README)
#   bash scripts/build-wasm.sh all-languages   every stemmer (about twice the size)
# Each stemmer is a cargo feature; an index in a language the build lacks
# fails to load with a message naming the feature.
#
# How it is made small (bytes saved, gzip -9, in scripts/wasm-size.sh's
# notes and the README): the `wasm` cargo profile (opt-level z, fat LTO);
# then, with the nightly toolchain that scripts/setup.sh installs, the
# standard library rebuilt for size with panics that abort at once, so no
# panic messages or their formatting ship; wasm-bindgen; `wasm-opt -Oz`;
# and the glue minified like the shim. ALIKE_WASM_TOOLCHAIN=stable builds on
# stable instead: same answers, about 20 KB more.
set -euo pipefail
cd "$(dirname "$0")/.."
features=${*:-english}
# wasm-opt comes from npm's binaryen (package-lock.json), pinned so that
# www/dist is reproducible: Debian's binaryen 108 broke the externref table
# wasm-bindgen emitted while the wasm used reference types (the engine then
# failed to start in browsers).
wasm_opt=node_modules/.bin/wasm-opt
esbuild=node_modules/.bin/esbuild
terser=node_modules/.bin/terser
[[ -x $wasm_opt && -x $esbuild && -x $terser ]] || npm ci --no-audit --no-fund --loglevel=error
# esbuild bundles and minifies; terser's second pass of compression then
# takes 2-3% more of what every page loads (the shim 7,888 -> 7,726 B
# gzipped, the worker's script 3,815 -> 3,703; measured 2026-12-02).
squeeze() {
  for file in "$@"; do
    "$terser" "$file" --module --compress passes=2 --mangle --output "$file.tmp"
    mv "$file.tmp" "$file"
  done
}

cargo_build=(cargo build --quiet --lib --target wasm32-unknown-unknown --profile wasm
  --no-default-features --features "${features// /,}")
# Without reference types, wasm-bindgen keeps the JS values the engine holds
# in an array of the glue's instead of a table in the wasm: no externref
# shim around each export, no table management in the wasm (872 bytes gzip
# -9 less wasm for 70 more of glue, measured on 2026-12-01), and engines
# without reference types run it too.
rustflags="-Ctarget-feature=-reference-types"
nightly=$(cat scripts/wasm-nightly)
if [[ ${ALIKE_WASM_TOOLCHAIN:-nightly} == nightly ]] \
  && [[ -d $(rustup run "$nightly" rustc --print sysroot 2>/dev/null)/lib/rustlib/src/rust/library ]]; then
  # -Cpanic=immediate-abort: a panic (none is expected: the engine returns
  # errors) traps without a message. location-detail and fmt-debug drop
  # the file names and Debug code panics and derives would pull in.
  # optimize_for_size picks std's small algorithms, sorts among them: the
  # engine's rankings break ties by article id, so they cannot change; term
  # counts are summed after a sort by hash alone, in an order that may then
  # differ from the CLI's, which gives the same sums for title weights that
  # are whole numbers or halves (the default is 2).
  RUSTFLAGS="$rustflags -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
    rustup run "$nightly" "${cargo_build[@]}" \
    -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size
else
  [[ ${ALIKE_WASM_TOOLCHAIN:-nightly} == stable ]] \
    || echo "build-wasm: no nightly toolchain with rust-src (bash scripts/setup.sh installs it); building on stable, about 20 KB larger" >&2
  RUSTFLAGS=$rustflags "${cargo_build[@]}"
fi
wasm-bindgen --target web --out-dir pkg --out-name alike target/wasm32-unknown-unknown/wasm/alike.wasm
# pkg/alike.js is wasm-bindgen's glue bundled with the engine's driver
# (www/engine.js), which the shim runs as a Web Worker: the glue goes aside.
mv pkg/alike.js target/wasm32-unknown-unknown/wasm/glue.js
# --converge: -Oz again until nothing shrinks (about 360 bytes gzipped).
# --low-memory-unused: Rust places nothing in the first KB of memory (its
# data starts at 1 MB), so constant addresses fold into loads and stores;
# --flatten --rereloop rebuild the control flow, which -Oz then shrinks
# further (together 509 bytes gzipped, measured on 2026-11-30);
# --merge-similar-functions folds the decoders' near-identical closures
# into one body with parameters (187 bytes gzipped).
# --skip-pass=memory-packing keeps the data in one segment: the pass cut it
# into about 110 around its runs of zeros, which saves raw bytes but costs
# gzip more in segment headers than the zeros did (300 bytes gzip -9,
# measured on 2026-12-01).
# -ocimfs 15: a function with one caller is inlined into it only if it is
# tiny (binaryen's default inlines every such function, whatever its size):
# the page reader's and the query's steps stay functions of their own, which
# -Oz and --merge-similar-functions then shrink better (2,688 bytes gzip -9
# less; any limit from 10 to 25 gives within 60 bytes of it, measured with
# bench/wasm-opt-sweep.sh on 2026-12-01).
"$wasm_opt" -ocimfs 15 --low-memory-unused --flatten --rereloop -Oz --merge-similar-functions -Oz --converge --strip-producers --strip-target-features \
  --skip-pass=memory-packing \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/alike_bg.wasm -o pkg/alike_bg.wasm
# The glue ships as it is served: minified, like the shim.
"$esbuild" www/engine.js --bundle --minify --format=esm --target=es2022 --log-level=warning \
  --alias:alike-glue=./target/wasm32-unknown-unknown/wasm/glue.js --outfile=pkg/alike.js
squeeze pkg/alike.js
# The shim in two files, www/min/alike.js and www/min/engine-path.js: the
# second (www/lib/engine-path.js: reading the page, the engine's worker) is
# import()ed only where the engine must run, so a page answered by a stored
# list downloads the first alone. It imports nothing the first does, or
# esbuild would add a third file, a chunk they share: checked below.
shim=(--bundle --minify --format=esm --target=es2022 --log-level=warning --splitting --chunk-names='[name]')
rm -rf www/min
"$esbuild" www/alike.js "${shim[@]}" --outdir=www/min
squeeze www/min/alike.js www/min/engine-path.js
if [[ $(cd www/min && ls | tr '\n' ' ') != 'alike.js engine-path.js ' ]]; then
  echo "build-wasm: the shim should build into alike.js and engine-path.js, not: $(ls www/min)" >&2
  exit 1
fi
# The widget `alike index` writes beside an index is this English build,
# carried inside the binary (src/cli/widget.rs) so that users need no wasm
# tooling: keep its copy in www/dist/ with the hash of what it was built
# from (the test command checks that hash; see scripts/widget-sources.sh).
if [[ $features == english ]]; then
  mkdir -p www/dist/pkg
  cp www/min/alike.js www/min/engine-path.js www/dist/
  # For bundlers (the npm package's entry): the same module, drawing no box
  # by itself, since a bundle's own script tag would look like alike's. Its
  # engine-path.js is the script tag's, byte for byte.
  api=$(mktemp -d)
  "$esbuild" www/alike.js "${shim[@]}" --define:ALIKE_AUTO_MOUNT=false --outdir="$api" --entry-names=api
  squeeze "$api"/api.js "$api"/engine-path.js
  cmp -s "$api"/engine-path.js www/min/engine-path.js \
    || { echo "build-wasm: api.js and alike.js should share one engine-path.js" >&2; exit 1; }
  cp "$api"/api.js www/dist/api.js
  rm -r "$api"
  cp pkg/alike.js pkg/alike_bg.wasm www/dist/pkg/
  bash scripts/widget-sources.sh >www/dist/SOURCE
fi
# The second engine the CLI carries: every Snowball stemmer, written instead
# of the English one beside an index that holds articles in another
# language with a stemmer (src/cli/widget.rs). It is built by this same
# script, and must share the English build's glue, which is checked; pkg/
# is then put back as the English build left it.
if [[ $features == english && ${ALIKE_ONLY_ENGLISH:-} != 1 ]]; then
  saved=$(mktemp -d)
  built=target/wasm32-unknown-unknown/wasm/alike.wasm
  cp pkg/* "$saved"/
  # scripts/wasm-size.sh breaks down the English build: keep cargo's output too.
  english=$(mktemp)
  cp "$built" "$english"
  bash "$0" all-languages
  if ! cmp -s pkg/alike.js "$saved"/alike.js; then
    echo "build-wasm: the all-languages build's glue differs from the English build's; src/cli/widget.rs assumes one glue" >&2
    exit 1
  fi
  mkdir -p www/dist/all-languages
  cp pkg/alike_bg.wasm www/dist/all-languages/
  cp "$saved"/* pkg/
  cp "$english" "$built"
  rm -r "$saved" "$english"
fi
