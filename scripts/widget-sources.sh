#!/usr/bin/env bash
# Prints one hash of every source the widget is built from (the engine's
# Rust, the shim, and the build's own settings and locks), so that the
# widget the CLI carries (www/dist/, built by scripts/build-wasm.sh) can be
# told stale without rebuilding it byte for byte.
#   bash scripts/widget-sources.sh           print the hash
#   bash scripts/widget-sources.sh --check   fail unless www/dist/SOURCE has it
set -euo pipefail
cd "$(dirname "$0")/.."
# Files not yet added count too (ignored ones do not): a widget built before
# `git add` would otherwise record a hash that the commit makes stale.
hash=$(git ls-files -z --cached --others --exclude-standard -- src www/alike.js www/engine.js www/lib Cargo.toml Cargo.lock package-lock.json scripts/build-wasm.sh scripts/wasm-nightly \
         ':!src/cli' ':!src/input' ':!src/main.rs' \
       | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [[ ${1:-} == --check ]]; then
  recorded=$(cat www/dist/SOURCE 2>/dev/null || true)
  if [[ $recorded != "$hash" ]]; then
    echo "www/dist/ was built from other sources than these: run 'bash scripts/build-wasm.sh' and commit www/dist/" >&2
    exit 1
  fi
else
  echo "$hash"
fi
