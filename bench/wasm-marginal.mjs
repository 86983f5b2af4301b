// Where the wasm's gzipped bytes go, function by function: for each function
// body of a wasm that has a name section, how many bytes gzip -9 of the code
// section loses without it ("marginal": near-identical copies of one generic
// body cost little; unique code costs about half its raw size). Used on the
// named build scripts/wasm-size.sh makes (copy its wasm-bindgen --keep-debug
// and wasm-opt --debuginfo steps), e.g.:
//   node bench/wasm-marginal.mjs named.wasm | head -40
// Prints: marginal gzip bytes, raw bytes, name. Node's zlib at level 9, which
// differs from GNU gzip by a few bytes; a guide, not a budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
const w = readFileSync(process.argv[2]);
let at = 8;
const leb = () => { let v = 0; for (let s = 0; ; s += 7) { const b = w[at++]; v += (b & 127) * 2 ** s; if (!(b & 128)) return v; } };
let imports = 0, bodies = [], names = new Map(), data = null;
while (at < w.length) {
  const id = w[at++]; const size = leb(); const end = at + size;
  if (id === 2) { const n = leb(); for (let i = 0; i < n; i++) { let l = leb(); at += l; l = leb(); at += l; const kind = w[at++]; if (kind === 0) { leb(); imports++; } else if (kind === 1) { at++; const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 3) { at += 2; } } }
  if (id === 10) { const n = leb(); for (let i = 0; i < n; i++) { const s = leb(); bodies.push(w.subarray(at, at + s)); at += s; } }
  if (id === 11) data = w.subarray(at, end);
  if (id === 0) { const nl = leb(); const name = w.subarray(at, at + nl).toString(); at += nl;
    if (name === 'name') while (at < end) { const sub = w[at++]; const ss = leb(); const se = at + ss;
      if (sub === 1) { const c = leb(); for (let k = 0; k < c; k++) { const idx = leb(); const l = leb(); names.set(idx, w.subarray(at, at + l).toString()); at += l; } }
      at = se; } }
  at = end;
}
const gz = (b) => gzipSync(b, { level: 9 }).length;
const all = Buffer.concat(bodies);
const total = gz(all);
console.error('functions', bodies.length, 'code gzip', total);
const rows = [];
for (let i = 0; i < bodies.length; i++) {
  if (bodies[i].length < 40) continue;
  const without = Buffer.concat([...bodies.slice(0, i), ...bodies.slice(i + 1)]);
  rows.push([total - gz(without), bodies[i].length, (names.get(i + imports) || '?').replace(/\[[0-9a-f]{16}\]/g, '')]);
}
rows.sort((a, b) => b[0] - a[0]);
for (const r of rows) console.log(r[0] + '\t' + r[1] + '\t' + r[2].slice(0, 170));
