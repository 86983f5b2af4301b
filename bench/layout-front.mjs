#!/usr/bin/env node
// The cluster layout's settings against each other on one synthetic
// archive: what each costs in files (the hosts' limits), what a page not in
// the index downloads of the index (the engine path: the list file it
// misses, the engine file, cells and clusters), what an indexed page's list
// file weighs, and P@5 of both paths. Issue 16's budgets pull against each
// other at 1,000,000 articles; this is the front they are chosen on.
//
//   node bench/layout-front.mjs --count 1m --setting 'NAME=FLAGS' ... [--sweep 'NAME=CELLS,CLUSTERS[@SETTING]' ...]
//        [--queries 1000] [--out DIR] [--bin BIN] [--pkg DIR] [--report BENCHMARKS.md]
//        [--measured 'ENGINE_KB,INDEXED_KB'] [--tag TAG]
//   node bench/layout-front.mjs --from OUT/layout-front-NAME.json --report BENCHMARKS.md [--tag TAG]
//
// Each --setting is `alike index --layout clusters` with FLAGS (the first
// one is the baseline; `default=` for none), built into OUT, measured, then
// deleted. Each --sweep reads a setting's index (the first, or the
// SETTING-th from 1) with another number of cells or clusters per query (`--cells-read`/`--clusters-read` of
// bench/layout2.mjs: the probes its files carry, set as a build would),
// without rebuilding. --measured gives bench/run's browser figures for the
// baseline (the engine path with issue 15's 40 KB wasm, the indexed path, in
// KB): the rest of what a page downloads (JavaScript, wasm, headers) is
// taken as theirs less the baseline's index bytes here, and each row is
// estimated from its own index bytes. --from writes the report of a run's
// saved result again, building nothing; --tag names the report's section
// `layout-front-NAME-TAG`, beside earlier runs' (without: `layout-front-NAME`).

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { commandLine } from './lib/alone-report.mjs';
import { forIndex, labelled, nameOf, parseCount, syntheticLabel, syntheticPosition, writeSynthetic } from './lib/corpus.mjs';
import { engineReads, loadEngine } from './lib/engine-reads.mjs';
import { cli } from './lib/internals.mjs';
import { writeSection } from './lib/kept-section.mjs';
import { indexSizes, listsOf, query, score } from './lib/relevance.mjs';
import { spreadAt } from './lib/streamed.mjs';
import { log, readJsonl, runStamp, timed, toJsonl } from './lib/util.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    count: { type: 'string' },
    setting: { type: 'string', multiple: true },
    sweep: { type: 'string', multiple: true, default: [] },
    queries: { type: 'string', default: '1000' },
    corpus: { type: 'string', default: resolve(ROOT, '../shared/corpora/bbc-news.jsonl') },
    bin: { type: 'string', default: join(ROOT, 'target/release/alike') },
    pkg: { type: 'string', default: join(ROOT, 'pkg') },
    out: { type: 'string', default: join(ROOT, 'bench/out/front') },
    measured: { type: 'string' },
    report: { type: 'string' },
    from: { type: 'string' },
    tag: { type: 'string' },
  },
});
if (!args.from && (!args.count || !args.setting?.length)) throw new Error("give --count N and at least one --setting 'NAME=FLAGS'");
const named = (text, option) => {
  const at = text.indexOf('=');
  if (at < 1) throw new Error(`${option} ${text}: expected NAME=VALUE`);
  return [text.slice(0, at), text.slice(at + 1).trim()];
};
const settings = (args.setting ?? []).map((s) => named(s, '--setting')).map(([name, flags]) => ({ name, flags: flags ? flags.split(/\s+/) : [] }));
const sweeps = args.sweep.map((s) => named(s, '--sweep')).map(([name, v]) => {
  const [counts, of = '1'] = v.split('@');
  const [cells, clusters] = counts.split(',').map((x) => (x.trim() ? Number(x) : undefined));
  return { name, cells, clusters, setting: Number(of) - 1 };
});
const result = args.from ? JSON.parse(readFileSync(resolve(args.from), 'utf8')) : await measure();
const section = `layout-front-${result.name}${args.tag ? `-${args.tag}` : ''}`;
if (args.report) {
  writeSection(resolve(args.report), section, frontSection(result), 'bench/layout-front.mjs');
  log(`wrote the ${section} section of ${args.report}`);
}

