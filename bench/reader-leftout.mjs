#!/usr/bin/env node
// Which rules leave out text the expected texts keep: runs `alike inspect
// --json` on development-set pages and, for each block left out, checks
// whether its first 60 characters (as inspect quotes them) are in the page's
// expected text (at least half their four-token shingles). Sums by reason,
// and by reason and element (`tag.class`), the blocks in and out of gold.
//
//   node bench/reader-leftout.mjs DIR [--top 30] [--reason "mostly links"] [--show]
//
// Needs the release CLI (ALIKE_BIN, default target/release/alike). A lead to
// a rule's cost, not a score: a left-out block also counts as "in gold" when
// its words are elsewhere on the page.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { htmlText, tokens } from './lib/reader-score.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.ALIKE_BIN || join(ROOT, 'target/release/alike');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const dir = args[0];
if (!dir) {
  console.error('usage: node bench/reader-leftout.mjs DIR [--top N] [--reason WHY] [--show]');
  process.exit(2);
}
const pages = readdirSync(dir).flatMap((source) => readdirSync(join(dir, source)).map((page) => `${source}/${page}`)).filter((p) => existsSync(join(dir, p, 'source.html')));
// inspect quotes a block's words as Rust's `{:?}` writes a string.
const debugString = (quoted) => quoted.slice(1, -1).replace(/\\u\{([0-9a-f]+)\}|\\(.)/g, (_, hex, c) => (hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ n: '\n', t: '\t' })[c] || c));
const grams = (words) => (words.length < 4 ? [words.join(' ')] : words.slice(3).map((_, i) => words.slice(i, i + 4).join(' ')));

const byReason = new Map();
const byElement = new Map();
for (let at = 0; at < pages.length; at += 50) {
  const batch = pages.slice(at, at + 50);
  const out = execFileSync(bin, ['inspect', '--json', ...batch.map((p) => join(dir, p, 'source.html'))], { encoding: 'utf8', maxBuffer: 1 << 28 });
  for (const line of out.trim().split('\n')) {
    const page = JSON.parse(line);
    const name = batch.find((p) => join(dir, p, 'source.html') === page.page);
    const txt = join(dir, name, 'expected.txt');
    const gold = existsSync(txt) ? readFileSync(txt, 'utf8') : await htmlText(readFileSync(join(dir, name, 'expected.html'), 'utf8'));
    const goldGrams = new Set(grams(tokens(gold)));
    for (const { block, why } of page.left_out) {
      const [, element, quoted] = block.match(/^(\S+) (".*")$/s) || [];
      if (!quoted || why === 'not prose') continue;
      const words = tokens(debugString(quoted));
      if (words.length < 2) continue;
      const own = grams(words.length > 4 ? words.slice(0, -1) : words); // the last word may be cut
      const inGold = own.filter((g) => goldGrams.has(g)).length * 2 >= own.length;
      const element_ = element.replace(/#[^.]*/, '').split('.').slice(0, 2).join('.');
      for (const [map, key] of [[byReason, why], [byElement, `${why}: ${element_}`]]) {
        const entry = map.get(key) || { in: 0, out: 0, pages: new Set(), examples: [] };
        entry[inGold ? 'in' : 'out']++;
        if (inGold) entry.pages.add(name);
        if (inGold && entry.examples.length < +option("--examples", 3)) entry.examples.push(`${name}: ${quoted.slice(0, 70)}`);
        map.set(key, entry);
      }
    }
  }
}
const reason = option('--reason');
const show = (map) =>
  [...map]
    .filter(([key]) => !reason || key.startsWith(reason))
    .sort((a, b) => b[1].in - a[1].in)
    .slice(0, +option('--top', 30))
    .forEach(([key, e]) => {
      console.log(`${String(e.in).padStart(5)} in gold ${String(e.out).padStart(5)} not (${e.pages.size} pages)  ${key}`);
      if (args.includes('--show')) for (const x of e.examples) console.log(`        ${x}`);
    });
console.log('--- by reason');
show(byReason);
console.log('--- by reason and element');
show(byElement);
