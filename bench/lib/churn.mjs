// What a rebuild rewrites (issue 16): an archive built without its last
// articles, then with them into the same folder, against the same articles
// built afresh. Used by bench/main.mjs (the churn table) and bench/churn.mjs
// (the step on its own, with relevance on both paths); its helpers by
// bench/prune.mjs and bench/churn-study.mjs.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { forIndex, labelled, synthetic } from './corpus.mjs';
import { cli } from './internals.mjs';
import { listFile, urlKey } from '../../www/lib/lists.js';
import { fileKind } from './relevance.mjs';
import { eachJsonFile, gzipBytes, median, readJsonl, toJsonl } from './util.mjs';

/** The command-line options of the rebuild-series scripts (bench/prune.mjs, bench/churn-study.mjs). */
export const seriesOptions = (root) => ({
  corpus: { type: 'string', default: join(root, '../shared/corpora/bbc-news.jsonl') },
  synthetic: { type: 'string' },
  share: { type: 'string', default: '0.01' },
  rebuilds: { type: 'string', default: '10' },
  out: { type: 'string' },
  bin: { type: 'string', default: join(root, 'target/release/alike') },
});

/**
 * The archive of a series as JSON Lines (the corpus, or the synthetic
 * archive grown from it; no labels) and the articles of one rebuild
 * (`share` of them): the series builds all but the last `rebuilds` days,
 * then one day more at a time.
 */
export function seriesInput({ corpus, synthetic: count, share, rebuilds }) {
  const records = labelled(readJsonl(corpus));
  const lines = toJsonl(forIndex(count ? synthetic(records, Number(count)) : records)).split('\n').filter(Boolean);
  const day = Math.max(1, Math.round(lines.length * Number(share)));
  if (Number(rebuilds) * day >= lines.length) throw new Error(`${rebuilds} rebuilds of ${day} need more than ${lines.length} articles`);
  return { lines, day, rebuilds: Number(rebuilds) };
}

/**
 * path -> content of every index file under `dir` (the JSON files: the
 * widget the CLI writes beside them is the same on every build and is not
 * the index), to see what a rebuild rewrote.
 */
export function snapshot(dir) {
  const files = new Map();
  eachJsonFile(dir, (_, bytes, name) => files.set(name, bytes));
  return files;
}

/**
 * An archive (`layout`: clusters) that gains a `share` more articles: built without its
 * last ones, then rebuilt with all into the same folder. Counts the files
 * (and their gzipped bytes) the rebuild added, changed or removed: what a
 * deploy uploads and what readers' caches lose.
 */
export function rebuildChurn(bin, input, dir, share, layout = 'clusters') {
  const lines = readFileSync(input, 'utf8').split('\n').filter(Boolean);
  const day = Math.max(1, Math.round(lines.length * share));
  const before = join(dir, 'before.jsonl');
  writeFileSync(before, lines.slice(0, -day).join('\n') + '\n');
  const out = join(dir, 'index/index.json');
  rmSync(dirname(out), { recursive: true, force: true });
  mkdirSync(dirname(out), { recursive: true });
  execFileSync(bin, cli.index(before, out, { layout }));
  const old = snapshot(dirname(out));
  execFileSync(bin, cli.index(input, out, { layout }));
  const now = snapshot(dirname(out));
  // Bytes as a server sends them: each file gzipped on its own.
  const gz = (bytes) => gzipBytes(bytes);
  let added = 0;
  let changed = 0;
  let unchanged = 0;
  let rewrittenBytes = 0;
  // Per kind of file: the manifest, the engine file (e), cells (k), clusters (c), related
  // lists (l), and an incremental build's delta (d) and recent-list (r) files.
  const byKind = {};
  const kind = (path) => (byKind[fileKind(path)] ??= { files: 0, rewritten: 0, rewrittenBytes: 0, neededBytes: 0 });
  for (const [path, bytes] of now) {
    const same = old.has(path) && Buffer.compare(old.get(path), bytes) === 0;
    if (same) unchanged++;
    else {
      old.has(path) ? changed++ : added++;
      const g = gz(bytes).length;
      rewrittenBytes += g;
      kind(path).rewritten++;
      kind(path).rewrittenBytes += g;
    }
  }
  const removed = [...old.keys()].filter((path) => !now.has(path)).length;
  // The same articles built afresh: the files the new index really consists of.
  const fresh = join(dir, 'fresh/index.json');
  rmSync(dirname(fresh), { recursive: true, force: true });
  mkdirSync(dirname(fresh), { recursive: true });
  execFileSync(bin, cli.index(input, fresh, { layout }));
  const freshFiles = snapshot(dirname(fresh));
  let neededBytes = 0;
  for (const [path, bytes] of freshFiles) {
    const g = gz(bytes).length;
    neededBytes += g;
    kind(path).files++;
    kind(path).neededBytes += g;
  }
  return { articles: lines.length, day, files: now.size, needed: freshFiles.size, added, changed, removed, unchanged, rewrittenBytes, neededBytes, byKind };
}