/** Builds the archive once per setting and measures each; the result is also saved in OUT. */
async function measure() {
  const measured = args.measured?.split(',').map(Number);
  const stamp = runStamp();
  const bin = resolve(args.bin);
  const out = resolve(args.out);
  const count = parseCount(args.count, '--count');
  const name = nameOf(count);
  mkdirSync(out, { recursive: true });

  // One archive for every setting, and the articles spread over it that both
  // paths are scored on.
  const input = join(out, `${name}.jsonl`);
  const sampleAt = spreadAt(count, Number(args.queries));
  log(`-- generate ${name} into ${input}`);
  const made = writeSynthetic(labelled(readJsonl(resolve(args.corpus))), count, input, { keep: (i) => sampleAt.has(i) });
  // Labelled, for scoring; the queries' file has no labels, as the index's input.
  const sample = made.kept.filter((r) => sampleAt.has(syntheticPosition(r)));
  const sampleFile = join(out, `${name}-queries.jsonl`);
  writeFileSync(sampleFile, toJsonl(forIndex(sample)));
  const glue = await loadEngine(resolve(args.pkg));
  const labelOf = syntheticLabel;

  const rows = [];
  try {
    for (const [i, setting] of settings.entries()) {
      const indexFile = join(out, `${name}-${i}`, 'index.json');
      rmSync(dirname(indexFile), { recursive: true, force: true });
      log(`-- ${setting.name}: alike index --layout clusters ${setting.flags.join(' ')}`);
      const build = timed(bin, [...cli.index(input, indexFile, { layout: 'clusters' }), '--no-widget', ...setting.flags]);
      const files = indexSizes(indexFile);
      const engine = score(null, query(bin, indexFile, sampleFile).lists, sample, { labelOf });
      const lists = files.parts?.l ? score(null, listsOf(indexFile, sample.map((q) => q.url)), sample, { labelOf }) : undefined;
      const reads = engineReads(glue, indexFile, sample, { labelOf });
      const row = { ...setting, build: { seconds: build.seconds, userSeconds: build.userSeconds, maxRss: build.maxRss }, files, p5: engine.p5, listP5: lists?.p5, reads };
      rows.push(row);
      log(`   ${files.files} files, ${(files.gzip / 1e6).toFixed(1)} MB gzip; engine path ${reads.indexRequests} index files, ${(reads.indexBytes / 1e3).toFixed(1)} KB; list file ${(reads.list.median / 1e3).toFixed(1)} KB; P@5 ${engine.p5.toFixed(4)} / ${lists?.p5?.toFixed(4)}`);
      for (const sweep of sweeps.filter((w) => w.setting === i)) {
        const swept = engineReads(glue, indexFile, sample, { labelOf, cellsRead: sweep.cells, clustersRead: sweep.clusters });
        rows.push({ name: `${setting.name}, ${sweep.name}`, flags: setting.flags, sweep, files, reads: swept, p5: swept.p5, listP5: lists?.p5 });
        log(`   ${sweep.name}: ${(swept.indexBytes / 1e3).toFixed(1)} KB, P@5 ${swept.p5}`);
      }
      rmSync(dirname(indexFile), { recursive: true, force: true });
    }
  } finally {
    rmSync(input, { force: true });
  }
  const result = { name, articles: count, queries: sample.length, stamp, command: commandLine('bench/layout-front.mjs'), measured, rows };
  writeFileSync(join(out, `layout-front-${name}.json`), JSON.stringify(result, null, 2));
  return result;
}

