#!/usr/bin/env node
// Small sites' engine path (issue 16: "the default for small sites is the
// fast one"): random subsets of a labelled corpus, of a few hundred to a
// few thousand articles, each built in clusters with every --setting, and
// every article of a subset asked for at a URL its index does not hold, as
// a page published since the build. Per setting: clusters, what that page
// reads of the index (manifest, engine file, clusters: gzip -9 bodies, as
// bench/lib/engine-reads.mjs counts them with the wasm engine itself) and
// P@5 by label. Up to ONE_CLUSTER_UP_TO articles (`src/cluster.rs`) the
// default is one cluster, which a page not in the index reads whole.
//
//   node bench/small-sites.mjs [--corpus FILE] [--sizes 150,333,1000]
//        [--seeds 3] [--setting 'NAME=FLAGS' ...] [--snippet-chars 160]
//        [--bin BIN] [--pkg DIR] [--out DIR] [--report BENCHMARKS.md]
//
// FLAGS are `alike index --layout clusters` flags (`default=` for none);
// --snippet-chars is given to every build (the demo's 160 by default: the
// box there shows snippets, and they are most of a cluster file's bytes).

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';

import { commandLine } from './lib/alone-report.mjs';
import { forDemo, labelled } from './lib/corpus.mjs';
import { engineReads, loadEngine } from './lib/engine-reads.mjs';
import { writeSection } from './lib/kept-section.mjs';
import { log, median, prng, readJsonl, runStamp, toJsonl } from './lib/util.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: resolve(ROOT, '../shared/corpora/bbc-news.jsonl') },
    sizes: { type: 'string', default: '150,250,333,500,1000' },
    seeds: { type: 'string', default: '3' },
    setting: { type: 'string', multiple: true, default: ['default=', 'clusters of 70=--cluster-size 70', 'clusters of 50=--cluster-size 50'] },
    'snippet-chars': { type: 'string', default: '160' },
    bin: { type: 'string', default: join(ROOT, 'target/release/alike') },
    pkg: { type: 'string', default: join(ROOT, 'pkg') },
    out: { type: 'string', default: join(ROOT, 'bench/out/small-sites') },
    report: { type: 'string' },
  },
});
const settings = args.setting.map((text) => {
  const at = text.indexOf('=');
  if (at < 1) throw new Error(`--setting ${text}: expected NAME=FLAGS`);
  const flags = text.slice(at + 1).trim();
  return { name: text.slice(0, at), flags: flags ? flags.split(/\s+/) : [] };
});
const sizes = args.sizes.split(',').map(Number);
const seeds = Number(args.seeds);
const corpus = labelled(readJsonl(args.corpus));
if (sizes.some((n) => !(n > 0 && n <= corpus.length))) throw new Error(`--sizes: each from 1 to the corpus's ${corpus.length}`);
const labelOf = new Map(corpus.map((r) => [r.url, r.label]));
const fresh = (url) => `/fresh${url}`;
const label = (url) => labelOf.get(url.startsWith('/fresh/') ? url.slice(6) : url);

/** `n` articles of the corpus drawn with `seed` (a partial Fisher-Yates shuffle). */
function subset(n, seed) {
  const random = prng(seed);
  const order = corpus.map((_, i) => i);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (order.length - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, n).map((i) => corpus[i]);
}

/**
 * Each query's top 5 by an exhaustive search (`alike query` on the subset
 * as one file, which scores every article), built once a subset: what the
 * clusters a query reads should hold.
 */
