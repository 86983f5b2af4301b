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
//                        [--rebuilds N [--cells N] [--recent-bits N]
//                        [--report BENCHMARKS.md [--tag TAG]]]
//
// The corpus is labelled JSON Lines (`label` or `section`; alike never sees
// the label). `--synthetic N` (20000, 20k, 1m) measures the seeded
// synthetic archive of N articles grown from it, as bench/run does.
// `--rebuilds N` also runs N rebuilds in a row, each a `--share` more, and
// reports each one's rewritten files and bytes, time, manifest size and
// what an indexed page's list files then cost (its list file and a recent
// file of every set); `--cells N` builds that series with N cells (a
// smaller archive in the table shape of a larger one: 116 is 1,000,000's).
// Past 200,000 articles the archive is streamed to disk and only the
// series runs (`--rebuilds` required; P@5 on `--queries` articles, 200 by
// default, and as many of the last rebuild's). Writes DIR/churn.json.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { rebuildChurn, rebuildSeries } from './lib/churn.mjs';
import { forIndex, labelled, nameOf, parseCount, spread, synthetic, syntheticLabel, syntheticPosition, writeSynthetic } from './lib/corpus.mjs';
import { listsOf, query, score } from './lib/relevance.mjs';
import { spreadAt } from './lib/streamed.mjs';
import { churnSection, commandLine } from './lib/alone-report.mjs';
import { writeSection } from './lib/kept-section.mjs';
import { readJsonl, runStamp, toJsonl } from './lib/util.mjs';

// Archives past this many articles are streamed (see below).
const STREAMED = 200000;

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
    // Also: write the series into its own section of this report (BENCHMARKS.md).
    report: { type: 'string' },
    // Also: stream a smaller archive as a large one is (to try that path quickly).
    streamed: { type: 'boolean', default: false },
    // The series' builds with this many cells (`alike index --cells`): a smaller archive in the shape of a larger one's table.
    cells: { type: 'string' },
    // The series' builds with this --recent-limit (how many times its list file an indexed page may read of recent lists before a build goes whole).
    'recent-limit': { type: 'string' },
    // The series' builds with this --recent-bits (the most bits of recent-list buckets: 2^N files a set); its own section of the report.
    'recent-bits': { type: 'string' },
    // With --report: the section's name ends in -TAG (a series beside an earlier one of the same settings, after a change of the code).
    tag: { type: 'string' },
  },
});
const stamp = runStamp();

const corpus = labelled(readJsonl(resolve(args.corpus)));
const count = args.synthetic ? parseCount(args.synthetic, '--synthetic') : corpus.length;
const name = args.synthetic ? nameOf(count) : 'corpus';
const out = resolve(args.out || join(HERE, 'out', `churn-${name}`));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const input = join(out, 'articles.jsonl');
const share = Number(args.share);
const rebuilds = Number(args.rebuilds || 0);

// Past STREAMED articles the archive does not fit in one string: it is
// written to disk as it is generated, only the query sample is kept in
// memory, and only the series runs (no afresh build to compare with).
const streamed = args.streamed || count > STREAMED;
if (streamed && !rebuilds) throw new Error(`past ${STREAMED} articles give --rebuilds N: only the series runs`);
let records;
let sample;
let added;
const day = Math.max(1, Math.round(count * share));
if (streamed) {
  const sampleAt = spreadAt(count, Number(args.queries || 200));
  // A sample of the last day's articles, the ones the last rebuild added.
  const lastAt = new Set([...spreadAt(day, Number(args.queries || 200))].map((i) => count - day + i));
  const kept = writeSynthetic(corpus, count, input, { keep: (i) => sampleAt.has(i) || lastAt.has(i) }).kept;
  sample = kept.filter((r) => sampleAt.has(syntheticPosition(r)));
  added = kept.filter((r) => lastAt.has(syntheticPosition(r)));
} else {
  records = args.synthetic ? synthetic(corpus, count) : corpus;
  writeFileSync(input, toJsonl(forIndex(records)));
  sample = spread(records, Number(args.queries || (args.synthetic ? 2000 : records.length)));
}
// Scores against the labels: the records' own, or the synthetic URL's.
const scoreOf = (lists, queries) => (streamed ? score(null, lists, queries, { labelOf: syntheticLabel }) : score(records, lists, queries));

const started = Date.now();
let churn;
const relevance = {};
if (!streamed) {
  churn = rebuildChurn(args.bin, input, out, share, args.layout);
  // P@5 of the rebuilt index and of the same articles built afresh, on a
  // sample (every article of the corpus by default) and on the new articles.
  added = records.slice(-churn.day);
  const indexes = { incremental: join(out, 'index/index.json'), full: join(out, 'fresh/index.json') };
  for (const [which, file] of Object.entries(indexes)) {
    const asked = join(out, `queries-${which}.jsonl`);
    const questions = [...new Set([...sample, ...added])];
    writeFileSync(asked, toJsonl(forIndex(questions)));
    const engine = query(args.bin, file, asked).lists;
    const lists = listsOf(file, questions.map((q) => q.url));
    relevance[which] = {
      engine: scoreOf(engine, sample).p5,
      lists: scoreOf(lists, sample).p5,
      engineNew: scoreOf(engine, added).p5,
      listsNew: scoreOf(lists, added).p5,
    };
  }
}
const seconds = (Date.now() - started) / 1000;

