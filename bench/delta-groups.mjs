#!/usr/bin/env node
// What a page not in the index reads of the segments' delta files with a
// two-level table's delta groups by cell and by runs of clusters (a study
// for issue 16: after incremental builds at 1,000,000 articles the delta
// files, one a cell and segment as builds before 2026-12-03 made them, grew
// what such a page reads; builds now make runs, `delta.group_clusters`).
//
//   node bench/delta-groups.mjs --index DIR/index.json --new NEW.jsonl --every N
//        --queries QUERIES.jsonl [--groups 4,8,16,32] [--bin BIN]
//        [--report BENCHMARKS.md --name NAME]
//
// NEW.jsonl: every Nth article added since the index's base (its last full
// build). Each is routed as the build routes a new article: to the cluster
// its own query reads first (`alike query --files`), counted N times. Each
// of QUERIES (pages not in the index) reads its two clusters' groups: as
// the index groups them, its own delta files (measured, every segment's
// articles together), then by cell and by runs of G consecutive clusters
// (clusters are numbered cell by cell), from the routed sample. Prints, per grouping, the new
// articles a query reads (median and mean) and its delta files a segment.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { commandLine } from './lib/alone-report.mjs';
import { filesRead } from './lib/churn.mjs';
import { writeSection } from './lib/kept-section.mjs';
import { median, runStamp } from './lib/util.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    index: { type: 'string' },
    new: { type: 'string' },
    every: { type: 'string', default: '1' },
    queries: { type: 'string' },
    groups: { type: 'string', default: '4,8,16,32' },
    bin: { type: 'string', default: join(ROOT, 'target/release/alike') },
    // Also write the table into its own section of this report, named delta-groups-NAME.
    report: { type: 'string' },
    name: { type: 'string', default: 'index' },
  },
});
if (!args.index || !args.new || !args.queries) throw new Error('give --index, --new and --queries');
const every = Number(args.every);
const dir = dirname(resolve(args.index));
const manifest = JSON.parse(readFileSync(args.index, 'utf8'));
if (!manifest.delta) throw new Error(`${args.index} has no segments: build it incrementally first`);
const hex = (n) => n.toString(16);
const stamp = runStamp();

// The clusters each article's query reads, in the order it reads them.
const clustersRead = (file) =>
  filesRead(args.bin, args.index, file).map((files) => files.filter((f) => f.startsWith('c/')).map((f) => parseInt(f.slice(2), 16)));

// The base's cells: the first cluster of each, in order.
if (!existsSync(join(dir, 'k'))) throw new Error(`${args.index} is not a two-level table (no cell files): delta files are grouped by cell only there`);
const cells = readdirSync(join(dir, 'k'))
  .filter((f) => f.endsWith(`-${hex(manifest.generation)}.json`))
  .map((f) => JSON.parse(readFileSync(join(dir, 'k', f), 'utf8')))
  .map((c) => ({ cell: Number(c.cell), first: Number(c.first_cluster), count: Number(c.clusters.count) }))
  .sort((a, b) => a.first - b.first);
if (!cells.length) throw new Error(`${args.index} is not a two-level table (no cell files)`);
const clusters = cells.reduce((n, c) => n + c.count, 0);
const cellOf = (cluster) => {
  let i = cells.length - 1;
  while (cells[i].first > cluster) i--;
  return cells[i].cell;
};

// How the index groups its delta files: runs of `group_clusters`, or (0) cells.
const own = Number(manifest.delta.group_clusters);
const ownGroup = own > 0 ? (c) => Math.floor(c / own) : cellOf;
const ownName = own > 0 ? `runs of ${own} clusters` : 'cells';
// Every segment's delta articles, by the index's own groups (its files).
const byOwn = new Map();
for (const generation of [manifest.delta.generation, ...(manifest.delta.newer || [])]) {
  for (const f of readdirSync(join(dir, 'd')).filter((name) => name.endsWith(`-${hex(generation)}.json`))) {
    const group = parseInt(f, 16);
    const articles = JSON.parse(readFileSync(join(dir, 'd', f), 'utf8')).articles.url.length;
    byOwn.set(group, (byOwn.get(group) || 0) + articles);
  }
}
const since = [...byOwn.values()].reduce((a, b) => a + b, 0);
const routed = clustersRead(args.new).map((read) => read[0]);
const queries = clustersRead(args.queries).map((read) => read.slice(0, 2));

function reads(groupOf, count) {
  const articles = [];
  const files = [];
  for (const q of queries) {
    const groups = new Set(q.map(groupOf));
    articles.push([...groups].reduce((n, g) => n + (count.get(g) || 0), 0));
    files.push(groups.size);
  }
  return { median: median(articles), mean: articles.reduce((a, b) => a + b, 0) / articles.length, files: files.reduce((a, b) => a + b, 0) / files.length };
}

const articles = JSON.parse(readFileSync(join(dir, `e-${hex(manifest.generation)}.json`), 'utf8')).scoring.articles;
const lines = [];
const say = (line) => {
  console.log(line);
  lines.push(line);
};
say(`${args.index}: ${articles} articles in ${clusters} clusters (a query's two: about ${Math.round((2 * articles) / clusters)}) in ${cells.length} cells; ${since} articles since the base in delta files; ${routed.length} of them routed (x${every}); ${queries.length} queries`);
say('| Delta groups | Groups a segment | New articles a query reads (median; mean) | Delta files a segment |');
say('| --- | ---: | ---: | ---: |');
const row = (name, groups, r) => say(`| ${name} | ${groups} | ${Math.round(r.median)}; ${Math.round(r.mean)} | ${r.files.toFixed(2)} |`);
const groupsOf = (size) => (size > 0 ? Math.ceil(clusters / size) : cells.length);
row(`${ownName} (the index as built, measured)`, groupsOf(own), reads(ownGroup, byOwn));
// The routed sample's new articles by group, each counted `every` times.
const routedBy = (groupOf) => {
  const count = new Map();
  for (const c of routed) count.set(groupOf(c), (count.get(groupOf(c)) || 0) + every);
  return count;
};
row(`${ownName} (from the routed sample: checks the routing)`, groupsOf(own), reads(ownGroup, routedBy(ownGroup)));
if (own > 0) row('cells', cells.length, reads(cellOf, routedBy(cellOf)));
for (const g of args.groups.split(',').map(Number).filter((g) => g !== own)) {
  const runOf = (c) => Math.floor(c / g);
  row(`runs of ${g} clusters`, Math.ceil(clusters / g), reads(runOf, routedBy(runOf)));
}

if (args.report) {
  const [head, ...table] = lines;
  const text = [
    `## Delta files grouped by runs of clusters: ${args.name}`,
    '',
    `Measured ${stamp.date} at ${stamp.commit} by \`${commandLine('bench/delta-groups.mjs')}\`. ${head}. A page not in the index reads, in every segment, the delta files of its two clusters' groups; this index's groups are ${ownName}. The new articles are routed as the build routes them (to the cluster their own query reads first), and the index's own delta files check that routing; the other groupings are what they would make of the same articles (not built: a study).`,
    '',
    ...table,
  ].join('\n');
  writeSection(resolve(args.report), `delta-groups-${args.name}`, text, 'bench/delta-groups.mjs');
}
