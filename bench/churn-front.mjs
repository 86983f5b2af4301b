#!/usr/bin/env node
// The trade-off of recent lists, side by side: rebuild series that
// bench/churn.mjs ran (`--rebuilds N`, each with its own `--recent-limit`,
// or an older alike that had none), summarised per series: how often a
// build went whole, what the rebuilds rewrote, and what an indexed page's
// list files cost at worst. Reads each series' DIR/churn.json; prints the
// table, and with --report FILE writes it into FILE's `churn-front`
// section (bench/run keeps it).
//
//   node bench/churn-front.mjs --run 'none (before)=DIR' --run 2=DIR --run 1=DIR [--report BENCHMARKS.md]

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { commandLine } from './lib/alone-report.mjs';
import { writeSection } from './lib/kept-section.mjs';
import { runStamp } from './lib/util.mjs';

const { values: args } = parseArgs({ options: { run: { type: 'string', multiple: true }, report: { type: 'string' } } });
if (!args.run?.length) throw new Error('usage: node bench/churn-front.mjs --run LABEL=DIR ... [--report FILE]');

const kb = (bytes) => `${(bytes / 1e3).toFixed(1)} KB`;
const pct = (x) => `${(100 * x).toFixed(1)}%`;
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One series' row: its rebuilds (the first build left out), as the CLI built each. */
export function frontRow(label, result) {
  const rebuilds = result.series.steps.slice(1);
  const share = (s) => s.rewrittenBytes / s.liveBytes;
  const full = rebuilds.filter((s) => /full build/.test(s.said));
  const incremental = rebuilds.filter((s) => !/full build/.test(s.said));
  const worst = rebuilds.reduce((w, s) => (s.lists.bytes > w.lists.bytes ? s : w));
  const last = rebuilds.at(-1);
  return [
    label,
    `${full.length} of ${rebuilds.length}`,
    incremental.length ? `${pct(mean(incremental.map(share)))}; ${pct(Math.max(...incremental.map(share)))}` : '–',
    pct(mean(rebuilds.map(share))),
    `${worst.lists.requests}; ${kb(worst.lists.bytes)}`,
    `${last.lists.requests}; ${kb(last.lists.bytes)}`,
    Math.max(...rebuilds.map((s) => s.filesInFolder)).toLocaleString('en-US'),
  ];
}

const runs = args.run.map((run) => {
  const at = run.indexOf('=');
  const dir = resolve(run.slice(at + 1));
  return { label: run.slice(0, at), dir, result: JSON.parse(readFileSync(join(dir, 'churn.json'), 'utf8')) };
});
const first = runs[0].result;
const rows = runs.map(({ label, result }) => frontRow(label, result));
const table = [
  '| Recent limit (`--recent-limit`) | Rebuilds that went whole | Incremental rebuilds rewrote (mean; worst) | Every rebuild rewrote, mean | An indexed page\'s list files at worst (requests; gzip) | … after the last rebuild | Files in the folder, most |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
console.log(table);

if (args.report) {
  const stamp = runStamp();
  const day = first.series.day;
  const markdown = [
    `## The front of recent lists: ${first.series.steps.length - 1} rebuilds of ${(100 * first.share).toFixed(0)}% at ${first.articles.toLocaleString('en-US')} articles, by recent limit`,
    '',
    `Written ${stamp.date} at ${stamp.commit} by \`${commandLine('bench/churn-front.mjs')}\` from the series that \`bench/churn.mjs --rebuilds\` wrote into ${runs.map((r) => `\`${r.dir}\``).join(', ')} (a day: ${day.toLocaleString('en-US')} articles; the series as a whole, build by build, is the section above for the default). Each incremental build adds a set of recent-list files, and every indexed page reads a file of each set (the same round trip as its list file); past the limit (how many times its list file's bytes an indexed page reads of them) the next build with new articles builds whole. A full build rewrites the whole index, and the folder keeps the replaced build's files one build more (for readers of the manifest it replaced), hence the most files. Ten rebuilds are a window on a cycle: the mean of every rebuild depends on where the full builds fall in it.`,
    '',
    table,
  ].join('\n');
  writeSection(resolve(args.report), `churn-front-${first.name}`, markdown, 'bench/churn-front.mjs');
}