/**
 * path -> { hash, gz } of every index file under `dir` (as `snapshot`, but
 * holding a digest and the gzipped size, not the bytes: a million articles'
 * index is over a gigabyte). `gzipped` (hash -> bytes) carries sizes from
 * one call to the next, so an unchanged file is gzipped once.
 */
export function digests(dir, gzipped = new Map()) {
  const files = new Map();
  eachJsonFile(dir, (_, bytes, name) => {
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (!gzipped.has(hash)) gzipped.set(hash, gzipBytes(bytes).length);
    files.set(name, { hash, gz: gzipped.get(hash) });
  });
  return files;
}

/** Calls `each(chunk)` on `file`, a block at a time (files past V8's string limit). */
function blocks(file, each) {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 22);
  try {
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) {
      if (each(buffer.subarray(0, n)) === false) break;
    }
  } finally {
    closeSync(fd);
  }
}

/** The lines of a JSON Lines file (each ends in a newline). */
export function countLines(file) {
  let lines = 0;
  blocks(file, (chunk) => {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
  });
  return lines;
}

/** Writes the first `count` lines of `input` to `file`. */
export function writeHead(input, count, file) {
  const out = openSync(file, 'w');
  let left = count;
  try {
    blocks(input, (chunk) => {
      let end = 0;
      while (left > 0) {
        const i = chunk.indexOf(10, end);
        if (i < 0) break;
        end = i + 1;
        left--;
      }
      writeSync(out, chunk, 0, left > 0 ? chunk.length : end);
      return left > 0;
    });
  } finally {
    closeSync(out);
  }
}

/**
 * `rebuilds` rebuilds in a row, each adding a `share` more articles (of
 * the whole archive) to the folder: the archive built without its last
 * `rebuilds` days, then one day more at a time. Per rebuild: whether the
 * CLI built incrementally, what it rewrote (against the folder before
 * it), the manifest's gzipped size and the files the index holds. Reads
 * `input` a block at a time, so a million articles' JSON Lines will do.
 */
export function rebuildSeries(bin, input, dir, share, rebuilds, layout = 'clusters', { verbose = false, cells, recentLimit, recentBits } = {}) {
  const total = countLines(input);
  const day = Math.max(1, Math.round(total * share));
  if (rebuilds * day >= total) throw new Error(`${rebuilds} rebuilds of ${day} need more than ${total} articles`);
  const out = join(dir, 'series/index.json');
  rmSync(dirname(out), { recursive: true, force: true });
  mkdirSync(dirname(out), { recursive: true });
  const steps = [];
  const gzipped = new Map();
  let old = new Map();
  const part = join(dir, 'series.jsonl');
  for (let i = rebuilds; i >= 0; i--) {
    writeHead(input, total - i * day, part);
    const options = { layout, verbose, cells, recentLimit, recentBits };
    const started = Date.now();
    const run = spawnSync(bin, cli.index(part, out, options).filter((a) => a !== '--quiet'), { encoding: 'utf8', maxBuffer: 1 << 26 });
    const seconds = (Date.now() - started) / 1000;
    if (run.status !== 0) throw new Error(`alike index failed: ${run.stderr}`);
    // What the CLI said of the build: incremental, or full and why.
    const said = run.stderr.split('\n').filter((l) => /incrementally|full build/.test(l)).join(' ') || 'a full build';
    const now = digests(dirname(out), gzipped);
    let rewrittenBytes = 0;
    let rewritten = 0;
    let allBytes = 0;
    const live = new Set(liveFiles(dirname(out)));
    for (const [path, { hash, gz }] of now) {
      if (live.has(path)) allBytes += gz;
      if (old.get(path)?.hash !== hash) {
        rewritten++;
        rewrittenBytes += gz;
      }
    }
    const manifest = readFileSync(join(dirname(out), 'index.json'));
    const parsed = JSON.parse(manifest);
    const segments = parsed.delta ? 1 + (parsed.delta.newer || []).length : 0;
    const step = { articles: total - i * day, said, seconds, rewritten, rewrittenBytes, liveBytes: allBytes, liveFiles: live.size, filesInFolder: now.size, manifestGzip: gzipBytes(manifest).length, segments, lists: indexedLists(parsed, part, now), engine: engineFiles(bin, out, part, now) };
    if (verbose) step.stderr = run.stderr;
    steps.push(step);
    old = now;
  }
  rmSync(part, { force: true });
  return { day, steps };
}

