// Relevance through the real CLI: `alike index` over the corpus without
// labels, `alike query --k 5` for every article, scored by label.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { forIndex } from './corpus.mjs';
import { cli, isClustered, manifestLists, postingCount, postingStats, storedLists } from './internals.mjs';
import { clock, eachJsonFile, gzipBytes, toJsonl } from './util.mjs';

/**
 * Bytes of an index as written: one file, or the cluster layout's manifest
 * and every file beside it (each gzipped on its own, as a static host
 * serves them). A manifest must have its folder to itself. `writeGz` leaves
 * each gzipped file beside its source (`.gz`, as `precompress` would), so
 * that a million-article index is compressed once, not twice. `parts`
 * splits its files by kind (`fileKind`).
 */
export function indexSizes(indexFile, { writeGz = false } = {}) {
  const text = readFileSync(indexFile);
  const one = { raw: text.length, gzip: gzipBytes(text).length };
  const manifest = JSON.parse(text);
  if (!isClustered(manifest)) return { layout: 'single', files: 1, ...one };
  const root = dirname(indexFile);
  const lists = manifest.lists;
  const total = { layout: 'clusters', files: 0, raw: 0, gzip: 0, manifest: one, parts: {}, lists: lists ? { length: lists.length, bucketBits: lists.bucket_bits } : null };
  eachJsonFile(root, (path, bytes, name) => {
    const gzip = gzipBytes(bytes);
    if (writeGz) writeFileSync(path + '.gz', gzip);
    total.files++;
    // The largest file, raw and gzipped: hosts cap a file's size.
    if (!total.largest || bytes.length > total.largest.raw) total.largest = { path: name, raw: bytes.length, gzip: gzip.length };
    total.raw += bytes.length;
    total.gzip += gzip.length;
    const part = (total.parts[fileKind(name)] ??= { files: 0, raw: 0, gzip: 0 });
    part.files++;
    part.raw += bytes.length;
    part.gzip += gzip.length;
  });
  return total;
}

/** What a file of an index is, from its path relative to the manifest's folder: 'c', 'k', 'l', 'd', 'r' (its first folder), 'e' (the engine file) or 'manifest'. */
export const fileKind = (path) => (path.includes('/') ? path.split('/')[0] : /^e-[0-9a-f]+\.json$/.test(path) ? 'e' : 'manifest');

/**
 * The related lists an index stores for `urls` (top K each), as the
 * shim's list path shows them: `Map url -> [url]`.
 */
export function listsOf(indexFile, urls) {
  const dir = dirname(indexFile);
  const manifest = JSON.parse(readFileSync(indexFile, 'utf8'));
  return storedLists(manifest, urls, (path) => JSON.parse(readFileSync(join(dir, path), 'utf8')), K).lists;
}

/** `postingStats` of a single-file index. */
export function singlePostings(indexFile, articles) {
  return postingStats([JSON.parse(readFileSync(indexFile, 'utf8')).terms], articles);
}

export const K = 5;

/**
 * What minimum scores do to the top-K lists an index stores (each
 * entry carries its score): per threshold, how many boxes lose an article,
 * how many go empty, and how many links go that share the query's label
 * (right) or not (weak), over the labelled corpus.
 */
export function listThresholds(indexFile, corpus, thresholds = [0.1, 0.15, 0.2, 0.25]) {
  const dir = dirname(indexFile);
  const manifest = JSON.parse(readFileSync(indexFile, 'utf8'));
  const scored = storedLists(manifest, corpus.map((r) => r.url), (path) => JSON.parse(readFileSync(join(dir, path), 'utf8')), K, { full: true }).lists;
  const label = new Map(corpus.map((r) => [r.url, r.label]));
  const cut = manifestLists(manifest)?.min_score ?? 0;
  return {
    built: cut,
    // Pages whose stored list the build's minimum left empty: a box with data-fallback="section" shows their section's newest.
    emptyBuilt: corpus.filter((q) => !scored.get(q.url).length).length,
    rows: thresholds.map((t) => {
      let shrunk = 0, empty = 0, rightGone = 0, weakGone = 0, weak = 0;
      for (const q of corpus) {
        const list = scored.get(q.url);
        const kept = list.filter((r) => typeof r.score !== 'number' || r.score >= t);
        if (kept.length < list.length) shrunk++;
        if (list.length && !kept.length) empty++;
        for (const r of list) {
          const right = label.get(r.url) === q.label;
          if (!right) weak++;
          if (!kept.includes(r)) right ? rightGone++ : weakGone++;
        }
      }
      return { threshold: t, shrunk, empty, rightGone, weakGone, weak };
    }),
  };
}

