#!/usr/bin/env node
// The bench's churn step on its own (issue 16): an archive built without
// its last `--share` of articles, then with them into the same folder (an
// incremental build for the cluster layout), against the same articles
// built afresh; prints what the rebuild rewrote (files, gzipped bytes, by
// kind of file) and P@5 of both indexes on both paths: the engine's
// (`alike query`) and the stored lists' (as the shim reads them).
//
//   node bench/churn.mjs [--corpus FILE] [--synthetic N] [--share 0.01]
//                        [--queries N] [--layout clusters] [--out DIR]
//
// The corpus is labelled JSON Lines (`label` or `section`; alike never sees
// the label). `--synthetic N` measures the seeded synthetic archive of N
// articles grown from it, as bench/run does. Writes DIR/churn.json.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { rebuildChurn, rebuildSeries } from './lib/churn.mjs';
import { forIndex, labelled, spread, synthetic } from './lib/corpus.mjs';
import { listsOf, query, score } from './lib/relevance.mjs';
import { readJsonl, toJsonl } from './lib/util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: resolve(ROOT, '../shared/corpora/bbc-news.jsonl') },
    synthetic: { type: 'string' },
    share: { type: 'string', default: '0.01' },
    queries: { type: 'string' },
    layout: { type: 'string', default: 'clusters' },
    out: { type: 'string' },
    bin: { type: 'string', default: join(ROOT, 'target/release/alike') },
    // Also: this many rebuilds in a row, each a --share more (manifest size, files, what each rewrote).
    rebuilds: { type: 'string' },
  },
});

const corpus = labelled(readJsonl(resolve(args.corpus)));
const records = args.synthetic ? synthetic(corpus, Number(args.synthetic)) : corpus;
const name = args.synthetic ? `synthetic-${args.synthetic}` : 'corpus';
const out = resolve(args.out || join(HERE, 'out', `churn-${name}`));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const input = join(out, 'articles.jsonl');
writeFileSync(input, toJsonl(forIndex(records)));

const started = Date.now();
const churn = rebuildChurn(args.bin, input, out, Number(args.share), args.layout);
const seconds = (Date.now() - started) / 1000;

// P@5 of the rebuilt index and of the same articles built afresh, on a
// sample (every article of the corpus by default) and on the new articles.
const sample = spread(records, Number(args.queries || (args.synthetic ? 2000 : records.length)));
const added = records.slice(-churn.day);
const indexes = { incremental: join(out, 'index/index.json'), full: join(out, 'fresh/index.json') };
const relevance = {};
for (const [which, file] of Object.entries(indexes)) {
  const asked = join(out, `queries-${which}.jsonl`);
  const questions = [...new Set([...sample, ...added])];
  writeFileSync(asked, toJsonl(forIndex(questions)));
  const engine = query(args.bin, file, asked).lists;
  const lists = listsOf(file, questions.map((q) => q.url));
  relevance[which] = {
    engine: score(records, engine, sample).p5,
    lists: score(records, lists, sample).p5,
    engineNew: score(records, engine, added).p5,
    listsNew: score(records, lists, added).p5,
  };
}

// Rebuilds in a row, and whether the last index loads in `alike query`.
let series;
if (args.rebuilds) {
  series = rebuildSeries(args.bin, input, out, Number(args.share), Number(args.rebuilds), args.layout);
  const last = join(out, 'series/index.json');
  const asked = join(out, 'queries-series.jsonl');
  writeFileSync(asked, toJsonl(forIndex(added)));
  series.lastP5New = score(records, query(args.bin, last, asked).lists, added).p5;
  // P@5 of the index after the last rebuild on both paths, beside relevance.full (the same articles built afresh).
  const questions = [...new Set([...sample, ...added])];
  const all = join(out, 'queries-series-all.jsonl');
  writeFileSync(all, toJsonl(forIndex(questions)));
  const engine = query(args.bin, last, all).lists;
  const lists = listsOf(last, questions.map((q) => q.url));
  series.last = { engine: score(records, engine, sample).p5, lists: score(records, lists, sample).p5, engineNew: score(records, engine, added).p5, listsNew: score(records, lists, added).p5 };
}

const result = { name, articles: records.length, layout: args.layout, share: Number(args.share), seconds, queries: sample.length, churn, relevance, series, load: readFileSync('/proc/loadavg', 'utf8').trim() };
writeFileSync(join(out, 'churn.json'), JSON.stringify(result, null, 2) + '\n');
rmSync(input);

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const pct = (part, whole) => `${((100 * part) / whole).toFixed(1)}%`;
console.log(`${name}: ${records.length} articles, ${churn.day} new (${args.layout}), ${seconds.toFixed(0)} s, load ${result.load}`);
console.log(`rewritten: ${kb(churn.rewrittenBytes)} of ${kb(churn.neededBytes)} gzipped (${pct(churn.rewrittenBytes, churn.neededBytes)}), ${churn.added + churn.changed} of ${churn.needed} files`);
for (const [kind, k] of Object.entries(churn.byKind)) {
  if (k.rewritten) console.log(`  ${kind}: ${k.rewritten} files, ${kb(k.rewrittenBytes)}`);
}
for (const [which, r] of Object.entries(relevance)) {
  console.log(`P@5 ${which}: engine ${r.engine.toFixed(4)}, lists ${r.lists.toFixed(4)} (${sample.length} queries); the new articles: engine ${r.engineNew.toFixed(4)}, lists ${r.listsNew.toFixed(4)} (${added.length})`);
}
for (const [i, step] of (series?.steps || []).entries()) {
  console.log(`${i ? `rebuild ${i}` : 'base'}: ${step.articles} articles, ${step.segments} segments, ${step.said}; rewrote ${step.rewritten} files, ${kb(step.rewrittenBytes)} (${pct(step.rewrittenBytes, step.liveBytes)} of the index's ${kb(step.liveBytes)} in ${step.liveFiles} files; ${step.filesInFolder} in the folder); manifest ${step.manifestGzip} B gzipped`);
}
if (series) {
  console.log(`after the rebuilds, alike query on the last day's articles: P@5 ${series.lastP5New.toFixed(4)}`);
  const r = series.last;
  console.log(`P@5 after the rebuilds: engine ${r.engine.toFixed(4)}, lists ${r.lists.toFixed(4)} (${sample.length} queries); the last day's articles: engine ${r.engineNew.toFixed(4)}, lists ${r.listsNew.toFixed(4)}`);
}
