#!/usr/bin/env node
// The inputs bench/rank-identity.sh builds: BBC without its labels, and
// synthetic archives (the generator bench/scale.mjs streams), as the JSON
// Lines `alike index` reads.
//
//   node bench/rank-inputs.mjs DIR [COUNT...]   writes DIR/bbc.jsonl and DIR/synthetic-<count>.jsonl

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { forIndex, labelled, nameOf, writeSynthetic } from './lib/corpus.mjs';
import { readJsonl, toJsonl } from './lib/util.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [dir, ...counts] = process.argv.slice(2);
if (!dir) throw new Error('usage: node bench/rank-inputs.mjs DIR [COUNT...]');
mkdirSync(dir, { recursive: true });
const corpus = labelled(readJsonl(resolve(ROOT, '../shared/corpora/bbc-news.jsonl')));
writeFileSync(join(dir, 'bbc.jsonl'), toJsonl(forIndex(corpus)));
for (const count of counts.map(Number)) writeSynthetic(corpus, count, join(dir, `${nameOf(count)}.jsonl`));
