#!/usr/bin/env node
// Reads `node bench/reader.mjs --out FILE` results: a reader's summed loss
// (sum of 1 - F1 over pages) and its worst pages, or, given two files, the
// pages whose F1 moved between them and the summed change (per-rule deltas).
//
//   node bench/reader-compare.mjs RUN.json [--reader cli] [--worst 40]
//   node bench/reader-compare.mjs BEFORE.json AFTER.json [--reader cli]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const files = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const reader = option('--reader', 'cli');
const pagesOf = (file) => {
  const result = JSON.parse(readFileSync(file, 'utf8')).results[reader];
  if (!result) throw Error(`${file} has no ${reader} results`);
  return new Map(result.pages.map((p) => [p.name, p]));
};
const loss = (pages) => [...pages.values()].reduce((s, p) => s + 1 - p.f1, 0);

const [first, second] = files.map(pagesOf);
if (!second) {
  const worst = [...first.values()].sort((a, b) => a.f1 - b.f1).slice(0, +option('--worst', 40));
  for (const p of worst) console.log(`${p.name.padEnd(48)} F1 ${p.f1.toFixed(3)} P ${p.precision.toFixed(3)} R ${p.recall.toFixed(3)}`);
  console.log(`${reader}: summed loss ${loss(first).toFixed(2)} over ${first.size} pages`);
} else {
  let sum = 0;
  let up = 0;
  let down = 0;
  for (const [name, after] of second) {
    const before = first.get(name);
    if (!before) continue;
    sum += after.f1 - before.f1;
    if (Math.abs(after.f1 - before.f1) > 0.001) {
      console.log(`${name.padEnd(48)} ${before.f1.toFixed(3)} -> ${after.f1.toFixed(3)}`);
      if (after.f1 > before.f1) up++;
      else down++;
    }
  }
  console.log(`${reader}: summed F1 change ${sum >= 0 ? '+' : ''}${sum.toFixed(3)}; loss ${loss(first).toFixed(2)} -> ${loss(second).toFixed(2)}; ${up} pages up, ${down} down`);
}
