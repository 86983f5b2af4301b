#!/usr/bin/env node
// Files in a cluster index's folder through rebuilds in a row (issue 16):
// the archive built without its last `--rebuilds` days of `--share` each,
// then one day more at a time into the same folder, once as `alike index`
// does by default (old files removed) and once with `--keep-old-files`.
// Prints, per step, the files in each folder, the files the step's
// manifest names (what a reader may fetch) and the old files the build
// said it removed.
//
//   node bench/prune.mjs [--corpus FILE] [--synthetic N] [--share 0.01]
//                        [--rebuilds 10] [--out DIR]
//
// Writes DIR/prune.json; the folders are deleted after (pass --keep to keep them).

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { liveFiles, seriesInput, seriesOptions } from './lib/churn.mjs';
import { cli } from './lib/internals.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const { values: args } = parseArgs({
  options: {
    ...seriesOptions(ROOT),
    keep: { type: 'boolean', default: false },
  },
});

const name = args.synthetic ? `synthetic-${args.synthetic}` : 'corpus';
const out = resolve(args.out || join(HERE, 'out', `prune-${name}`));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const { lines, day, rebuilds } = seriesInput({ ...args, corpus: resolve(args.corpus) });

/** Every file under `dir`, by path relative to it. */
const filesIn = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

const runs = { pruned: [], kept: [] };
const started = Date.now();
for (let i = rebuilds; i >= 0; i--) {
  const part = join(out, 'articles.jsonl');
  writeFileSync(part, lines.slice(0, lines.length - i * day).join('\n') + '\n');
  for (const [which, extra] of [['pruned', []], ['kept', ['--keep-old-files']]]) {
    const index = join(out, which, 'index.json');
    const run = spawnSync(args.bin, [...cli.index(part, index, { layout: 'clusters' }).filter((a) => a !== '--quiet'), '--no-widget', ...extra], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`alike index failed: ${run.stderr}`);
    const removed = Number(/, (\d+) old files removed/.exec(run.stderr)?.[1] ?? 0);
    const incremental = /incrementally/.test(run.stderr);
    runs[which].push({ articles: lines.length - i * day, incremental, files: filesIn(dirname(index)), named: liveFiles(dirname(index)).length, removed });
  }
}
const seconds = (Date.now() - started) / 1000;
const load = readFileSync('/proc/loadavg', 'utf8').trim();
writeFileSync(join(out, 'prune.json'), JSON.stringify({ name, articles: lines.length, day, rebuilds, seconds, load, runs }, null, 2) + '\n');
if (!args.keep) for (const which of Object.keys(runs)) rmSync(join(out, which), { recursive: true, force: true });
rmSync(join(out, 'articles.jsonl'), { force: true });

console.log(`${name}: ${lines.length} articles, ${rebuilds} rebuilds of ${day}, ${seconds.toFixed(0)} s, load ${load}`);
console.log('step | articles | build | files named | in the folder (default) | removed | in the folder (--keep-old-files)');
for (const [i, step] of runs.pruned.entries()) {
  const kept = runs.kept[i];
  console.log(`${i ? `rebuild ${i}` : 'base'} | ${step.articles} | ${step.incremental ? 'incremental' : 'full'} | ${step.named} | ${step.files} | ${step.removed} | ${kept.files}`);
}
