#!/usr/bin/env bash
# Builds everything and serves the demo news site on http://127.0.0.1:8080/
# (another port: PORT=9000 bash scripts/demo.sh). Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --quiet --release
bash scripts/build-wasm.sh
npm run --silent demo:build
exec node www/demo/serve.mjs --port "${PORT:-8080}"