/**
 * What an indexed page's box costs in list files after a build: the
 * shim's list file and its recent file in every set (`www/lib/lists.js`,
 * as the shim reads them; one round trip), as requests and gzipped bytes
 * (`digests`' sizes), medians over up to 200 pages spread over `input`
 * (the build's JSON Lines), their 90th percentiles (`p90`) and the most
 * (`most`): the recent sets' filters spare most pages their files, not
 * all. Null without lists.
 */
function indexedLists(manifest, input, digests) {
  const requests = [];
  const bytes = [];
  for (const url of sampledUrls(input, 200)) {
    const where = listFile(manifest, urlKey(url));
    if (!where) return null;
    const paths = [where.path, ...(where.recent || []).map((r) => r.path)];
    requests.push(paths.length);
    bytes.push(paths.reduce((sum, path) => sum + (digests.get(path)?.gz ?? 0), 0));
  }
  const quantile = (values, q) => values.slice().sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];
  return { pages: bytes.length, requests: median(requests), bytes: median(bytes), p90: { requests: quantile(requests, 0.9), bytes: quantile(bytes, 0.9) }, most: { requests: Math.max(...requests), bytes: Math.max(...bytes) } };
}

/**
 * What a page's box costs on the engine path after a build, in the index's
 * files beyond the manifest and the engine file (cell, cluster and delta
 * files: `alike query --files`, which loads the index afresh for each
 * article, as a page does): medians over 40 articles spread over `input`
 * (the build's JSON Lines; a page not in the index reads as one of them
 * does), of the files, of the delta files among them, and of their
 * gzipped bytes (`digests`' sizes). Null for a single-file index.
 */
function engineFiles(bin, manifest, input, digests) {
  const records = sampledLines(input, 40);
  if (!records.length) return null;
  const queries = join(dirname(manifest), '..', 'engine-queries.jsonl');
  writeFileSync(queries, records.join('\n') + '\n');
  let answers;
  try {
    answers = filesRead(bin, manifest, queries);
  } finally {
    rmSync(queries, { force: true });
  }
  if (answers.some((files) => !files)) return null;
  const bytes = (files) => files.reduce((sum, path) => sum + (digests.get(path)?.gz ?? 0), 0);
  return {
    pages: answers.length,
    files: median(answers.map((f) => f.length)),
    delta: median(answers.map((f) => f.filter((path) => path.startsWith('d/')).length)),
    bytes: median(answers.map(bytes)),
    deltaBytes: median(answers.map((f) => bytes(f.filter((path) => path.startsWith('d/'))))),
  };
}

/**
 * The index files each article of the JSON Lines `queries` read, in the
 * order read (`alike query --files`, the index loaded afresh for each, as
 * a page does); undefined for an index in one file.
 */
export function filesRead(bin, manifest, queries) {
  const run = spawnSync(bin, ['query', '--files', '--index', manifest, queries], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`alike query failed: ${run.stderr}`);
  return run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).files);
}

/** The URLs of about `count` records spread over a JSON Lines file, read a block at a time. */
function sampledUrls(file, count) {
  return sampledLines(file, count).map((line) => JSON.parse(line).url);
}

/** About `count` lines spread over a file, read a block at a time. */
function sampledLines(file, count) {
  const every = Math.max(1, Math.floor(countLines(file) / count));
  const lines = [];
  let line = 0;
  let rest = Buffer.alloc(0);
  blocks(file, (chunk) => {
    let start = 0;
    for (let end = chunk.indexOf(10); end >= 0; end = chunk.indexOf(10, start)) {
      if (line % every === 0) lines.push(Buffer.concat([rest, chunk.subarray(start, end)]).toString('utf8'));
      rest = Buffer.alloc(0);
      start = end + 1;
      line++;
    }
    // The chunk's buffer is reused: keep a copy of the line it cut.
    rest = Buffer.concat([rest, chunk.subarray(start)]);
  });
  return lines;
}

/**
 * The files of the index whose manifest is in `dir` (what a reader may
 * fetch; `Manifest::names` in src/manifest.rs), by path; the folder's other
 * files are earlier builds'. Follows
 * docs/index-format.md: cells and clusters carry the engine file's
 * generation, lists the manifest's, deltas and recent lists the delta's.
 */
export function liveFiles(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const engine = JSON.parse(readFileSync(join(dir, manifest.engine), 'utf8'));
  // Every segment's delta and recent files (docs/index-format.md: `delta.newer`).
  const segments = manifest.delta ? [manifest.delta.generation, ...(manifest.delta.newer || [])] : [];
  const generationsOf = { c: [engine.generation], k: [engine.generation], l: [manifest.generation], d: segments, r: segments };
  const files = ['index.json', manifest.engine];
  for (const name of readdirSync(dir, { recursive: true })) {
    const m = /^([ckldr])\/[0-9a-f]+-([0-9a-f]+)\.json$/.exec(String(name));
    if (m && generationsOf[m[1]].some((g) => g.toString(16) === m[2])) files.push(String(name));
  }
  return files;
}
