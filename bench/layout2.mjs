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
import { fileURLToPath } from 'node:url';

import { syntheticLabel } from './lib/corpus.mjs';
import { engineReads, loadEngine } from './lib/engine-reads.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { index: { type: 'string' }, queries: { type: 'string' }, corpus: { type: 'string' }, every: { type: 'string', default: '1' }, synthetic: { type: 'boolean', default: false }, 'cells-read': { type: 'string' }, 'clusters-read': { type: 'string' }, pkg: { type: 'string', default: join(ROOT, 'pkg') } } });
const lines = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const queries = lines(values.queries).filter((_, i) => i % Number(values.every) === 0);
const labels = values.corpus ? new Map(lines(values.corpus).map((r) => [r.url, r.label])) : null;
const labelOf = values.synthetic ? syntheticLabel : labels ? (url) => labels.get(url) : undefined;
const glue = await loadEngine(values.pkg);
console.log(JSON.stringify(engineReads(glue, values.index, queries, { labelOf, cellsRead: values['cells-read'], clustersRead: values['clusters-read'] })));