// Rebuilds in a row, and whether the last index loads in `alike query`.
let series;
if (rebuilds) {
  series = rebuildSeries(args.bin, input, out, share, rebuilds, args.layout, { verbose: streamed, cells: args.cells, recentLimit: args['recent-limit'], recentBits: args['recent-bits'] });
  const last = join(out, 'series/index.json');
  const asked = join(out, 'queries-series.jsonl');
  writeFileSync(asked, toJsonl(forIndex(added)));
  series.lastP5New = scoreOf(query(args.bin, last, asked).lists, added).p5;
  // P@5 of the index after the last rebuild on both paths, beside relevance.full (the same articles built afresh).
  const questions = [...new Set([...sample, ...added])];
  const all = join(out, 'queries-series-all.jsonl');
  writeFileSync(all, toJsonl(forIndex(questions)));
  const engine = query(args.bin, last, all).lists;
  const lists = listsOf(last, questions.map((q) => q.url));
  series.last = { engine: scoreOf(engine, sample).p5, lists: scoreOf(lists, sample).p5, engineNew: scoreOf(engine, added).p5, listsNew: scoreOf(lists, added).p5 };
}

const result = { name, articles: count, layout: args.layout, share, seconds, queries: sample.length, churn, relevance, series, load: readFileSync('/proc/loadavg', 'utf8').trim(), commit: stamp.commit, recentLimit: args['recent-limit'] ?? null, recentBits: args['recent-bits'] ?? null };
writeFileSync(join(out, 'churn.json'), JSON.stringify(result, null, 2) + '\n');
if (args.report && series) {
  writeSection(resolve(args.report), `churn-${name}${args['recent-bits'] != null ? `-recent-bits-${args['recent-bits']}` : ''}${args.tag ? `-${args.tag}` : ''}`, churnSection(result, { stamp, command: commandLine('bench/churn.mjs'), endLoad: runStamp().load }), 'bench/churn.mjs');
}
rmSync(input, { force: true });

// KB = 1,000 bytes, as in BENCHMARKS.md (the sections this script writes).
const kb = (bytes) => `${(bytes / 1e3).toFixed(1)} KB`;
const pct = (part, whole) => `${((100 * part) / whole).toFixed(1)}%`;
if (churn) {
  console.log(`${name}: ${count} articles, ${churn.day} new (${args.layout}), ${seconds.toFixed(0)} s, load ${result.load}`);
  console.log(`rewritten: ${kb(churn.rewrittenBytes)} of ${kb(churn.neededBytes)} gzipped (${pct(churn.rewrittenBytes, churn.neededBytes)}), ${churn.added + churn.changed} of ${churn.needed} files`);
  for (const [kind, k] of Object.entries(churn.byKind)) {
    if (k.rewritten) console.log(`  ${kind}: ${k.rewritten} files, ${kb(k.rewrittenBytes)}`);
  }
} else {
  console.log(`${name}: ${count} articles, ${day} a day (${args.layout}), load ${result.load}`);
}
for (const [which, r] of Object.entries(relevance)) {
  console.log(`P@5 ${which}: engine ${r.engine.toFixed(4)}, lists ${r.lists.toFixed(4)} (${sample.length} queries); the new articles: engine ${r.engineNew.toFixed(4)}, lists ${r.listsNew.toFixed(4)} (${added.length})`);
}
for (const [i, step] of (series?.steps || []).entries()) {
  console.log(`${i ? `rebuild ${i}` : 'base'}: ${step.articles} articles, ${step.seconds.toFixed(1)} s, ${step.segments} segments, ${step.said}; rewrote ${step.rewritten} files, ${kb(step.rewrittenBytes)} (${pct(step.rewrittenBytes, step.liveBytes)} of the index's ${kb(step.liveBytes)} in ${step.liveFiles} files; ${step.filesInFolder} in the folder); manifest ${step.manifestGzip} B gzipped${step.lists ? `; an indexed page's list files: ${step.lists.requests} requests, ${kb(step.lists.bytes)} gzipped (median of ${step.lists.pages}; 90th percentile ${step.lists.p90.requests}, ${kb(step.lists.p90.bytes)}; most ${step.lists.most.requests}, ${kb(step.lists.most.bytes)})` : ''}${step.engine ? `; the engine path's files past the engine file: ${step.engine.files} (${step.engine.delta} delta), ${kb(step.engine.bytes)} (delta ${kb(step.engine.deltaBytes)}; median of ${step.engine.pages} articles spread over the archive)` : ''}`);
}
if (series) {
  console.log(`after the rebuilds, alike query on the last day's articles: P@5 ${series.lastP5New.toFixed(4)}`);
  const r = series.last;
  console.log(`P@5 after the rebuilds: engine ${r.engine.toFixed(4)}, lists ${r.lists.toFixed(4)} (${sample.length} queries); the last day's articles: engine ${r.engineNew.toFixed(4)}, lists ${r.listsNew.toFixed(4)}`);
}
