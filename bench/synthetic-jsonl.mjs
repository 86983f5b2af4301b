// A synthetic archive as the JSON Lines `alike index` reads, and the
// articles spread over it that bench/run scores (the same generator, seed
// and spread rule: `writeSynthetic`, `spreadAt`), with their labels, for
// bench/layout2.mjs's --queries and --corpus. For studies of the cluster
// layout at 100,000 and 1,000,000 articles without a whole bench run.
//
//   node bench/synthetic-jsonl.mjs --count 100k --out DIR [--queries 1000] [--corpus FILE]
//
// Writes DIR/<name>.jsonl (the archive) and DIR/<name>-queries.jsonl.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { labelled, nameOf, parseCount, syntheticPosition, writeSynthetic } from './lib/corpus.mjs';
import { spreadAt } from './lib/streamed.mjs';
import { readJsonl, toJsonl } from './lib/util.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { count: { type: 'string' }, out: { type: 'string' }, queries: { type: 'string', default: '1000' }, corpus: { type: 'string', default: resolve(ROOT, '../shared/corpora/bbc-news.jsonl') } } });
const count = parseCount(values.count, '--count');
const name = nameOf(count);
mkdirSync(values.out, { recursive: true });
const sampleAt = spreadAt(count, Number(values.queries));
const made = writeSynthetic(labelled(readJsonl(values.corpus)), count, join(values.out, `${name}.jsonl`), { keep: (i) => sampleAt.has(i) });
const sample = made.kept.filter((r) => sampleAt.has(syntheticPosition(r)));
writeFileSync(join(values.out, `${name}-queries.jsonl`), toJsonl(sample));
console.log(JSON.stringify({ name, articles: made.articles, bytes: made.bytes, queries: sample.length }));
