#!/usr/bin/env node
// One cluster-layout build, measured without the rest of bench/run: its
// wall and CPU time and peak RSS (/usr/bin/time -v), its files, raw and
// gzipped bytes and largest file, and P@5 of both paths (`alike query`, the
// engine path; the stored lists' top 5, the list path). bench/run's
// streamed (1,000,000-article) rows take the same code (lib/streamed.mjs).
//
//   node bench/scale.mjs --count 1m [--queries 200] [--keep]   a synthetic archive, streamed to disk
//   node bench/scale.mjs --corpus FILE                          a labelled corpus, every article queried
//   common: [--bin target/release/alike] [--out bench/out/scale]
//           [--report BENCHMARKS.md]   also write the figures into its own section of the report
//                                      (bench/run keeps it; a run replaces its archive's section)
//
// Prints the figures as JSON and writes them to OUT/scale-NAME.json. The
// index is deleted afterwards unless --keep (a million articles' is over a
// gigabyte); the generated input always is.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { forIndex, labelled, nameOf, parseCount } from './lib/corpus.mjs';
import { cli } from './lib/internals.mjs';
import { indexSizes, listsOf, query, score } from './lib/relevance.mjs';
import { measureStreamed } from './lib/streamed.mjs';
import { commandLine, scaleSection } from './lib/alone-report.mjs';
import { writeSection } from './lib/kept-section.mjs';
import { log, readJsonl, runStamp, timed, toJsonl } from './lib/util.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    count: { type: 'string' },
    corpus: { type: 'string' },
    queries: { type: 'string', default: '200' },
    bin: { type: 'string', default: join(ROOT, 'target/release/alike') },
    out: { type: 'string', default: join(ROOT, 'bench/out/scale') },
    keep: { type: 'boolean', default: false },
    report: { type: 'string' },
  },
});
const stamp = runStamp();
if (!args.count === !args.corpus) throw new Error('give --count N (a synthetic archive) or --corpus FILE (a labelled corpus)');
const bin = resolve(args.bin);
const out = resolve(args.out);
const step = (name, fn) => {
  log(`-- ${name}`);
  const started = Date.now();
  const value = fn();
  log(`   ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return value;
};
const BBC = resolve(ROOT, '../shared/corpora/bbc-news.jsonl');

let figures;
if (args.count) {
  const count = parseCount(args.count, '--count');
  const name = nameOf(count);
  const corpus = labelled(readJsonl(BBC));
  const indexFile = join(out, name, 'index.json');
  rmSync(dirname(indexFile), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  figures = measureStreamed({ bin, corpus, name, count, work: out, indexFile, queries: Number(args.queries), step }).entry;
  // The build's own report (GNU time's -v), as it printed it.
  log(figures.clustersBuild.report);
  if (!args.keep) rmSync(dirname(indexFile), { recursive: true, force: true });
} else {
  // A labelled corpus (BBC): every article through both paths.
  const records = labelled(readJsonl(resolve(args.corpus)));
  const name = basename(args.corpus).replace(/\.jsonl$/, '');
  const dir = join(out, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const input = join(out, `${name}-input.jsonl`);
  writeFileSync(input, toJsonl(forIndex(records)));
  const indexFile = join(dir, 'index.json');
  const build = step(`build: ${name} (clusters)`, () => timed(bin, cli.index(input, indexFile, { layout: 'clusters' })));
  log(build.stderr);
  const clusters = indexSizes(indexFile);
  const engine = step('relevance: engine path', () => query(bin, indexFile, input));
  figures = {
    name,
    articles: records.length,
    clustersBuild: { seconds: build.seconds, userSeconds: build.userSeconds, systemSeconds: build.systemSeconds, maxRss: build.maxRss },
    clusters,
    clustersRelevance: score(records, engine.lists),
    clustersListRelevance: clusters.parts?.l ? score(records, listsOf(indexFile, records.map((r) => r.url))) : undefined,
  };
  rmSync(input);
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
}
writeFileSync(join(out, `scale-${figures.name}.json`), JSON.stringify(figures, null, 2));
if (args.report) {
  writeSection(resolve(args.report), `scale-${figures.name}`, scaleSection(figures, { stamp, command: commandLine('bench/scale.mjs'), endLoad: runStamp().load }), 'bench/scale.mjs');
  log(`wrote the scale-${figures.name} section of ${args.report}`);
}
const b = figures.clustersBuild;
const c = figures.clusters;
log(
  `${figures.name}: build ${b.seconds.toFixed(1)} s wall, ${b.userSeconds} s user, ${b.systemSeconds} s system, peak RSS ${(b.maxRss / 2 ** 30).toFixed(2)} GiB; ` +
    `${c.files} files, ${(c.raw / 1e6).toFixed(1)} MB raw, ${(c.gzip / 1e6).toFixed(1)} MB gzip, largest ${c.largest?.path} ${(c.largest?.raw / 1e3).toFixed(1)} KB raw; ` +
    `P@5 engine ${figures.clustersRelevance.p5.toFixed(4)} (${figures.clustersRelevance.queries} queries), lists ${figures.clustersListRelevance?.p5?.toFixed(4) ?? '-'}`,
);
console.log(JSON.stringify(figures));
