// The cluster layout's engine path, measured with the engine itself
// (pkg/, the wasm the browser runs) over an index on disk: for each query,
// the files the engine asks for step by step and their gzip -9 bodies, plus
// the list file the shim tries first; and P@5 when the corpus has labels.
// No browser and no HTTP headers: `bench/run` measures the widget's
// transfers; this counts what the layout makes each query fetch.
//
//   node bench/layout2.mjs --index DIR/index.json --queries FILE.jsonl [--corpus LABELLED.jsonl] [--every N]

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { listFile, urlKey } from '../www/lib/lists.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { index: { type: 'string' }, queries: { type: 'string' }, corpus: { type: 'string' }, every: { type: 'string', default: '1' }, pkg: { type: 'string', default: join(ROOT, 'pkg') } } });
const glue = await import(pathToFileURL(join(values.pkg, 'alike.js')).href);
glue.initSync({ module: readFileSync(join(values.pkg, 'alike_bg.wasm')) });

const dir = dirname(values.index);
const gz = new Map();
const gzipped = (path) => gz.get(path) ?? gz.set(path, gzipSync(readFileSync(join(dir, path)), { level: 9 }).length).get(path);
const read = (path) => JSON.parse(readFileSync(join(dir, path), 'utf8'));
const lines = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

const manifest = read('index.json');
if (manifest.version !== 2) throw new Error(`${values.index} is not the cluster layout`);
const queries = lines(values.queries).filter((_, i) => i % Number(values.every) === 0);
const label = values.corpus ? new Map(lines(values.corpus).map((r) => [r.url, r.label])) : null;

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
  perQuery.push({ requests: files.length, bytes: files.reduce((sum, f) => sum + gzipped(f), 0), clusters: files.filter((f) => f.startsWith('c/')).length, rounds });
  engine.free();
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(
  JSON.stringify({
    queries: queries.length,
    indexRequests: median(perQuery.map((q) => q.requests)),
    indexBytes: median(perQuery.map((q) => q.bytes)),
    clustersRead: median(perQuery.map((q) => q.clusters)),
    engineRounds: Math.max(...perQuery.map((q) => q.rounds)),
    engineFileBytes: gzipped(manifest.engine),
    manifestBytes: gzipped('index.json'),
    p5: label ? +(hits / (5 * queries.length)).toFixed(4) : null,
  }),
);
