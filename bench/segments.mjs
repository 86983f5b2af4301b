#!/usr/bin/env node
// What segments cost readers (issue 16): for the index whose manifest is
// given (e.g. bench/churn.mjs --rebuilds 10's bench/out/churn-*/series/index.json),
// the list path of every indexed page (the manifest, its list file and its
// recent file in each segment: requests and bytes, each file gzipped on its
// own, without the shim), and on the engine path how many delta files a
// cluster's group adds (one per segment whose group holds articles).
//
//   node bench/segments.mjs DIR/index.json

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { listFile } from '../www/lib/lists.js';
import { gzipBytes } from './lib/util.mjs';

const manifestPath = process.argv[2];
const dir = dirname(manifestPath);
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const size = new Map();
const gz = (path) => {
  if (!size.has(path)) size.set(path, gzipBytes(readFileSync(join(dir, path))).length);
  return size.get(path);
};
// Every page the base's list files hold (the old pages).
const bits = manifest.lists.bucket_bits;
const pages = [];
for (let bucket = 0; bucket < 2 ** bits; bucket++) {
  const file = JSON.parse(readFileSync(join(dir, `l/${bucket.toString(16)}-${manifest.generation.toString(16)}.json`), 'utf8'));
  pages.push(...Object.keys(file.pages));
}
const costs = pages.map((key) => {
  const where = listFile(manifest, key);
  const paths = ['index.json', where.path, ...(where.recent || []).map((r) => r.path)];
  return { requests: paths.length, bytes: paths.reduce((sum, p) => sum + gz(p), 0) };
});
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
const bytes = costs.map((c) => c.bytes);
const segments = manifest.delta ? 1 + (manifest.delta.newer || []).length : 0;
console.log(`${pages.length} old pages, ${segments} segments: list path ${costs[0].requests} index requests (manifest, list file, ${segments} recent files), bytes gzipped median ${median(bytes)}, max ${sorted(bytes).at(-1)} (without the shim)`);
// Delta files per group on the engine path: segments whose group holds articles.
if (manifest.delta) {
  const vlqs = (text) => {
    const out = [];
    let value = 0;
    let shift = 0;
    for (const c of text) {
      const d = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(c);
      value += (d & 31) * 2 ** shift;
      shift += 5;
      if (!(d & 32)) {
        out.push(value);
        value = shift = 0;
      }
    }
    return out;
  };
  const first = vlqs(manifest.delta.sizes);
  const groups = first.length;
  const newer = vlqs(manifest.delta.newer_sizes || '');
  const perGroup = Array.from({ length: groups }, (_, g) => [first[g], ...Array.from({ length: segments - 1 }, (_, s) => newer[s * groups + g])].filter((n) => n > 0).length);
  console.log(`engine path: ${groups} groups; delta files a group adds: mean ${(perGroup.reduce((a, b) => a + b, 0) / groups).toFixed(2)}, max ${Math.max(...perGroup)} (a query reads 2 clusters: at most 2 groups)`);
}
