#!/usr/bin/env bash
# Builds the browser engine into pkg/ (alike.js + alike_bg.wasm), small:
# the `wasm` cargo profile, then wasm-opt -Oz; and the shim sites serve,
# www/alike.min.js (www/alike.js minified by esbuild).
#   bash scripts/build-wasm.sh                 English only (the default)
#   bash scripts/build-wasm.sh french german   other stemmers (see README)
#   bash scripts/build-wasm.sh all-languages   every stemmer (about twice the size)
# Each stemmer is a cargo feature; an index in a language the build lacks
# fails to load with a message naming the feature.
set -euo pipefail
cd "$(dirname "$0")/.."
features=${*:-english}
# wasm-opt comes from npm's binaryen (package-lock.json): Debian's binaryen
# 108 breaks the externref table wasm-bindgen now emits, and the engine
# then fails to start in browsers.
wasm_opt=node_modules/.bin/wasm-opt
[[ -x $wasm_opt && -x node_modules/.bin/esbuild ]] || npm ci --no-audit --no-fund --loglevel=error
wasm-pack --quiet build --target web --profile wasm --out-dir pkg --no-pack --no-opt \
  -- --no-default-features --features "${features// /,}"
"$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/alike_bg.wasm -o pkg/alike_bg.wasm
rm -f pkg/.gitignore
node_modules/.bin/esbuild www/alike.js --minify --format=esm --target=es2022 --log-level=warning \
  --outfile=www/alike.min.js
# The widget `alike index` writes beside an index is this English build,
# carried inside the binary (src/cli/widget.rs) so that users need no wasm
# tooling: keep its copy in www/dist/ with the hash of what it was built
# from (the test command checks that hash; see scripts/widget-sources.sh).
if [[ $features == english ]]; then
  mkdir -p www/dist/pkg
  cp www/alike.min.js www/dist/alike.js
  cp pkg/alike.js pkg/alike_bg.wasm www/dist/pkg/
  bash scripts/widget-sources.sh >www/dist/SOURCE
fi
