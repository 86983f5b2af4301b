// Archives too large to hold in memory (1,000,000 articles): written to
// disk as they are generated, built once with the CLI's defaults (the
// cluster layout, `--layout auto` past 10,000 articles) under
// /usr/bin/time, their files measured, and P@5 of both paths read on a
// sample. One home for bench/run's streamed rows and bench/scale.mjs.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { forIndex, syntheticLabel, syntheticPosition, writeSynthetic } from './corpus.mjs';
import { cli } from './internals.mjs';
import { indexSizes, listsOf, query, score } from './relevance.mjs';
import { clock, fileBytes, timed, toJsonl } from './util.mjs';

/** `n` evenly spread positions among `count` (the same rule as `spread`). */
export const spreadAt = (count, n) => new Set(Array.from({ length: Math.min(n, count) }, (_, i) => Math.floor((i * count) / Math.min(n, count))));

/**
 * Generates the synthetic archive of `count` articles from `corpus` into
 * `work`, builds it into `indexFile` (`--layout clusters`, every other
 * setting the CLI's default), deletes the input, and measures: the build's
 * wall, user and system seconds and peak RSS; the index's files, raw and
 * gzipped bytes, largest file (`writeGz` leaves each file's .gz beside it
 * for the server); P@5 of `alike query` (the engine path, the browser's
 * code) and of the stored lists' top 5 (the list path) on `queries`
 * articles spread over the archive. Also returns the articles at `pages`
 * spread positions, for article pages. `step(name, fn)` reports progress.
 */
export function measureStreamed({ bin, corpus, name, count, work, indexFile, queries, pages = 0, writeGz = false, step = (_, fn) => fn() }) {
  const input = join(work, `${name}.jsonl`);
  const pageAt = spreadAt(count, pages);
  const sampleAt = spreadAt(count, queries);
  const made = step(`generate ${name} (streamed to ${input})`, () => clock(() => writeSynthetic(corpus, count, input, { keep: (i) => pageAt.has(i) || sampleAt.has(i) })));
  const kept = made.value.kept;
  const sample = kept.filter((r) => sampleAt.has(syntheticPosition(r)));
  mkdirSync(dirname(indexFile), { recursive: true });
  const bytes = fileBytes(input);
  let build;
  try {
    build = step(`build: ${name} (clusters)`, () => timed(bin, cli.index(input, indexFile, { layout: 'clusters', verbose: true })));
  } finally {
    rmSync(input, { force: true });
  }
  const clusters = step(`index files: ${name}`, () => indexSizes(indexFile, { writeGz }));
  const sampleFile = join(work, `${name}-queries.jsonl`);
  writeFileSync(sampleFile, toJsonl(forIndex(sample)));
  const engine = step(`relevance: ${name} (engine path, ${sample.length} queries)`, () => query(bin, indexFile, sampleFile));
  rmSync(sampleFile, { force: true });
  const labelOf = syntheticLabel;
  const lists = clusters.parts?.l ? step(`relevance: ${name} (stored lists)`, () => score(null, listsOf(indexFile, sample.map((q) => q.url)), sample, { labelOf })) : undefined;
  return {
    pages: kept.filter((r) => pageAt.has(syntheticPosition(r))),
    entry: {
      name,
      articles: count,
      generateSeconds: made.seconds,
      clustersBuild: {
        articles: count,
        inputBytes: bytes,
        seconds: build.seconds,
        userSeconds: build.userSeconds,
        systemSeconds: build.systemSeconds,
        samples: [build.seconds],
        maxRss: build.maxRss,
        articlesPerSecond: count / build.seconds,
        mbPerSecond: bytes / 1e6 / build.seconds,
        // What the build printed to stderr (each step's time and memory,
        // `--verbose`), /usr/bin/time -v's report last.
        report: build.stderr,
      },
      clusters,
      clustersRelevance: { ...score(null, engine.lists, sample, { labelOf }), seconds: engine.seconds },
      clustersListRelevance: lists,
    },
  };
}