/**
 * Score top-k lists (`Map url -> [url]`) of `queries` against the labelled
 * corpus. Without the corpus (`null`: an archive too large to hold), labels
 * come from `labelOf(url)` and copies are not counted (`withCopy` null).
 */
export function score(corpus, lists, queries = corpus, { labelOf } = {}) {
  const byUrl = corpus ? new Map(corpus.map((r) => [r.url, r])) : new Map();
  const label = corpus ? (u) => byUrl.get(u)?.label : labelOf;
  let hits = 0;
  let withSelf = 0;
  let withCopy = 0;
  let short = 0;
  for (const q of queries) {
    const related = lists.get(q.url);
    if (!related) throw new Error(`no results for ${q.url}`);
    if (related.length < K) short++;
    hits += related.filter((u) => label(u) === q.label).length;
    withSelf += related.includes(q.url) ? 1 : 0;
    if (corpus) withCopy += related.some((u) => u !== q.url && byUrl.get(u)?.body === q.body) ? 1 : 0;
  }
  return { queries: queries.length, p5: hits / (K * queries.length), withSelf, withCopy: corpus ? withCopy : null, short };
}

/** Articles whose body another article repeats word for word, and the pairs they form. */
export function identicalBodies(corpus) {
  const groups = new Map();
  for (const r of corpus) groups.set(r.body, (groups.get(r.body) || 0) + 1);
  let articles = 0;
  let pairs = 0;
  for (const n of groups.values()) {
    if (n > 1) {
      articles += n;
      pairs += (n * (n - 1)) / 2;
    }
  }
  return { articles, pairs };
}

/** Runs the CLI's query over `queriesFile`; returns `Map url -> [url]` and the seconds it took. */
export function query(bin, indexFile, queriesFile) {
  const { seconds, value } = clock(() => execFileSync(bin, cli.query(indexFile, queriesFile, K), { encoding: 'utf8', maxBuffer: 1 << 30 }));
  return { seconds, lists: new Map(value.split('\n').filter(Boolean).map(cli.parseQueryLine)) };
}

/**
 * One build setting: the index's size and its relevance. `input` is the
 * label-free JSONL of `corpus`; `queries` (default: all) are asked.
 */
export function measure({ bin, dir, corpus, input, queriesFile, queries, setting, name }) {
  const indexFile = join(dir, `index-${name}`, 'index.json');
  mkdirSync(dirname(indexFile), { recursive: true });
  execFileSync(bin, cli.index(input, indexFile, setting));
  const size = indexSizes(indexFile);
  const manifest = JSON.parse(readFileSync(indexFile, 'utf8'));
  // The cluster layout keeps its scoring and terms in the engine file the manifest names.
  const parsed = isClustered(manifest) ? JSON.parse(readFileSync(join(dirname(indexFile), manifest.engine), 'utf8')) : manifest;
  const { weight_min: weightMin, weight_max: weightMax } = parsed.scoring;
  const { lists, seconds } = query(bin, indexFile, queriesFile || input);
  return { setting, file: indexFile, index: size, queryTerms: parsed.scoring.query_terms, weightRange: [weightMin, weightMax], postings: postingCount(parsed), bytes: size.raw, gzip: size.gzip, querySeconds: seconds, ...score(corpus, lists, queries) };
}

/** Relevance on the labelled corpus: shipped defaults, unpruned, and the size/P@5 sweep. */
export function relevance({ bin, dir, corpus, sweep }) {
  const input = join(dir, 'relevance-articles.jsonl');
  writeFileSync(input, toJsonl(forIndex(corpus)));
  const run = (setting, name) => measure({ bin, dir, corpus, input, setting, name });
  // As shipped: every default, the layout included (the CLI's auto layout).
  const shipped = run({}, 'shipped');
  const single = shipped.index.layout === 'single' ? shipped : run({ layout: 'single' }, 'single');
  const unpruned = run({ ...cli.unpruned, layout: 'single' }, 'unpruned');
  const nearlyUnpruned = run({ ...cli.nearlyUnpruned, layout: 'single' }, 'nearly-unpruned');
  const curve = [];
  for (const bits of sweep.bits) {
    for (const terms of sweep.terms) curve.push(run({ terms, bits, layout: 'single' }, `t${terms}-b${bits}`));
  }
  // The query-terms dial: fewer terms, a cheaper query (measured on pages later).
  const queryTerms = (sweep.queryTerms || []).map((n) => run({ queryTerms: n, layout: 'clusters' }, `q${n}`));
  const thresholds = shipped.index.layout !== 'single' ? listThresholds(shipped.file, corpus) : null;
  return { articles: corpus.length, identical: identicalBodies(corpus), shipped, single, unpruned, nearlyUnpruned, curve, queryTerms, thresholds };
}
