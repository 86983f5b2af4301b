#!/usr/bin/env node
// What a line rule would change before it is written: drops the lines of a
// reader's texts (from `node bench/reader.mjs --out FILE`) that a predicate
// matches, scores them again as bench/reader.mjs does, and prints the
// pages that move and the summed change. An upper bound for a rule that
// would leave out such lines (the engine may not see them as lines), and a
// count of how often they are in the expected text.
//
//   node bench/reader-simulate.mjs RUN.json DIR 'JS predicate of line' [--reader cli]
//   e.g. node bench/reader-simulate.mjs run.json /work/devset '/^\d+ min read$/i.test(line)'
//
// Expected texts are read as bench/reader.mjs reads them (jsdom) and cached
// in bench/out/expected-cache.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { htmlText, score, tokens } from './lib/reader-score.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const [file, dir, predicateText] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const reader = option('--reader', 'cli');
const matches = new Function('line', 'text', `return (${predicateText});`);

const f1 = (predicted, expected) => score(predicted, expected).f1;

const cachePath = join(ROOT, 'bench/out/expected-cache.json');
const cache = existsSync(cachePath) ? JSON.parse(readFileSync(cachePath, 'utf8')) : {};
const pages = JSON.parse(readFileSync(file, 'utf8')).results[reader].pages;
let fresh = false;
for (const { name } of pages) {
  if (name in cache) continue;
  const folder = join(dir, name);
  cache[name] = existsSync(join(folder, 'expected.txt'))
    ? readFileSync(join(folder, 'expected.txt'), 'utf8')
    : await htmlText(readFileSync(join(folder, 'expected.html'), 'utf8'));
  fresh = true;
}
if (fresh) {
  mkdirSync(dirname(cachePath), { recursive: true });
  writeFileSync(cachePath, JSON.stringify(cache));
}

let sum = 0;
let up = 0;
let down = 0;
let lines = 0;
let inGold = 0;
for (const page of pages) {
  const all = page.text.split('\n\n');
  const kept = all.filter((line) => !matches(line, page.text));
  if (kept.length === all.length) continue;
  const expected = cache[page.name];
  const dropped = all.filter((line) => matches(line, page.text));
  lines += dropped.length;
  const norm = tokens(expected).join(' ');
  inGold += dropped.filter((line) => tokens(line).length && norm.includes(tokens(line).join(' '))).length;
  const before = f1(page.text, expected);
  const after = f1(kept.join('\n\n'), expected);
  sum += after - before;
  if (Math.abs(after - before) > 0.001) {
    if (after > before) up++;
    else down++;
    console.log(`${page.name.padEnd(48)} ${before.toFixed(3)} -> ${after.toFixed(3)}  ${dropped.slice(0, 3).map((l) => JSON.stringify(l.slice(0, 60))).join(' ')}`);
  }
}
console.log(`${reader}: ${lines} lines dropped (${inGold} of them in the expected text); summed F1 change ${sum >= 0 ? '+' : ''}${sum.toFixed(3)}; ${up} pages up, ${down} down`);
