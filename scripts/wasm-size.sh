#!/usr/bin/env bash
# Where the browser engine's bytes go, after `bash scripts/build-wasm.sh`:
#   bash scripts/wasm-size.sh        sizes, sections, and (with twiggy) the
#                                    breakdown by crate and the top functions
#   bash scripts/wasm-size.sh 60     ... the top 60 functions
# Sizes are raw, gzip -9 and brotli (quality 11) of what sites serve:
# pkg/alike_bg.wasm, pkg/alike.js (wasm-bindgen's glue and the engine's
# driver www/engine.js, the worker's module) and www/min/ (the shim: alike.js,
# and engine-path.js, which it imports where the engine runs).
# The breakdown reads a copy of the same build that keeps function names
# (twiggy: `cargo install twiggy`); its sizes are before gzip.
set -euo pipefail
cd "$(dirname "$0")/.."
top=${1:-30}
built=target/wasm32-unknown-unknown/wasm/alike.wasm
for file in pkg/alike_bg.wasm pkg/alike.js www/min/alike.js www/min/engine-path.js "$built"; do
  [[ -f $file ]] || { echo "wasm-size: no $file; run bash scripts/build-wasm.sh first" >&2; exit 1; }
done

node --input-type=module - pkg/alike_bg.wasm pkg/alike.js www/min/alike.js www/min/engine-path.js <<'EOF'
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { brotliCompressSync, constants } from 'node:zlib';
// GNU gzip, not node's zlib: budgets are stated in `gzip -9`, and the two differ by a few percent.
const gzip = (bytes) => execFileSync('gzip', ['-9', '-c'], { input: bytes, maxBuffer: 1 << 26 }).length;
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const row = (...cells) => console.log(cells.map((c, i) => String(c)[i ? 'padStart' : 'padEnd'](i ? 9 : 22)).join(''));
row('file', 'raw', 'gzip -9', 'brotli');
for (const path of process.argv.slice(2)) {
  const bytes = readFileSync(path);
  row(path, bytes.length, gzip(bytes), brotli(bytes));
}
// The wasm's sections: code against data (tables, messages).
const wasm = readFileSync(process.argv[2]);
const names = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
console.log('\nsections of pkg/alike_bg.wasm over 1000 bytes');
row('section', 'raw', 'gzip -9', 'brotli');
let at = 8;
const leb = () => {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = wasm[at++];
    value += (byte & 127) * 2 ** shift;
    if (!(byte & 128)) return value;
  }
};
while (at < wasm.length) {
  const id = wasm[at++];
  const size = leb();
  const body = wasm.subarray(at, at + size);
  if (size > 1000) row(names[id] ?? id, size, gzip(body), brotli(body));
  at += size;
}
EOF

if ! command -v twiggy >/dev/null; then
  echo -e "\nfor the breakdown by crate and function: cargo install twiggy" >&2
  exit 0
fi
named=$(mktemp -d)
trap 'rm -rf "$named"' EXIT
wasm-bindgen --target web --keep-debug --out-dir "$named" --out-name alike "$built"
node_modules/.bin/wasm-opt -ocimfs 15 -Oz --debuginfo --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$named/alike_bg.wasm" -o "$named/named.wasm"
twiggy top -n 1000000 --format csv "$named/named.wasm" >"$named/top.csv"
echo -e "\nby crate (raw bytes of functions and data; names and structure left out)"
node --input-type=module - "$named/top.csv" <<'EOF'
import { readFileSync } from 'node:fs';
const sums = new Map();
const modules = new Map();
for (const line of readFileSync(process.argv[2], 'utf8').trim().split('\n').slice(1)) {
  const [, quoted, size] = line.match(/^(.*),(\d+),[\d.]+,/) || [];
  if (!quoted) continue;
  const name = quoted.replace(/^"|"$/g, '').replace(/""/g, '"');
  if (/subsection"?$|^(type|import|export|elem|table|memory|global|code|data)\b|^"?custom/.test(name) && !/^data segment/.test(name)) continue;
  // Data segments are merged across crates by the linker: counted apart.
  // Exported methods carry the engine code inlined into them.
  const crate = /^data segment/.test(name)
    ? '(data: tables, strings)'
    : /^engine_/.test(name)
      ? 'alike (Engine methods as exported)'
      : (name.replace(/^[<&(\s]+/, '').replace(/^mut /, '').match(/^([a-z_][a-z0-9_]*)(\[[0-9a-f]+\])?::/) || [, '(other)'])[1];
  sums.set(crate, (sums.get(crate) || 0) + Number(size));
  // The engine's own code by module: the first alike module the name
  // mentions (a std iterator or sort over a closure of query.rs counts
  // as query), so that std code instantiated for a module is its cost.
  const module = /^data segment/.test(name) ? null : name.match(/alike\[[0-9a-f]+\]::(\w+)/)?.[1];
  if (module) modules.set(module, (modules.get(module) || 0) + Number(size));
}
for (const [crate, size] of [...sums].sort((a, b) => b[1] - a[1])) console.log(String(size).padStart(9), ' ', crate);
console.log('\nby module of alike, std code instantiated for it included (raw bytes of functions)');
for (const [module, size] of [...modules].sort((a, b) => b[1] - a[1])) console.log(String(size).padStart(9), ' ', module);
EOF
echo -e "\ntop $top items (raw bytes)"
twiggy top -n "$top" "$named/named.wasm" | cut -c1-160