function frontSection({ name, articles, queries, stamp, command, measured, rows }) {
  const int = (n) => Math.round(n).toLocaleString('en-US');
  const kb = (bytes) => `${(bytes / 1e3).toFixed(1)} KB`;
  const base = rows[0];
  // The rest of a page's download (JavaScript, the 40 KB wasm, headers), from bench/run's baseline.
  const rest = measured && { engine: measured[0] * 1e3 - base.reads.indexBytes, indexed: measured[1] * 1e3 - base.reads.list.median - base.reads.manifestBytes };
  const head = ['Setting', 'Files', 'Gzip, all files', 'Engine path: index files read', 'of them: list file (missed), engine file, cells, clusters', 'Indexed path: list file', 'P@5, engine path', 'P@5, stored lists', 'Build (wall; peak RSS)'];
  if (rest) head.splice(6, 0, 'Estimated first box, engine path (40 KB wasm) / indexed path');
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i ? '---:' : '---')).join(' | ')} |`];
  for (const r of rows) {
    const s = r.reads;
    const cells = [
      `${r.name}${r.flags.length ? ` (\`${r.flags.join(' ')}\`)` : ''}`,
      int(r.files.files),
      `${(r.files.gzip / 1e6).toFixed(1)} MB`,
      `${s.indexRequests}; ${kb(s.indexBytes)}`,
      `${kb(s.list.median)}, ${kb(s.engine.median)}, ${s.cellsRead} × ${kb(s.cells.median / Math.max(1, s.cellsRead))}, ${s.clustersRead} × ${kb(s.clusters.median / Math.max(1, s.clustersRead))}`,
      kb(s.list.median),
      r.p5 == null ? '–' : r.p5.toFixed(4),
      r.listP5 == null ? '–' : r.listP5.toFixed(4),
      r.sweep ? '(the same build)' : `${(r.build.seconds / 60).toFixed(1)} min; ${(r.build.maxRss / 2 ** 30).toFixed(2)} GiB`,
    ];
    if (rest) cells.splice(6, 0, `${kb(rest.engine + s.indexBytes)} / ${kb(rest.indexed + s.list.median + s.manifestBytes)}`);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const title = name.replace('synthetic-', 'synthetic ').replace(/(\d+)m$/, (_, n) => int(n * 1e6)).replace(/(\d+)k$/, (_, n) => int(n * 1e3));
  return [
    // A tagged run sits beside the untagged one: its date tells them apart.
    `## The front of the layout's settings: ${title}${args.tag ? `, ${stamp.date.slice(0, 10)}` : ''}`,
    '',
    `Measured ${stamp.date} at ${stamp.commit} by \`${command}\` (load average ${stamp.load} at the start, ${stamp.cores} cores). One synthetic archive of ${int(articles)} articles, built once per setting with \`alike index --layout clusters\` and the flags named (every other setting the CLI's default), its files counted and gzipped (-9, file by file); ${int(queries)} articles spread over it asked for 5 related articles on both paths (\`alike query\`, the engine path; the stored lists' top 5). The engine path's reads are the wasm engine's own requests, run in Node over the files on disk (\`bench/lib/engine-reads.mjs\`, as \`bench/layout2.mjs\`): per article, the list file its URL hashes to (which a page not in the index fetches and misses; an indexed page's own), the engine file, the cell files and the cluster files, gzip bodies without headers, medians (so the parts need not add up to the total). A row with a read count in its name is the setting before it read with the engine file's and cell files' probes set to it, as a build would write them, without rebuilding.${rest ? ` The estimated first box adds to a row's index bytes what bench/run measured in Chromium for the first setting beyond them (engine path: ${measured[0]} KB with issue 15's 40 KB wasm, of which ${kb(base.reads.indexBytes)} index files here, so ${kb(rest.engine)} of JavaScript, wasm and headers; indexed path: ${measured[1]} KB, of which ${kb(base.reads.list.median + base.reads.manifestBytes)} list file and manifest): an estimate, not a measurement.` : ''}`,
    '',
    ...lines,
  ].join('\n');
}