function exactTop(dir, input, queries) {
  const file = join(dir, 'exact.json');
  try {
    return new Map(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    const single = join(dir, 'single', 'index.json');
    execFileSync(args.bin, ['index', input, '--out', single, '--layout', 'single', '--no-widget', '--quiet', '--snippet-chars', args['snippet-chars']]);
    const asked = join(dir, 'queries.jsonl');
    writeFileSync(asked, toJsonl(queries.map(({ url, title, body }) => ({ url, title, body }))));
    const out = execFileSync(args.bin, ['query', '--index', single, '--k', '5', asked], { maxBuffer: 1 << 28 }).toString();
    const top = out.trim().split('\n').map((line) => JSON.parse(line)).map((a) => [a.url, a.related.map((r) => r.url)]);
    writeFileSync(file, JSON.stringify(top));
    return new Map(top);
  }
}

const glue = await loadEngine(args.pkg);
const stamp = runStamp();
const rows = [];
rmSync(args.out, { recursive: true, force: true });
for (const n of sizes) {
  for (const setting of settings) {
    const runs = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const records = subset(n, seed);
      const dir = join(args.out, `${n}-${seed}`);
      mkdirSync(dir, { recursive: true });
      const input = join(dir, 'articles.jsonl');
      writeFileSync(input, toJsonl(forDemo(records)));
      const indexFile = join(dir, 'index', 'index.json');
      rmSync(dirname(indexFile), { recursive: true, force: true });
      execFileSync(args.bin, ['index', input, '--out', indexFile, '--layout', 'clusters', '--no-widget', '--quiet', '--snippet-chars', args['snippet-chars'], ...setting.flags]);
      // Each article at a URL the index does not hold; its own copy in the index is never shown.
      const queries = records.map((r) => ({ ...r, url: fresh(r.url) }));
      const reads = engineReads(glue, indexFile, queries, { labelOf: label, exact: exactTop(dir, input, queries) });
      const engineFile = JSON.parse(readFileSync(indexFile, 'utf8')).engine;
      const clusters = JSON.parse(readFileSync(join(dirname(indexFile), engineFile), 'utf8')).clusters.count;
      runs.push({ reads, clusters });
    }
    const row = {
      articles: n,
      setting: setting.name,
      flags: setting.flags.join(' '),
      clusters: median(runs.map((r) => r.clusters)),
      indexBytes: median(runs.map((r) => r.reads.indexBytes)),
      indexMean: runs.reduce((sum, r) => sum + r.reads.indexMean, 0) / runs.length,
      indexP90: median(runs.map((r) => r.reads.indexP90)),
      clusterBytes: median(runs.map((r) => r.reads.clusters.median)),
      p5: runs.reduce((sum, r) => sum + r.reads.p5, 0) / runs.length,
      p5s: runs.map((r) => r.reads.p5),
      recall: runs.reduce((sum, r) => sum + r.reads.recall, 0) / runs.length,
    };
    rows.push(row);
    log(`${n} articles, ${setting.name}: ${row.clusters} clusters, index read ${(row.indexBytes / 1000).toFixed(1)} KB (mean ${(row.indexMean / 1000).toFixed(1)}, p90 ${(row.indexP90 / 1000).toFixed(1)}; clusters ${(row.clusterBytes / 1000).toFixed(1)} KB), P@5 ${row.p5.toFixed(4)} (${row.p5s.join(', ')}), exhaustive top 5 found ${row.recall.toFixed(4)}`);
  }
}
writeFileSync(join(args.out, 'small-sites.json'), JSON.stringify({ ...stamp, rows }, null, 1));

if (args.report) {
  const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
  const table = [
    '| Articles | Setting | Clusters | Index files read (median): all; of them clusters | Index files read: mean; 90th percentile | P@5 (mean of the seeds; each) | Exhaustive top 5 found |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.articles.toLocaleString('en-US')} | ${r.setting}${r.flags ? ` (\`${r.flags}\`)` : ''} | ${r.clusters} | ${kb(r.indexBytes)}; ${kb(r.clusterBytes)} | ${kb(r.indexMean)}; ${kb(r.indexP90)} | ${r.p5.toFixed(4)} (${r.p5s.map((p) => p.toFixed(3)).join(', ')}) | ${r.recall.toFixed(3)} |`),
  ];
  const text = [
    "## Small sites' engine path: one cluster or several",
    '',
    `Measured ${stamp.date} at ${stamp.commit} by \`${commandLine('bench/small-sites.mjs')}\` (load average ${stamp.load} at the start, ${stamp.cores} cores). For each size, ${seeds} random subsets of \`${args.corpus.replace(/^.*\//, '')}\` (seeds 1-${seeds}), each built with \`alike index --layout clusters --snippet-chars ${args['snippet-chars']}\` and the setting's flags; every article of a subset asked for at a URL its index does not hold (a page published since the build: the manifest's filter spares the list file), through the wasm engine in Node over the files on disk (\`bench/lib/engine-reads.mjs\`): the manifest, the engine file and the clusters read, gzip -9 bodies without headers; P@5 by the corpus's label. Medians and 90th percentiles are over a subset's articles, then the seeds' median; the mean is over every article of every seed (a page's expected read, which a few large clusters raise more than the median shows). "Exhaustive top 5 found": of the 5 that \`alike query\` ranks first on the same subset as one file (every article scored; the minimum score may leave fewer), the share the engine path on the clusters returned, mean of the seeds. The widget's JavaScript, wasm and headers come on top (bench/run measures them).`,
    '',
    ...table,
  ].join('\n');
  writeSection(resolve(args.report), 'small-sites', text, 'bench/small-sites.mjs');
  log(`wrote the small-sites section of ${args.report}`);
}
