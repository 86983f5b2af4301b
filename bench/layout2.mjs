// The cluster layout's engine path, measured with the engine itself
// (pkg/, the wasm the browser runs) over an index on disk: for each query,
// the files the engine asks for step by step and their gzip -9 bodies, plus
// the list file the shim tries first; and P@5 when the corpus has labels.
// No browser and no HTTP headers: `bench/run` measures the widget's
// transfers; this counts what the layout makes each query fetch.
//
//   node bench/layout2.mjs --index DIR/index.json --queries FILE.jsonl [--corpus LABELLED.jsonl | --synthetic] [--every N]
//                          [--cells-read N] [--clusters-read N]
//
// `--synthetic`: the index is a synthetic archive (bench/lib/corpus.mjs), each
// article's label read from its URL (bench/synthetic-jsonl.mjs writes one).
//
// `engine`, `cells` and `clusters` split the engine path's own reads (the
// engine file, the cell files k/, the cluster files c/ and an incremental
// build's delta files d/; gzip -9 bodies): median and p90 over the
// queries, and their sum per query (`engineCellsClusters`).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { listFile, urlKey } from '../www/lib/lists.js';
import { syntheticLabel } from './lib/corpus.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { index: { type: 'string' }, queries: { type: 'string' }, corpus: { type: 'string' }, every: { type: 'string', default: '1' }, synthetic: { type: 'boolean', default: false }, 'cells-read': { type: 'string' }, 'clusters-read': { type: 'string' }, pkg: { type: 'string', default: join(ROOT, 'pkg') } } });
const glue = await import(pathToFileURL(join(values.pkg, 'alike.js')).href);
glue.initSync({ module: readFileSync(join(values.pkg, 'alike_bg.wasm')) });

const dir = dirname(values.index);
const gz = new Map();
const gzipped = (path) => gz.get(path) ?? gz.set(path, gzipSync(readFileSync(join(dir, path)), { level: 9 }).length).get(path);
// `--cells-read N` and `--clusters-read N` set the `probes` a two-level
// index's engine file and cell files carry, as a build would write them, to
// sweep them without rebuilding (bytes stay those of the files on disk:
// the same but for that digit).
const probes = { e: values['cells-read'], k: values['clusters-read'] };
const read = (path) => {
  const json = JSON.parse(readFileSync(join(dir, path), 'utf8'));
  const set = path.startsWith('k/') ? probes.k : /^e-[0-9a-f]+\.json$/.test(path) ? probes.e : undefined;
  if (set !== undefined) json.clusters.probes = Number(set);
  return json;
};
const lines = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

const manifest = read('index.json');
if (manifest.version !== 2) throw new Error(`${values.index} is not the cluster layout`);
const queries = lines(values.queries).filter((_, i) => i % Number(values.every) === 0);
const label = values.synthetic ? { get: syntheticLabel } : values.corpus ? new Map(lines(values.corpus).map((r) => [r.url, r.label])) : null;

const perQuery = [];
let hits = 0;
for (const q of queries) {
  // A fresh engine per query: each page load starts cold.
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
  if (label) hits += step.related.filter((r) => label.get(r.url) === label.get(q.url)).length;
  const sum = (fs) => fs.reduce((total, f) => total + gzipped(f), 0);
  const cells = files.filter((f) => f.startsWith('k/'));
  const clusters = files.filter((f) => f.startsWith('c/') || f.startsWith('d/'));
  perQuery.push({
    requests: files.length,
    bytes: sum(files),
    clusters: clusters.length,
    cells: cells.length,
    rounds,
    split: { engine: gzipped(manifest.engine), cells: sum(cells), clusters: sum(clusters), engineCellsClusters: gzipped(manifest.engine) + sum(cells) + sum(clusters) },
  });
  engine.free();
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const p90 = (xs) => xs.sort((a, b) => a - b)[Math.ceil(0.9 * xs.length) - 1];
const split = Object.fromEntries(
  Object.keys(perQuery[0].split).map((part) => [part, { median: median(perQuery.map((q) => q.split[part])), p90: p90(perQuery.map((q) => q.split[part])) }]),
);
console.log(
  JSON.stringify({
    queries: queries.length,
    indexRequests: median(perQuery.map((q) => q.requests)),
    indexBytes: median(perQuery.map((q) => q.bytes)),
    clustersRead: median(perQuery.map((q) => q.clusters)),
    cellsRead: median(perQuery.map((q) => q.cells)),
    ...split,
    engineRounds: Math.max(...perQuery.map((q) => q.rounds)),
    engineFileBytes: gzipped(manifest.engine),
    manifestBytes: gzipped('index.json'),
    p5: label ? +(hits / (5 * queries.length)).toFixed(4) : null,
  }),
);
