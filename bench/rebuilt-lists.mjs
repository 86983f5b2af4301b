#!/usr/bin/env node
// Relevance of the stored lists after rebuilds in a row (issue 16; not part
// of bench/run): on the labelled corpus, the series of bench/lib/churn.mjs
// (all but the last `--rebuilds` days, then one day more at a time), and
// after each build every indexed page's list as the shim reads it
// (www/lib/lists.js: list file and recent files, newest first), scored
// P@5 against the labels. The last step is also built afresh (`--full`)
// beside it: P@5 of that build's lists, and how many of the rebuilt lists'
// top 5 the fresh build's top 5 hold.
//
//   node bench/rebuilt-lists.mjs [--bin target/release/alike] [--rebuilds 10] [--out DIR]

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { seriesInput, seriesOptions } from './lib/churn.mjs';
import { labelled } from './lib/corpus.mjs';
import { K, score } from './lib/relevance.mjs';
import { readJsonl } from './lib/util.mjs';
import { listFile, listOf, urlKey } from '../www/lib/lists.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const { values: args } = parseArgs({ options: seriesOptions(ROOT) });
if (args.synthetic) throw new Error('relevance needs the labelled corpus: no --synthetic');

const out = resolve(args.out || join(HERE, 'out', 'rebuilt-lists'));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const corpus = labelled(readJsonl(resolve(args.corpus)));
const { lines, day, rebuilds } = seriesInput({ ...args, corpus: resolve(args.corpus) });

function build(upto, dir, extra = []) {
  const part = join(out, 'articles.jsonl');
  writeFileSync(part, lines.slice(0, upto).join('\n') + '\n');
  const argv = ['index', part, '--out', join(dir, 'index.json'), '--layout', 'clusters', '--no-widget', ...extra];
  const run = spawnSync(args.bin, argv, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`alike index failed: ${run.stderr}`);
  return /incrementally/.test(run.stderr);
}

/** url -> its list's first K URLs, as the shim reads the index in `dir`. */
function lists(dir, urls) {
  const manifest = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const cache = new Map();
  const get = (path) => {
    if (!cache.has(path)) cache.set(path, JSON.parse(readFileSync(join(dir, path), 'utf8')));
    return cache.get(path);
  };
  const base = 'https://example.invalid/';
  return new Map(
    urls.map((url) => {
      const key = urlKey(url, base);
      const where = listFile(manifest, key);
      const list = listOf(where, key, get(where.path), (where.recent || []).map((r) => get(r.path))) || [];
      return [url, list.slice(0, K).map((e) => e.url)];
    }),
  );
}

const index = join(out, 'index');
const rows = [];
for (let i = rebuilds; i >= 0; i--) {
  const upto = lines.length - i * day;
  const incremental = build(upto, index);
  const urls = lines.slice(0, upto).map((l) => JSON.parse(l).url);
  const queries = corpus.filter((r) => urls.includes(r.url));
  const stored = lists(index, urls);
  const row = { articles: upto, incremental, p5: score(corpus, stored, queries).p5 };
  if (i === 0) {
    const fresh = join(out, 'fresh');
    build(upto, fresh, ['--full']);
    const full = lists(fresh, urls);
    row.freshP5 = score(corpus, full, queries).p5;
    const held = urls.reduce((n, u) => n + stored.get(u).filter((v) => full.get(u).includes(v)).length, 0);
    const total = urls.reduce((n, u) => n + stored.get(u).length, 0);
    row.sharedTop5 = held / total;
  }
  rows.push(row);
}
const load = readFileSync('/proc/loadavg', 'utf8').trim();
rmSync(out, { recursive: true, force: true });
console.log(`${lines.length} articles, ${rebuilds} rebuilds of ${day}, ${args.bin}, load ${load}`);
console.log('step | articles | build | P@5 of stored lists');
for (const [i, r] of rows.entries()) console.log(`${i} | ${r.articles} | ${r.incremental ? 'incremental' : 'full'} | ${r.p5.toFixed(4)}`);
const last = rows.at(-1);
console.log(`last step built afresh: P@5 ${last.freshP5.toFixed(4)}; of the rebuilt lists' top ${K} entries, ${(100 * last.sharedTop5).toFixed(1)}% are in the fresh build's top ${K}`);
