// What the cluster layout's engine path makes a query fetch, measured with
// the engine itself (the wasm of pkg/, as the browser runs it) over an index
// on disk: per query, the list file the shim tries first, the engine file,
// and the cell and cluster files the engine asks for step by step, each
// counted as its gzip -9 body (no HTTP headers, no JavaScript: bench/run
// measures the widget's transfers); and P@5 when `labelOf` is given.
// bench/layout2.mjs and bench/layout-front.mjs print it.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

import { listFile, urlKey } from '../../www/lib/lists.js';
import { median, quantile } from './util.mjs';

/** The wasm engine of `pkg` (the folder wasm-pack writes), ready to run in Node. */
export async function loadEngine(pkg) {
  const glue = await import(pathToFileURL(join(pkg, 'alike.js')).href);
  glue.initSync({ module: readFileSync(join(pkg, 'alike_bg.wasm')) });
  return glue;
}

const p90 = (xs) => quantile(xs, 0.9);

/**
 * `queries` (records with url, title, body) through the engine path of the
 * index at `indexFile`, each with a fresh engine (a page load starts cold).
 * `cellsRead` and `clustersRead` set the `probes` a two-level index's
 * engine file and cell files carry, as a build would write them, to sweep
 * them without rebuilding (bytes stay those of the files on disk). Returns
 * medians (and p90s of the split: `engine`, `cells`, `clusters` with delta
 * files, and their sum; the bytes' mean and p90 too), P@5 (null without
 * `labelOf`) and, with `exact` (each query's URL to the URLs an exhaustive
 * search ranks first), the share of those the engine path found.
 */
export function engineReads(glue, indexFile, queries, { labelOf, exact, cellsRead, clustersRead } = {}) {
  const dir = dirname(indexFile);
  const gz = new Map();
  const gzipped = (path) => gz.get(path) ?? gz.set(path, gzipSync(readFileSync(join(dir, path)), { level: 9 }).length).get(path);
  const probes = { e: cellsRead, k: clustersRead };
  const read = (path) => {
    const json = JSON.parse(readFileSync(join(dir, path), 'utf8'));
    const set = path.startsWith('k/') ? probes.k : /^e-[0-9a-f]+\.json$/.test(path) ? probes.e : undefined;
    if (set !== undefined) json.clusters.probes = Number(set);
    return json;
  };
  const manifest = read('index.json');
  if (manifest.version !== 2) throw new Error(`${indexFile} is not the cluster layout`);
  const perQuery = [];
  let hits = 0;
  let [found, wanted] = [0, 0];
  for (const q of queries) {
    const engine = new glue.Engine(read(manifest.engine));
    const files = ['index.json'];
    const where = listFile(manifest, urlKey(q.url, 'https://example.com/'));
    if (where) files.push(where.path);
    files.push(manifest.engine);
    let step = engine.start({ url: q.url, title: q.title, body: q.body }, { k: 5 });
    let rounds = 0;
    while (step.need) {
      rounds++;
      for (const path of step.need) {
        files.push(path);
        engine.add(path, read(path));
      }
      step = engine.resume();
    }
    if (labelOf) hits += step.related.filter((r) => labelOf(r.url) === labelOf(q.url)).length;
    if (exact) {
      const best = exact.get(q.url) ?? [];
      found += step.related.filter((r) => best.includes(r.url)).length;
      wanted += best.length;
    }
    const sum = (fs) => fs.reduce((total, f) => total + gzipped(f), 0);
    const cells = files.filter((f) => f.startsWith('k/'));
    const clusters = files.filter((f) => f.startsWith('c/') || f.startsWith('d/'));
    perQuery.push({
      requests: files.length,
      bytes: sum(files),
      clusters: clusters.length,
      cells: cells.length,
      rounds,
      split: { list: where ? gzipped(where.path) : 0, engine: gzipped(manifest.engine), cells: sum(cells), clusters: sum(clusters), engineCellsClusters: gzipped(manifest.engine) + sum(cells) + sum(clusters) },
    });
    engine.free();
  }
  const split = Object.fromEntries(
    Object.keys(perQuery[0].split).map((part) => [part, { median: median(perQuery.map((q) => q.split[part])), p90: p90(perQuery.map((q) => q.split[part])) }]),
  );
  return {
    queries: queries.length,
    indexRequests: median(perQuery.map((q) => q.requests)),
    indexBytes: median(perQuery.map((q) => q.bytes)),
    indexMean: perQuery.reduce((total, q) => total + q.bytes, 0) / perQuery.length,
    indexP90: p90(perQuery.map((q) => q.bytes)),
    clustersRead: median(perQuery.map((q) => q.clusters)),
    cellsRead: median(perQuery.map((q) => q.cells)),
    ...split,
    engineRounds: Math.max(...perQuery.map((q) => q.rounds)),
    engineFileBytes: gzipped(manifest.engine),
    manifestBytes: gzipped('index.json'),
    p5: labelOf ? +(hits / (5 * queries.length)).toFixed(4) : null,
    recall: exact ? +(found / Math.max(wanted, 1)).toFixed(4) : null,
  };
}
