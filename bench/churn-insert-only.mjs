#!/usr/bin/env node
// What the recent-list files (r/) of an incremental build would weigh if
// patches kept the base list's order and only inserted the new articles
// at their fresh ranks (an alternative to the exact patches the builder
// writes: old entries a fresh ranking pulls in by df drift are not
// written whole). Estimates from an index folder that bench/churn.mjs
// left (its index/), gzip -9 per file; story copies are not handled.
//
//   node bench/churn-insert-only.mjs bench/out/churn-corpus/index

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2];
const gz = (value) => gzipSync(JSON.stringify(value), { level: 9 }).length;
const files = readdirSync(join(dir, 'r')).map((f) => JSON.parse(readFileSync(join(dir, 'r', f), 'utf8')));
// The new articles are the ones with lists of their own in r/.
const added = new Set(files.flatMap((f) => Object.keys(f.pages)));
let exact = 0;
let insertOnly = 0;
for (const file of files) {
  const patches = {};
  for (const [key, patch] of Object.entries(file.patches || {})) {
    let next = 0;
    patches[key] = patch.map((step) => (typeof step === 'object' && added.has(step.url) ? step : next++));
  }
  exact += gz(file);
  insertOnly += gz({ ...file, patches });
}
console.log(`r/ files: ${files.length}; exact patches ${exact} B gzipped, insert-only ${insertOnly} B (${((100 * (exact - insertOnly)) / exact).toFixed(0)}% less)`);
