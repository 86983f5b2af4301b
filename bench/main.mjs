#!/usr/bin/env node
// The benchmark run behind bench/run: measures, writes results.json, then
// renders the report. Every figure in the report comes from this run.
//
//   node bench/main.mjs [--quick] [--corpus FILE] [--out DIR] [--runs N] [--report FILE]
//                       [--sizes 20k,100k,1m] [--no-million] [--pages N] [--keep]
//   node bench/main.mjs --render bench/out/full/results.json [--report FILE]

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { byGroup, canServeHttp2, CHROMIUM, contextRequests, firstBox, heap, launch, network, precompress, serve, sum, wasmMemory, widgetTotals } from './lib/browser.mjs';
import { rebuildChurn } from './lib/churn.mjs';
import { controls } from './lib/controls.mjs';
import { engineEquality } from './lib/equality.mjs';
import { forDemo, forIndex, labelled, nameOf, parseCount, spread, synthetic } from './lib/corpus.mjs';
import { cli, expectedPath, shimFetchCap, shimReadsLists, tookPath } from './lib/internals.mjs';
import { CONTROL_MS, LONG_TASK_MS, freshCopies, mainThreadWork, summarize as summarizeMainThread } from './lib/longtasks.mjs';
import { measurePages, writePages, writeSiteParts } from './lib/pages.mjs';
import { indexSizes, listsOf, query, relevance, score, singlePostings } from './lib/relevance.mjs';
import { measureStreamed } from './lib/streamed.mjs';
import { render } from './lib/report.mjs';
import { keepReaderSection } from './lib/reader-report.mjs';
import { keepSection, sectionNames } from './lib/kept-section.mjs';
import { clock, fileBytes, log, machine, median, p95, readJsonl, sizes, timed, toJsonl } from './lib/util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    corpus: { type: 'string' },
    out: { type: 'string' },
    runs: { type: 'string' },
    report: { type: 'string' },
    // Synthetic archive sizes (20k, 100k, 1m or plain counts); the largest ones are streamed to disk.
    sizes: { type: 'string' },
    'no-million': { type: 'boolean', default: false },
    // Article pages per archive for the first box (clusters; single files get --runs of them).
    pages: { type: 'string' },
    // Keep the streamed archives' input and index under --out (several GB at 1,000,000 articles).
    keep: { type: 'boolean', default: false },
    // Re-renders the report from a run's results.json (after editing lib/report.mjs); measures nothing.
    render: { type: 'string' },
  },
});
const quick = args.quick;
const given = (path) => resolve(process.env.BENCH_CWD || process.cwd(), path);
const OUT = args.out ? given(args.out) : join(HERE, 'out', quick ? 'quick' : 'full');
const CORPUS = args.corpus ? given(args.corpus) : quick ? join(ROOT, 'data/bbc-sample/articles.jsonl') : resolve(ROOT, '../shared/corpora/bbc-news.jsonl');
const REPORT = args.report ? given(args.report) : quick ? join(OUT, 'BENCHMARKS.md') : join(ROOT, 'BENCHMARKS.md');
// bench/run copies the CLI and pkg/ here as soon as they are built, so that
// a rebuild by someone else during the run cannot change what is measured.
const BUILD = process.env.BENCH_BUILD ? resolve(ROOT, process.env.BENCH_BUILD) : null;
const BIN = BUILD ? join(BUILD, 'alike') : join(ROOT, 'target/release/alike');
const PKG = BUILD ? join(BUILD, 'pkg') : join(ROOT, 'pkg');

/**
 * The synthetic archives: those up to `inMemory` articles are held in
 * memory and go through every measurement (the engine page and its peers,
 * single file and clusters); larger ones are written to disk as they are
 * generated, built once (clusters, the CLI's defaults) and measured on
 * article pages: a single file of them is not built.
 */
function archivePlan(defaults, inMemory) {
  let counts = args.sizes ? args.sizes.split(',').filter((t) => t.trim()).map((t) => parseCount(t, '--sizes')) : defaults;
  if (args['no-million']) counts = counts.filter((n) => n < 1e6);
  counts = [...new Set(counts)].sort((a, b) => a - b);
  const archives = counts.filter((n) => n <= inMemory).map((count) => ({ name: nameOf(count), count }));
  if (!archives.length) throw new Error(`--sizes needs at least one archive of at most ${inMemory.toLocaleString('en-US')} articles (the engine page and the build-speed row use it)`);
  return { archives, streamed: counts.filter((n) => n > inMemory).map((count) => ({ name: nameOf(count), count })) };
}

/** Everything that differs between the full run and the quick one. */
const PLAN = quick
  ? {
      runs: Number(args.runs || 1),
      sweep: { terms: [10, 30], bits: [1, 2], queryTerms: [40] },
      // 5k stands in for the million: streamed to disk, built once, article pages only.
      ...archivePlan([1000, 3000, 5000], 3000),
      queries: { corpus: 20, synthetic: 20, relevance: 50, clusters: 20 },
      pages: Number(args.pages || 2),
      engineRuns: 1,
      natural: { queries: 5, maxArticles: 5000 },
      buildRuns: { corpus: 1, large: 1 },
      // Issue 6: what a rebuild rewrites when 1% more articles come in.
      dayShare: 0.01,
      rttMs: 40,
      // Issue 15: the widget's long tasks, per path, at these CPU slow-downs (CDP).
      cpuRates: [1, 4],
    }
  : {
      runs: Number(args.runs || 5),
      sweep: { terms: [10, 15, 20, 25, 30, 40, 60], bits: [1, 2, 3, 4], queryTerms: [40, 80, 100] },
      ...archivePlan([20000, 100000, 1000000], 100000),
      queries: { corpus: 300, synthetic: 200, relevance: 1000, clusters: 60 },
      // Article pages per archive for the first box, each in a cold context.
      pages: Number(args.pages || 20),
      engineRuns: Math.min(3, Number(args.runs || 3)),
      // natural keeps every document as a JS object of counts and rescans
      // them all per query: at 100,000 articles that is gigabytes of heap.
      natural: { queries: 30, maxArticles: 20000 },
      // One timed build of the largest archive: at 100,000 it is the cluster
      // layout (minutes), and the cluster rows build it once more.
      buildRuns: { corpus: 5, large: 1 },
      // Issue 6: what a rebuild rewrites when 1% more articles come in (a
      // busy news day on a small archive), at the end of the archive.
      dayShare: 0.01,
      // A reader a continent away from the server.
      rttMs: 40,
      // Issue 15: the widget's long tasks, per path, at its own speed and with the CPU slowed 4 times (a mid-range phone).
      cpuRates: [1, 4],
    };

const results = { mode: quick ? 'quick' : 'full', corpusPath: relative(ROOT, CORPUS), outDir: relative(ROOT, OUT), plan: PLAN, cliDefaults: { largeArchive: cli.largeArchive }, notes: [] };
const note = (text) => {
  log(text);
  results.notes.push(text);
};

function step(name, fn) {
  log(`-- ${name}`);
  const started = Date.now();
  const value = fn();
  const done = (v) => {
    log(`   ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return v;
  };
  return value instanceof Promise ? value.then(done) : done(value);
}

// ---------------------------------------------------------------------------
// The engine package: pkg/ as scripts/build-wasm.sh left it, if it works

async function enginePackage(indexFile, article) {
  const check = async (dir) => {
    const glue = await import(pathToFileURL(join(dir, 'alike.js')).href + `?${Date.now()}`);
    glue.initSync({ module: readFileSync(join(dir, 'alike_bg.wasm')) });
    const engine = new glue.Engine(JSON.parse(readFileSync(indexFile, 'utf8')));
    const related = engine.start({ url: article.url, title: article.title, body: article.body }, { k: 1 }).related;
    if (related.length !== 1) throw new Error(`asked for 1 related article, got ${related.length}`);
  };
  try {
    await check(PKG);
    return { dir: PKG, source: `pkg/ as built by scripts/build-wasm.sh${BUILD ? ' (copied the moment it was built)' : ''}` };
  } catch (error) {
    // Debian 12's wasm-opt (binaryen 108) breaks wasm-bindgen's table setup.
    // Measure what the script means to ship: the same build without its
    // wasm-opt, then -Oz by a pinned newer binaryen from bench/node_modules.
    const fallback = join(OUT, 'pkg');
    rmSync(fallback, { recursive: true, force: true });
    execFileSync('wasm-pack', ['--quiet', 'build', '--target', 'web', '--profile', 'wasm', '--out-dir', fallback, '--no-pack', '--no-opt', '--', '--no-default-features', '--features', 'english'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const unoptimized = sizes(join(fallback, 'alike_bg.wasm'));
    const wasmOpt = join(HERE, 'node_modules/.bin/wasm-opt');
    execFileSync(wasmOpt, ['-Oz', join(fallback, 'alike_bg.wasm'), '-o', join(fallback, 'alike_bg.wasm')]);
    const version = execFileSync(wasmOpt, ['--version'], { encoding: 'utf8' }).trim();
    await check(fallback);
    note(
      `pkg/ from scripts/build-wasm.sh does not work (${error.message.split('\n')[0]}); measured instead: the same wasm-pack build with --no-opt, then \`wasm-opt -Oz\` from ${version} (npm binaryen, bench/package.json). Without wasm-opt the wasm is ${unoptimized.raw} bytes, ${unoptimized.gzip} gzipped.`,
    );
    return { dir: fallback, source: `bench fallback: wasm-pack --no-opt + ${version} -Oz`, brokenPkg: error.message.split('\n')[0], unoptimized };
  }
}

// ---------------------------------------------------------------------------

async function main() {
  if (!existsSync(CORPUS)) throw new Error(`no corpus at ${CORPUS}; pass --corpus FILE (JSON Lines with url, title, body and label or section)`);
  for (const [path, hint] of [[BIN, 'cargo build --release'], [CHROMIUM, 'bash scripts/setup.sh']]) {
    if (!existsSync(path)) throw new Error(`missing ${path}: run \`${hint}\` first`);
  }
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const work = join(OUT, 'work');
  mkdirSync(work, { recursive: true });
  // scripts/build-wasm.sh runs npm's binaryen when the root package has it, else Debian's.
  const projectWasmOpt = join(ROOT, 'node_modules/.bin/wasm-opt');
  results.machine = machine({ chromium: CHROMIUM, wasmOpt: existsSync(projectWasmOpt) ? projectWasmOpt : 'wasm-opt' });
  const runStarted = Date.now();
  // Other people's work on a shared machine shows here: trust a run with a high load less.
  results.load = { start: loadavg()[0] };
  const loadTimer = setInterval(() => (results.load.max = Math.max(results.load.max || 0, loadavg()[0])), 5000);
  loadTimer.unref();

  const corpus = labelled(readJsonl(CORPUS));
  results.corpus = { articles: corpus.length, labels: [...new Set(corpus.map((r) => r.label))].sort() };
  log(`${corpus.length} articles from ${CORPUS}; results in ${OUT}`);

  // Relevance: the shipped index, the unpruned engine, the size curve.
  results.relevance = step('relevance (alike index + alike query over every article)', () => relevance({ bin: BIN, dir: work, corpus, sweep: PLAN.sweep }));
  // Issue 14's controls: the engine's minimum score, the section fallback, the fallback's bytes.
  results.controls = step('controls (alike query with and without the minimum score, with the fallback)', () =>
    controls({ bin: BIN, dir: work, corpus, input: join(work, 'relevance-articles.jsonl'), single: results.relevance.single.file }),
  );

  // scikit-learn, when its venv is there (bench/run installs it in full mode).
  const python = join(HERE, '.venv/bin/python');
  if (existsSync(python)) {
    results.sklearn = step('scikit-learn TfidfVectorizer', () => {
      const out = execFileSync(python, [join(HERE, 'sklearn_peer.py'), CORPUS, String(PLAN.runs)], { encoding: 'utf8' });
      const r = JSON.parse(out);
      return { ...r, fitMedian: median(r.fitSeconds) };
    });
  } else note('scikit-learn not measured: no bench/.venv (quick mode does not install it; the full run does)');

  // The engine package the browser loads.
  // The default settings in one file: what the engine page and the file-size table load.
  const shippedIndex = results.relevance.single.file;
  const pkg = await step('engine package', () => enginePackage(shippedIndex, corpus[0]));
  results.engine = { source: pkg.source, brokenPkg: pkg.brokenPkg, unoptimized: pkg.unoptimized };
  // Issue 15: the wasm answers as the CLI does, over every article of the corpus.
  results.equality = await step('engine equality: the wasm against `alike query`, every corpus article', () =>
    engineEquality({ bin: BIN, pkgDir: pkg.dir, indexFile: shippedIndex, corpus, dir: work }),
  );
  if (results.equality.differing) note(`the wasm and \`alike query\` differ on ${results.equality.differing} of ${results.equality.articles} articles (${results.equality.examples[0].url}: ${results.equality.examples[0].why})`);
  // Where the wasm's bytes go, by the project's own script when the tree has one (issue 15).
  results.wasmSize = step('wasm size breakdown (scripts/wasm-size.sh)', () => wasmSizeReport());

  // Build speed and memory: the corpus, and the largest synthetic archive.
  const relevanceInput = join(work, 'relevance-articles.jsonl');
  const buildBench = (input, runs, out = join(work, 'build-bench/index.json')) => {
    rmSync(dirname(out), { recursive: true, force: true });
    mkdirSync(dirname(out), { recursive: true });
    const samples = Array.from({ length: runs }, () => timed(BIN, cli.index(input, out)));
    const seconds = median(samples.map((s) => s.seconds));
    const bytes = fileBytes(input);
    const articles = readFileSync(input, 'utf8').split('\n').filter(Boolean).length;
    return { articles, inputBytes: bytes, seconds, samples: samples.map((s) => s.seconds), maxRss: Math.max(...samples.map((s) => s.maxRss)), articlesPerSecond: articles / seconds, mbPerSecond: bytes / 1e6 / seconds };
  };
  results.build = { corpus: step('build speed: corpus', () => buildBench(relevanceInput, PLAN.buildRuns.corpus)) };

  // Synthetic archives, their indexes and their relevance on a sample of queries.
  const www = join(OUT, 'www');
  mkdirSync(join(www, 'bench'), { recursive: true });
  const archives = [{ name: 'corpus', count: corpus.length, records: corpus }];
  for (const a of PLAN.archives) archives.push({ ...a, records: step(`generate ${a.name}`, () => synthetic(corpus, a.count)) });
  results.archives = [];
  for (const [i, a] of archives.entries()) {
    const dir = join(www, 'data', a.name);
    mkdirSync(dir, { recursive: true });
    const input = a.name === 'corpus' ? relevanceInput : join(work, `${a.name}.jsonl`);
    if (a.name !== 'corpus') writeFileSync(input, toJsonl(forIndex(a.records)));
    // The index as shipped (the CLI picks the layout), timed for the largest archive.
    const shippedFile = join(work, `shipped-${a.name}/index.json`);
    if (i === archives.length - 1 && a.name !== 'corpus') {
      results.build.large = step(`build speed: ${a.name}`, () => ({ name: a.name, ...buildBench(input, PLAN.buildRuns.large, shippedFile) }));
    } else if (a.name !== 'corpus') {
      mkdirSync(dirname(shippedFile), { recursive: true });
      execFileSync(BIN, cli.index(input, shippedFile));
    }
    // The engine page loads both forms: one file, and the cluster layout's manifest with its files.
    const indexFile = join(dir, 'index.json');
    const built = clock(() => execFileSync(BIN, cli.index(input, indexFile, { layout: 'single' })));
    const queries = spread(a.records, a.name === 'corpus' ? PLAN.queries.corpus : PLAN.queries.synthetic);
    writeFileSync(join(dir, 'queries.json'), JSON.stringify(queries));
    const naturalOk = a.records.length <= PLAN.natural.maxArticles;
    if (naturalOk) writeFileSync(join(dir, 'articles.json'), JSON.stringify(forIndex(a.records)));
    const entry = { name: a.name, articles: a.records.length, index: sizes(indexFile), postings: singlePostings(indexFile, a.records.length), indexBuildSeconds: built.seconds, queries: queries.length, natural: naturalOk };
    // The cluster layout (issue 16): the same articles, timed once (it ranks every article's related list too).
    const clustersFile = join(dir, 'clusters/index.json');
    mkdirSync(dirname(clustersFile), { recursive: true });
    const clustersBuild = step(`build: ${a.name} clusters`, () => timed(BIN, cli.index(input, clustersFile, { layout: 'clusters' })));
    entry.clusters = indexSizes(clustersFile);
    entry.clustersBuild = { seconds: clustersBuild.seconds, maxRss: clustersBuild.maxRss };
    // What ranking the lists costs: the largest held archive built once more without them.
    if (i === archives.length - 1 && a.name !== 'corpus') {
      const bare = join(work, `no-lists-${a.name}/index.json`);
      rmSync(dirname(bare), { recursive: true, force: true });
      mkdirSync(dirname(bare), { recursive: true });
      const t = step(`build: ${a.name} clusters with --related-lists 0`, () => timed(BIN, cli.index(input, bare, { layout: 'clusters', relatedLists: 0 })));
      entry.noLists = { seconds: t.seconds, maxRss: t.maxRss, clusters: indexSizes(bare) };
      rmSync(dirname(bare), { recursive: true, force: true });
    }
    // The lists as stored: what an indexed article page's box shows (the list path).
    const listSample = a.name === 'corpus' ? a.records : spread(a.records, PLAN.queries.relevance);
    if (entry.clusters.parts?.l) entry.clustersListRelevance = score(a.records, listsOf(clustersFile, listSample.map((q) => q.url)), listSample);
    // The cluster layout's engine path: every corpus article, the synthetic archives' relevance sample.
    const engineSample = a.name === 'corpus' ? a.records : spread(a.records, PLAN.queries.relevance);
    const engineSampleFile = join(work, `${a.name}-engine-queries.jsonl`);
    writeFileSync(engineSampleFile, toJsonl(forIndex(engineSample)));
    entry.clustersRelevance = step(`relevance: ${a.name} clusters (engine path)`, () => score(a.records, query(BIN, clustersFile, engineSampleFile).lists, engineSample));
    if (a.name !== 'corpus') {
      entry.shipped = indexSizes(shippedFile);
      const sample = spread(a.records, PLAN.queries.relevance);
      const sampleFile = join(work, `${a.name}-queries.jsonl`);
      writeFileSync(sampleFile, toJsonl(forIndex(sample)));
      entry.relevance = step(`relevance: ${a.name}`, () => score(a.records, query(BIN, shippedFile, sampleFile).lists, sample));
    }
    results.archives.push(entry);
    a.queries = queries;
  }

  // Archives too large to hold: written to disk as they are made, built
  // once with the CLI's defaults (the cluster layout) under /usr/bin/time,
  // compressed for the server, P@5 of both paths on a sample; the articles
  // the pages need are kept as they go by (bench/lib/streamed.mjs, which
  // bench/scale.mjs runs alone). The input goes as soon as it is indexed.
  results.streamed = [];
  for (const a of PLAN.streamed) {
    const indexFile = join(www, 'data', a.name, 'clusters/index.json');
    const measured = measureStreamed({ bin: BIN, corpus, name: a.name, count: a.count, work, indexFile, queries: PLAN.queries.relevance, pages: PLAN.pages, writeGz: true, step });
    a.pages = measured.pages;
    results.streamed.push(measured.entry);
  }

  // Bytes: the files a reader's browser fetches.
  results.files = {
    wasm: sizes(join(pkg.dir, 'alike_bg.wasm')),
    glue: sizes(join(pkg.dir, 'alike.js')),
    // Written instead of the English engine beside an index that holds another language with a stemmer.
    ...(existsSync(join(ROOT, 'www/dist/all-languages/alike_bg.wasm')) ? { allLanguages: sizes(join(ROOT, 'www/dist/all-languages/alike_bg.wasm')) } : {}),
    shim: sizes(join(ROOT, 'www/alike.js')),
    index: sizes(shippedIndex),
  };
  results.shimFetchCap = shimFetchCap(readFileSync(join(ROOT, 'www/engine.js'), 'utf8'));

  // What adding a day's articles rewrites.
  results.churn = step('rebuild churn', () =>
    ['clusters'].flatMap((layout) =>
      archives.slice(0, 2).map((a) => {
        const dir = join(work, `churn-${layout}-${a.name}`);
        mkdirSync(dir, { recursive: true });
        const input = a.name === 'corpus' ? relevanceInput : join(work, `${a.name}.jsonl`);
        return { name: a.name, layout, ...rebuildChurn(BIN, input, dir, PLAN.dayShare, layout) };
      }),
    ),
  );

  // The demo site over the whole corpus, its index timed alone, and Pagefind over the same pages.
  const site = join(OUT, 'site');
  const demoInput = join(work, 'demo-articles.jsonl');
  const demoRecords = forDemo(corpus);
  writeFileSync(demoInput, toJsonl(demoRecords));
  // Clusters, whatever the CLI's auto layout would pick: issue 6's budget is for the demo in many files.
  step('demo site (clusters)', () =>
    execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--articles', demoInput, '--out', site, '--cli', BIN, '--pkg', pkg.dir, '--layout', 'clusters'], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  const demoIndexFile = join(site, 'alike/index.json');
  // The demo as scripts/demo.sh builds it: the committed sample, the CLI's own layout (one file for it).
  const defaultSite = join(OUT, 'site-default');
  const defaultArticles = join(ROOT, 'data/bbc-sample/articles.jsonl');
  step("the demo's default site (data/bbc-sample, the CLI's own layout)", () =>
    execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--articles', defaultArticles, '--out', defaultSite, '--cli', BIN, '--pkg', pkg.dir], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  const defaultRecords = readJsonl(defaultArticles);
  // Issue 15: the same sample in one file (no related lists: every page takes the engine path), for the main-thread rows.
  const singleSite = join(OUT, 'site-single');
  step("the demo's sample in one file (--layout single)", () =>
    execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--articles', defaultArticles, '--out', singleSite, '--cli', BIN, '--pkg', pkg.dir, '--layout', 'single'], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  results.defaultDemo = { articles: defaultRecords.length, index: indexSizes(join(defaultSite, 'alike/index.json')) };
  const demoIndexInput = join(work, 'demo-index-input.jsonl');
  writeFileSync(demoIndexInput, toJsonl(demoRecords.map((a) => ({ ...a, image: `/img/${a.section}.svg` }))));
  results.demoLayout = indexSizes(demoIndexFile);
  results.files.demoIndex = indexSizes(demoIndexFile);
  // The relevance of the demo's own index (pictures and snippets do not rank): every article asked.
  results.demoRelevance = step("relevance: the demo's index", () => score(corpus, query(BIN, demoIndexFile, relevanceInput).lists));
  // The same articles' lists as the demo's index stores them: what its indexed pages show.
  if (results.demoLayout.parts?.l) results.demoRelevance.lists = score(corpus, listsOf(demoIndexFile, corpus.map((q) => q.url)));
  // The shim as served (build.mjs copied it; BENCH_SHIM=FILE measures another): its size, and whether it reads related lists.
  if (process.env.BENCH_SHIM) {
    copyFileSync(given(process.env.BENCH_SHIM), join(site, 'alike/alike.js'));
    copyFileSync(given(process.env.BENCH_SHIM), join(defaultSite, 'alike/alike.js'));
    copyFileSync(given(process.env.BENCH_SHIM), join(singleSite, 'alike/alike.js'));
    note(`the shim measured is ${process.env.BENCH_SHIM} (BENCH_SHIM), not the one www/demo/build.mjs copies`);
  }
  const shimSource = readFileSync(join(site, 'alike/alike.js'), 'utf8');
  // What the demo serves as /alike/alike.js (www/demo/build.mjs copies the minified shim).
  results.files.shimServed = { ...sizes(join(site, 'alike/alike.js')), source: process.env.BENCH_SHIM || 'www/min/alike.js' };
  // The shim's second file, which it imports only where the engine runs (www/lib/engine-path.js, minified).
  if (existsSync(join(site, 'alike/engine-path.js'))) results.files.enginePathServed = { ...sizes(join(site, 'alike/engine-path.js')), source: 'www/min/engine-path.js' };
  // Issue 15's budget for what the engine path loads beside the wasm: the shim's files and the glue, each gzipped on its own, added up.
  const served = [results.files.glue, results.files.shimServed, results.files.enginePathServed].filter(Boolean);
  results.files.glueAndShim = Object.fromEntries(['raw', 'gzip', 'brotli'].map((k) => [k, served.reduce((sum, f) => sum + f[k], 0)]));
  results.shim = { readsLists: shimReadsLists(shimSource) };
  const demoManifest = JSON.parse(readFileSync(demoIndexFile, 'utf8'));
  // The demo's index as build.mjs makes it: with pictures and 160-character snippets.
  const alikeBuild = Array.from({ length: PLAN.runs }, () => timed(BIN, cli.index(demoIndexInput, join(work, 'demo-index.json'), { snippetChars: 160 })).seconds);
  const pagefindBin = join(HERE, 'node_modules/.bin/pagefind');
  const pagefindRuns = step('pagefind builds', () =>
    Array.from({ length: PLAN.runs }, () => {
      rmSync(join(site, 'pagefind'), { recursive: true, force: true });
      return timed(pagefindBin, ['--site', site, '--silent']);
    }),
  );
  results.pagefind = {
    version: JSON.parse(readFileSync(join(HERE, 'node_modules/pagefind/package.json'), 'utf8')).version,
    buildSeconds: median(pagefindRuns.map((r) => r.seconds)),
    buildMaxRss: Math.max(...pagefindRuns.map((r) => r.maxRss)),
    alikeBuildSeconds: median(alikeBuild),
    pages: demoRecords.length,
  };
  // The demo's articles again at URLs its index does not hold (after Pagefind
  // indexed the site, so that its figures stay the demo's): the engine path.
  const boxes = Math.max(PLAN.runs, PLAN.pages);
  const boxRecords = spread(corpus, boxes * 2);
  const freshPaths = await writePages(site, '/fresh', boxRecords.filter((_, i) => i % 2 === 0), { indexUrl: '/alike/index.json', sections: results.corpus.labels, indexed: false });
  results.precompressed = { site: precompress(site), defaultSite: precompress(defaultSite) };
  const defaultManifest = JSON.parse(readFileSync(join(defaultSite, 'alike/index.json'), 'utf8'));

  // In Chromium: the first box, cold and warm, and Pagefind's first search.
  const browser = await launch();
  const server = await serve(site);
  try {
    // `lists` (related-list files, l/) before `shards` (every other index file): the first group that matches takes a request.
    const groups = { page: /^\/(?!alike\/)/, shim: /^\/alike\/(alike|engine-path)\.js$/, glue: /^\/alike\/pkg\/alike\.js$/, wasm: /\.wasm$/, index: /^\/alike\/index\.json$/, lists: /^\/alike\/l\//, shards: /^\/alike\// };
    const box = async (context, url, from = server) => {
      const first = await firstBox(context, from.url + url, { index: from.url + '/alike/index.json', server: from });
      const g = byGroup(first.requests, groups);
      const took = tookPath(g);
      // No engine on the list path: importing the glue to read its memory would load one.
      const memory = { jsHeap: await heap(first.cdp), wasm: took === 'engine' ? await wasmMemory(first.page, from.url + '/alike/pkg/alike.js') : null };
      return {
        url,
        took,
        ms: first.renderMs,
        fromIndexMs: first.indexStartMs == null ? null : first.renderMs - first.indexStartMs,
        requests: first.requests.length,
        bytes: sum(first.requests),
        body: sum(first.requests, 'body'),
        widget: widgetTotals(g),
        groups: g,
        memory,
      };
    };
    await step('first box in Chromium', async () => {
      const pages = boxRecords.map((a) => a.url);
      const cold = [];
      const warm = [];
      const fresh = [];
      for (let r = 0; r < boxes; r++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        cold.push(await box(context, pages[2 * r]));
        const second = await firstBox(context, server.url + pages[2 * r + 1]);
        warm.push({ url: pages[2 * r + 1], ms: second.renderMs, requests: second.requests.length, bytes: sum(second.requests), fromCache: second.requests.filter((q) => q.cached).length });
        await context.close();
        // The same article at a URL the index does not hold, in a cold context of its own.
        const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        fresh.push(await box(other, freshPaths[r]));
        await other.close();
      }
      const expected = { cold: expectedPath({ shimSource, manifest: demoManifest, indexed: true }), fresh: expectedPath({ shimSource, manifest: demoManifest, indexed: false }) };
      results.firstBox = { cold, warm, fresh, expected };
      for (const [kind, list] of [['cold', cold], ['fresh', fresh]]) {
        const off = list.filter((b) => b.took !== expected[kind]);
        if (off.length) note(`the demo's ${kind === 'cold' ? 'indexed' : 'not-indexed'} pages were expected to take the ${expected[kind]} path; ${off.length} of ${list.length} took the other (${off[0].url})`);
      }
    });

    await step("Pagefind's first search in Chromium", async () => {
      const searches = [];
      for (let r = 0; r < PLAN.runs; r++) {
        const article = demoRecords[(r * 7919) % demoRecords.length];
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const finished = contextRequests(context);
        const first = await firstBox(context, server.url + article.url);
        const mark = server.sent.length;
        const started = Date.now();
        const found = await first.page.evaluate(async (title) => {
          const pagefind = await import('/pagefind/pagefind.js');
          await pagefind.init();
          const search = await pagefind.search(title);
          const data = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
          return { results: search.results.length, shown: data.map((d) => d.url) };
        }, article.title);
        const ms = Date.now() - started;
        await first.page.waitForLoadState('networkidle').catch(() => {});
        await first.page.waitForTimeout(300);
        const all = await finished();
        const requests = all.filter((q) => q.path.startsWith('/pagefind/'));
        // Chromium reports no body for a worker's script; the server's count stands in for it.
        const served = server.sent.slice(mark);
        let patched = 0;
        for (const q of requests) {
          if (q.body === 0) {
            const bytes = served.find((e) => e.path === q.path)?.bytes || 0;
            q.bytes += bytes;
            q.body += bytes;
            patched += bytes;
          }
        }
        const alike = all.filter((q) => q.path.startsWith('/alike/'));
        searches.push({ url: article.url, query: article.title, ms, ...found, requests: requests.length, bytes: sum(requests), serverCounted: patched, files: requests.map((q) => [q.path, q.bytes]), alikeRequests: alike.length, alikeBytes: sum(alike), alikeTook: alike.some((q) => q.path.startsWith('/alike/pkg/')) ? 'engine' : 'list' });
        await context.close();
      }
      results.pagefind.searches = searches;
    });

    // Issue 15: the demo as scripts/demo.sh builds it (the sample in one file): its first box, and the
    // widget's main-thread work on it and on the sharded demo's two kinds of page.
    const defaultServer = await serve(defaultSite);
    const singleServer = await serve(singleSite);
    try {
      const defaultPages = spread(defaultRecords, PLAN.pages).map((a) => a.url);
      const defaultExpected = expectedPath({ shimSource, manifest: defaultManifest, indexed: true });
      // The first box on each of `pages` of the default site, each in a cold context.
      const defaultBoxes = async (pages) => {
        const boxesOf = [];
        for (const url of pages) {
          const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
          boxesOf.push(await box(context, url, defaultServer));
          await context.close();
        }
        return boxesOf;
      };
      await step(`first box in Chromium: the demo's default site (${defaultRecords.length} articles, ${results.defaultDemo.index.layout})`, async () => {
        const boxesOf = await defaultBoxes(defaultPages);
        results.defaultDemo.expected = defaultExpected;
        results.defaultDemo.boxes = boxesOf;
        const off = boxesOf.filter((b) => b.took !== defaultExpected);
        if (off.length) note(`the demo's default site was expected to take the ${defaultExpected} path; ${off.length} of ${boxesOf.length} pages took the other (${off[0].url})`);
      });
      // Issue 16: the same pages at URLs the default index does not hold (the engine path).
      const defaultFresh = freshCopies(defaultSite, defaultPages);
      await step(`first box in Chromium: the demo's default site, its pages at URLs not in the index`, async () => {
        const boxesOf = await defaultBoxes(defaultFresh);
        results.defaultDemo.freshBoxes = boxesOf;
        const off = boxesOf.filter((b) => b.took !== 'engine');
        if (off.length) note(`the demo's default site, pages not in the index: expected the engine path; ${off.length} of ${boxesOf.length} pages took the other (${off[0].url})`);
      });
      await step(`main-thread work in Chromium (long tasks; CPU ${PLAN.cpuRates.map((x) => `${x}x`).join(', ')})`, async () => {
        const demoPages = boxRecords.map((a) => a.url).filter((_, i) => i % 2 === 0);
        const paths = [
          { key: 'default', server: defaultServer, pages: defaultPages, expected: defaultExpected },
          { key: 'indexed', server, pages: demoPages.slice(0, PLAN.pages), expected: expectedPath({ shimSource, manifest: demoManifest, indexed: true }) },
          { key: 'fresh', server, pages: freshPaths.slice(0, PLAN.pages), expected: expectedPath({ shimSource, manifest: demoManifest, indexed: false }) },
          // The default demo's own pages, copied to URLs its index does not hold; and the sample in one file.
          { key: 'default-fresh', server: defaultServer, pages: defaultFresh, expected: 'engine' },
          { key: 'single', server: singleServer, pages: defaultPages, expected: 'engine' },
        ];
        const files = { shim: '/alike/alike.js', enginePath: '/alike/engine-path.js', glue: '/alike/pkg/alike.js', wasm: '/alike/pkg/alike_bg.wasm' };
        const sets = [];
        // A task's duration is wall-clock time: other work on the machine lengthens it.
        const load = { start: loadavg()[0] };
        for (const path of paths) {
          const byRate = new Map(PLAN.cpuRates.map((rate) => [rate, []]));
          // Each page at every rate in turn, so that the machine's load falls on all rates alike.
          for (const url of path.pages) for (const rate of PLAN.cpuRates) byRate.get(rate).push(await mainThreadWork(browser, path.server.url + url, { rate, paths: files }));
          for (const [rate, pages] of byRate) {
            sets.push({ path: path.key, expected: path.expected, rate, pages, summary: summarizeMainThread(pages) });
            const off = pages.filter((q) => q.took !== path.expected);
            if (off.length) note(`main-thread work, ${path.key} pages at ${rate}x: expected the ${path.expected} path, ${off.length} of ${pages.length} took the other (${off[0].url})`);
          }
          log(`   ${path.key}: ${sets.filter((x) => x.path === path.key).map((x) => `${x.rate}x longest ${x.summary.longest.median.toFixed(0)}/${x.summary.longest.max.toFixed(0)} ms, TBT ${x.summary.tbt.median.toFixed(0)}/${x.summary.tbt.max.toFixed(0)} ms`).join('; ')}`);
        }
        results.mainThread = { rates: PLAN.cpuRates, controlMs: CONTROL_MS, load: { ...load, end: loadavg()[0] }, sets };
      });
    } finally {
      await defaultServer.close();
      await singleServer.close();
    }
  } finally {
    await server.close();
  }

  // The engine alone, its peers beside it, on every archive.
  execFileSync(join(HERE, 'node_modules/.bin/esbuild'), [join(HERE, 'page/peers.mjs'), '--bundle', '--format=esm', '--platform=browser', `--alias:fs=${join(HERE, 'page/empty.mjs')}`, `--outfile=${join(www, 'bench/peers.js')}`, '--log-level=warning']);
  for (const file of ['engine.html', 'engine.mjs']) copyFileSync(join(HERE, 'page', file), join(www, 'bench', file));
  // Bundled: it imports the shim's own list reader (www/lib/lists.js).
  execFileSync(join(HERE, 'node_modules/.bin/esbuild'), [join(HERE, 'lib/internals.mjs'), '--bundle', '--format=esm', '--platform=browser', `--outfile=${join(www, 'bench/internals.mjs')}`, '--log-level=warning']);
  mkdirSync(join(www, 'pkg'), { recursive: true });
  for (const file of ['alike.js', 'alike_bg.wasm']) copyFileSync(join(pkg.dir, file), join(www, 'pkg', file));
  results.precompressed.engine = precompress(www);
  const engineServer = await serve(www, { isolated: true });
  try {
    results.engineRuns = {};
    for (const a of archives) {
      const entry = results.archives.find((e) => e.name === a.name);
      await step(`engine in Chromium: ${a.name}`, async () => {
        const runs = [];
        for (let r = 0; r < PLAN.engineRuns; r++) {
          const context = await browser.newContext();
          const page = await context.newPage();
          const net = await network(page);
          await page.goto(engineServer.url + '/bench/engine.html');
          await page.waitForFunction(() => window.benchReady === true);
          const config = { data: `/data/${a.name}/`, warmup: 3, queries: PLAN.natural.queries };
          const run = {};
          run.alike = await page.evaluate(([s, c]) => window.benchStage(s, c), ['alike', config]);
          run.alike.jsHeap = await heap(net.cdp);
          run.alike.transfer = byGroup(net.list(), { glue: /^\/pkg\/alike\.js$/, wasm: /\.wasm$/, index: /index\.json$/ });
          const mark = net.list().length;
          run.clusters = await page.evaluate(([s, c]) => window.benchStage(s, c), ['clusters', { ...config, data: `/data/${a.name}/clusters/`, first: r, queries: PLAN.queries.clusters }]);
          run.clusters.transfer = byGroup(net.list().slice(mark), { manifest: /clusters\/index\.json$/, shards: /clusters\/./ });
          run.clusters.firstTransfer = byGroup(net.list().slice(mark).filter((q) => q.start <= run.clusters.firstDoneWall), { manifest: /clusters\/index\.json$/, shards: /clusters\/./ });
          run.cosine = await page.evaluate(([s, c]) => window.benchStage(s, c), ['cosine', config]);
          run.cosine.jsHeap = await heap(net.cdp);
          if (entry.natural) {
            run.natural = await page.evaluate(([s, c]) => window.benchStage(s, c), ['natural', config]);
            run.natural.jsHeap = await heap(net.cdp);
          }
          runs.push(run);
          await context.close();
        }
        results.engineRuns[a.name] = summarizeEngine(runs, a);
      });
    }
  } finally {
    await engineServer.close();
  }

  // The first box on article pages of every archive, one file and clusters
  // (the streamed ones in clusters only), each page in a cold context, served
  // without the engine page's isolation headers, as a news site would.
  const sections = results.corpus.labels;
  await writeSiteParts(www, { shim: join(site, 'alike/alike.js'), pkg: pkg.dir, sections });
  const sets = [];
  // Which path each set's first box should take: one rule, in internals.mjs.
  const expect = (indexUrl, indexed) => expectedPath({ shimSource, manifest: JSON.parse(readFileSync(join(www, indexUrl), 'utf8')), indexed });
  // Cluster archives get two kinds of article page: indexed (the sampled
  // articles at their own URLs: the list path once the index has lists) and
  // not in the index (the same articles at URLs it does not hold: the engine).
  const pageSet = async (name, articles, form, sample, { indexed = true, queryTerms, indexUrl = `/data/${name}/${form === 'single' ? '' : `${form}/`}index.json` } = {}) => {
    const prefix = `/pages/${name}/${form}${queryTerms ? `-q${queryTerms}` : ''}${indexed ? '' : '-fresh'}`;
    sets.push({ name, articles, form, queryTerms, indexed, expected: expect(indexUrl, indexed), indexUrl, paths: await writePages(www, prefix, sample, { indexUrl, sections, indexed }) });
  };
  for (const a of archives) {
    await pageSet(a.name, a.records.length, 'single', spread(a.records, Math.min(PLAN.pages, PLAN.runs)));
    for (const indexed of [true, false]) await pageSet(a.name, a.records.length, 'clusters', spread(a.records, PLAN.pages), { indexed });
  }
  for (const a of PLAN.streamed) for (const indexed of [true, false]) await pageSet(a.name, a.count, 'clusters', a.pages, { indexed });
  // The corpus's pages not in the index again, on indexes that query with
  // fewer terms: the dial moves the engine's fetches, not a stored list's.
  const dialPages = spread(corpus, PLAN.pages);
  for (const q of results.relevance.queryTerms) {
    const n = q.setting.queryTerms;
    const indexUrl = `/data/corpus/clusters-q${n}/index.json`;
    cpSync(dirname(q.file), join(www, dirname(indexUrl)), { recursive: true });
    await pageSet('corpus', corpus.length, 'clusters', dialPages, { indexed: false, queryTerms: n, indexUrl });
  }
  results.precompressed.pages = precompress(www);
  const pageServer = await serve(www);
  // The same cluster pages over HTTP/2, as CDNs serve them (TLS with a
  // self-signed certificate), then the corpus's over both protocols with a
  // 40 ms round trip, which is where their request counts tell.
  const h2Server = canServeHttp2() ? await serve(www, { http2: true }) : null;
  try {
    results.pages = [];
    const measure = async (set, server, protocol, rttMs = 0) => {
      const how = `${set.form}${set.queryTerms ? `, ${set.queryTerms} query terms` : ''}${protocol === 'h2' ? ', HTTP/2' : ''}${rttMs ? `, ${rttMs} ms round trip` : ''}`;
      const kind = set.indexed ? 'indexed' : 'not in the index';
      const pages = await step(`first box on article pages: ${set.name}, ${how}, ${kind} (${set.paths.length} pages, expected path: ${set.expected})`, () => measurePages(browser, server, set.paths, { indexUrl: set.indexUrl, rttMs, onEmpty: (path) => note(`${set.name} ${how}, ${kind}: ${path} showed no box (no article cleared the minimum score), left out of the medians`) }));
      results.pages.push({ name: set.name, articles: set.articles, form: set.form, queryTerms: set.queryTerms, indexed: set.indexed, expected: set.expected, protocol, rttMs, indexUrl: set.indexUrl, pages });
      const off = pages.filter((q) => q.took !== set.expected);
      if (off.length) note(`${set.name} ${how}, ${kind}: expected the ${set.expected} path, ${off.length} of ${pages.length} pages took the other (${off[0].path})`);
    };
    for (const set of sets) await measure(set, pageServer, 'http/1.1');
    if (h2Server) {
      for (const set of sets.filter((s) => s.form === 'clusters' && !s.queryTerms)) await measure(set, h2Server, 'h2');
      for (const corpus of sets.filter((s) => s.name === 'corpus' && s.form === 'clusters' && !s.queryTerms)) {
        await measure(corpus, pageServer, 'http/1.1', PLAN.rttMs);
        await measure(corpus, h2Server, 'h2', PLAN.rttMs);
      }
    } else note('openssl is missing: no HTTP/2 server, so no first box over HTTP/2');
  } finally {
    await pageServer.close();
    await h2Server?.close();
    await browser.close();
  }

  // A million articles' index is hundreds of thousands of files: gone unless --keep.
  if (!args.keep) for (const a of PLAN.streamed) rmSync(join(www, 'data', a.name), { recursive: true, force: true });

  results.seconds = (Date.now() - runStarted) / 1000;
  results.load.end = loadavg()[0];
  results.load.max = Math.max(results.load.max || 0, results.load.end, results.load.start);
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2));
  const names = writeReport(results, REPORT);
  log(`wrote ${relative(ROOT, REPORT)} and ${names.join(', ')} (${results.seconds.toFixed(0)} s)`);
  if (quick) validate(results);
}

/** The report and its two charts, beside it (in bench/ for BENCHMARKS.md at the root). */
function writeReport(saved, report) {
  const atRoot = resolve(dirname(report)) === ROOT;
  const svgPath = atRoot ? 'bench/size-relevance.svg' : 'size-relevance.svg';
  const boxSvgPath = atRoot ? 'bench/first-box.svg' : 'first-box.svg';
  const { markdown, svg, boxSvg } = render(saved, { svgPath, boxSvgPath });
  // The reader section is bench/reader.mjs's: kept as it was.
  const old = existsSync(report) ? readFileSync(report, 'utf8') : null;
  // Sections other scripts wrote (the reader's, the similarity study, builds measured on their own) stay.
  const kept = old ? sectionNames(old).filter((name) => name !== 'reader').reduce((fresh, name) => keepSection(old, fresh, name), keepReaderSection(old, markdown)) : markdown;
  writeFileSync(report, kept);
  writeFileSync(join(dirname(report), svgPath), svg);
  if (boxSvg) writeFileSync(join(dirname(report), boxSvgPath), boxSvg);
  return boxSvg ? [svgPath, boxSvgPath] : [svgPath];
}

/** Medians over runs of each figure; per-query times pooled per run first. */
function summarizeEngine(runs, archive) {
  const pick = (f) => median(runs.map(f));
  const q = (times) => ({ median: median(times), p95: p95(times) });
  const out = {
    runs: runs.length,
    crossOriginIsolated: runs.every((r) => r.alike.crossOriginIsolated),
    alike: {
      instantiateMs: pick((r) => r.alike.instantiateMs),
      indexLoadMs: pick((r) => r.alike.indexLoadMs),
      parseMs: pick((r) => r.alike.parseMs),
      engineMs: pick((r) => r.alike.engineMs),
      readyMs: pick((r) => r.alike.readyMs),
      query: { median: pick((r) => median(r.alike.queryMs)), p95: pick((r) => p95(r.alike.queryMs)) },
      jsHeap: pick((r) => r.alike.jsHeap),
      wasmMemory: pick((r) => r.alike.wasmMemory),
      transfer: runs[0].alike.transfer,
      size: runs[0].alike.size,
    },
    clusters: {
      manifestMs: pick((r) => r.clusters.manifestMs),
      firstQueryMs: pick((r) => r.clusters.firstQueryMs),
      firstFetched: pick((r) => r.clusters.firstFetched),
      firstBytes: pick((r) => r.clusters.firstTransfer.manifest.bytes + r.clusters.firstTransfer.shards.bytes),
      query: { median: pick((r) => median(r.clusters.queryMs)), p95: pick((r) => p95(r.clusters.queryMs)) },
      fetched: pick((r) => r.clusters.fetched),
      allBytes: pick((r) => r.clusters.transfer.manifest.bytes + r.clusters.transfer.shards.bytes),
    },
    cosine: {
      loadMs: pick((r) => r.cosine.loadMs),
      query: { median: pick((r) => median(r.cosine.queryMs)), p95: pick((r) => p95(r.cosine.queryMs)) },
      jsHeap: pick((r) => r.cosine.jsHeap),
      ratio: pick((r) => median(r.cosine.queryMs) / median(r.alike.queryMs)),
    },
  };
  // Relevance of what the browser returned, on the page's query sample.
  out.alike.relevance = score(archive.records, new Map(Object.entries(runs[0].alike.lists)), archive.queries);
  out.cosine.relevance = score(archive.records, new Map(Object.entries(runs[0].cosine.lists)), archive.queries);
  out.clusters.relevance = score(archive.records, new Map(Object.entries(runs[0].clusters.lists)), archive.queries.slice(0, PLAN.queries.clusters));
  if (runs[0].natural) {
    const asked = archive.queries.slice(0, PLAN.natural.queries);
    out.natural = {
      buildMs: pick((r) => r.natural.buildMs),
      queries: asked.length,
      query: { median: pick((r) => median(r.natural.queryMs)), p95: pick((r) => p95(r.natural.queryMs)) },
      jsHeap: pick((r) => r.natural.jsHeap),
      // Against alike's times on the same queries.
      ratio: pick((r) => median(r.natural.queryMs) / median(r.alike.queryMs.slice(0, asked.length))),
      relevance: score(archive.records, new Map(Object.entries(runs[0].natural.lists)), asked),
    };
  }
  void q;
  return out;
}

/**
 * What is wrong with a first box's requests for the path it should take:
 * the list path is the shim, the manifest and one list file, and neither
 * glue nor wasm nor any other index file; the engine path has the
 * shim, glue, wasm and manifest.
 */
function wrongPath(where, expected, took, g) {
  const out = [];
  if (took !== expected) out.push(`${where}: took the ${took} path, expected the ${expected} path (${expected === 'list' ? 'an indexed page fetched the wasm: has the shim stopped reading related lists?' : 'a page not in the index did not run the engine'})`);
  if (expected === 'list') {
    if (g.wasm.requests || g.glue.requests || g.shards.requests) out.push(`${where}: list path, yet ${g.glue.requests} glue, ${g.wasm.requests} wasm and ${g.shards.requests} engine, cell or cluster file requests`);
    if (g.lists.requests !== 1) out.push(`${where}: list path with ${g.lists.requests} list file requests, not 1`);
  } else {
    for (const part of ['shim', 'glue', 'wasm', 'index']) if (!(g[part].requests > 0 && g[part].bytes > 0)) out.push(`${where}: engine path without the ${part}`);
  }
  if (!(g.shim.requests > 0 && g.index.requests > 0)) out.push(`${where}: no shim or no manifest`);
  return out;
}

/**
 * scripts/wasm-size.sh's own breakdown of the wasm (by crate and function),
 * when the tree has that script: its output, verbatim, for the report. The
 * bench writes no breakdown of its own.
 */
function wasmSizeReport() {
  const script = 'scripts/wasm-size.sh';
  if (!existsSync(join(ROOT, script))) return { script, exists: false };
  const started = Date.now();
  const run = spawnSync('bash', [script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 20 * 60 * 1000 });
  const out = { script, exists: true, status: run.status, signal: run.signal, seconds: (Date.now() - started) / 1000, stdout: run.stdout || '' };
  if (run.status !== 0) {
    out.stderr = (run.stderr || String(run.error || '')).slice(-4000);
    note(`${script} exited ${run.status ?? run.signal}: ${out.stderr.trim().split('\n').at(-1) || 'no message'}`);
  }
  return out;
}

/** Quick mode's only assertion: the harness produced numbers, not NaN or nothing. */
function validate(r) {
  const problems = [];
  const walk = (value, path) => {
    if (typeof value === 'number' && !Number.isFinite(value)) problems.push(path);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
  };
  walk(r, 'results');
  const need = [
    ['relevance.shipped.p5', r.relevance?.shipped?.p5],
    ['relevance.curve', r.relevance?.curve?.length],
    ['files.wasm.gzip', r.files?.wasm?.gzip],
    ['firstBox.cold', r.firstBox?.cold?.[0]?.bytes],
    ['firstBox.warm', r.firstBox?.warm?.[0]?.ms],
    ['pagefind.searches', r.pagefind?.searches?.[0]?.bytes],
    ['build.corpus', r.build?.corpus?.articlesPerSecond],
    ['build.large', r.build?.large?.maxRss],
  ];
  for (const a of r.archives) {
    const e = r.engineRuns?.[a.name];
    need.push([`${a.name}.alike.query`, e?.alike?.query?.median], [`${a.name}.cosine.ratio`, e?.cosine?.ratio], [`${a.name}.wasmMemory`, e?.alike?.wasmMemory]);
    if (a.natural) need.push([`${a.name}.natural.ratio`, e?.natural?.ratio]);
  }
  // The first box on article pages: every archive in every form (the streamed ones in clusters
  // only; cluster pages both indexed and not in the index), every page's widget
  // requests seen by Chromium, headers counted on top of bodies, and each page on the path it
  // should take.
  const sets = r.pages || [];
  for (const a of [...r.archives, ...(r.streamed || [])]) {
    const both = (form) => [[form, true], [form, false]];
    const kinds = r.archives.includes(a) ? [['single', true], ...both('clusters')] : both('clusters');
    for (const [form, indexed] of kinds) {
      if (!sets.some((x) => x.name === a.name && x.form === form && x.indexed === indexed && x.pages?.length)) problems.push(`pages: no ${form} page set for ${a.name}, ${indexed ? 'indexed' : 'not in the index'}`);
    }
  }
  for (const set of sets) {
    for (const q of set.pages) {
      const g = q.groups;
      const where = `pages ${set.name} ${set.form}${set.queryTerms ? ` q${set.queryTerms}` : ''} ${set.protocol}${set.rttMs ? ` ${set.rttMs} ms` : ''} ${q.path}`;
      need.push([`${where} bytes`, q.bytes], [`${where} fromIndexMs`, q.fromIndexMs], [`${where} shim`, g.shim.bytes], [`${where} index`, g.index.bytes]);
      problems.push(...wrongPath(where, set.expected, q.took, g));
      if (set.form !== 'single' && set.expected === 'engine' && !(g.shards.requests > 0)) problems.push(`${where}: no engine or cluster file fetched before the box`);
      if (set.form === 'single' && g.shards.requests + g.lists.requests !== 0) problems.push(`${where}: ${g.shards.requests + g.lists.requests} requests beside a single-file index`);
      if (!(q.bytes > q.body)) problems.push(`${where}: bytes ${q.bytes} not above body ${q.body} (headers missing)`);
      if (!(q.fromIndexMs < q.renderMs)) problems.push(`${where}: index request at ${q.renderMs - q.fromIndexMs} ms is not before the render at ${q.renderMs} ms`);
    }
  }
  // The rule itself (internals.mjs expectedPath): with a shim that reads lists and an index that
  // has them, indexed pages must take the list path; pages not in the index never do.
  for (const set of sets) {
    const want = set.indexed && set.form !== 'single' && r.shim?.readsLists && r.archives.concat(r.streamed || []).some((a) => a.name === set.name) ? 'list' : 'engine';
    if (set.expected !== want && !set.queryTerms) problems.push(`pages ${set.name} ${set.form} ${set.indexed ? 'indexed' : 'not indexed'}: expected path ${set.expected}, not ${want} (does the cluster index have related lists?)`);
    if (set.queryTerms && set.expected !== 'engine') problems.push(`the query-terms dial's pages (q${set.queryTerms}) would not run the engine`);
  }
  const fb = r.firstBox || {};
  if (!fb.fresh?.length) problems.push('no first box on demo pages not in the index');
  if (fb.expected?.cold !== (r.shim?.readsLists && r.demoLayout?.parts?.l ? 'list' : 'engine') || fb.expected?.fresh !== 'engine') problems.push(`demo: expected paths ${JSON.stringify(fb.expected)}`);
  for (const [kind, list] of [['cold', fb.cold || []], ['fresh', fb.fresh || []]]) {
    for (const b of list) {
      const where = `demo ${kind === 'cold' ? 'indexed' : 'not indexed'} ${b.url}`;
      problems.push(...wrongPath(where, fb.expected?.[kind], b.took, b.groups));
      need.push([`${where} widget`, b.widget.bytes], [`${where} fromIndexMs`, b.fromIndexMs], [`${where} jsHeap`, b.memory.jsHeap]);
      if (b.took === 'engine') need.push([`${where} wasm memory`, b.memory.wasm]);
    }
  }
  log(`quick run: shim ${r.shim?.readsLists ? 'reads' : 'does not read'} related lists; indexed pages of the demo expected on the ${fb.expected?.cold} path, pages not in the index on the ${fb.expected?.fresh} path`);
  for (const q of r.relevance?.queryTerms || []) {
    need.push([`relevance q${q.setting.queryTerms} p5`, q.p5]);
    if (q.queryTerms !== q.setting.queryTerms) problems.push(`an index built with --query-terms ${q.setting.queryTerms} says ${q.queryTerms}`);
    if (!sets.some((set) => set.queryTerms === q.setting.queryTerms && set.pages.length)) problems.push(`no pages for --query-terms ${q.setting.queryTerms}`);
  }
  // Each page set went over the protocol it names (Resource Timing's nextHopProtocol of the index).
  for (const set of sets) for (const q of set.pages) if (set.protocol && q.protocol !== set.protocol) problems.push(`pages ${set.name} ${set.form} ${q.path}: over ${q.protocol}, not ${set.protocol}`);
  if (!sets.some((set) => set.protocol === 'h2') && !r.notes.some((n) => /HTTP\/2/.test(n))) problems.push('no page set over HTTP/2, and no note why');
  for (const a of r.streamed || []) {
    need.push([`${a.name}.clustersBuild.maxRss`, a.clustersBuild.maxRss], [`${a.name}.clustersBuild.seconds`, a.clustersBuild.seconds], [`${a.name}.clustersBuild.userSeconds`, a.clustersBuild.userSeconds], [`${a.name}.clusters.files`, a.clusters.files], [`${a.name}.clusters.largest`, a.clusters.largest?.raw], [`${a.name}.clustersRelevance.p5`, a.clustersRelevance.p5], [`${a.name}.clustersListRelevance.p5`, a.clustersListRelevance?.p5]);
    if (a.clusters.layout !== 'clusters') problems.push(`${a.name}: built as ${a.clusters.layout}, not clusters`);
    if (a.clustersRelevance.queries !== Math.min(r.plan.queries.relevance, a.articles)) problems.push(`${a.name}: ${a.clustersRelevance.queries} relevance queries, not ${r.plan.queries.relevance}`);
  }
  for (const a of r.archives) need.push([`${a.name}.clustersListRelevance.p5`, a.clustersListRelevance?.p5], [`${a.name}.clustersRelevance.p5`, a.clustersRelevance?.p5], [`${a.name}.clustersBuild.seconds`, a.clustersBuild?.seconds], [`${a.name}.clusters.largest`, a.clusters?.largest?.raw]);
  for (const c of r.churn || []) need.push([`churn ${c.layout} ${c.name} rewrittenBytes`, c.rewrittenBytes]);
  const bare = r.archives.at(-1).noLists;
  need.push(['noLists.seconds', bare?.seconds], ['noLists.files', bare?.clusters?.files], ['lists on disk', r.archives.at(-1).clusters.parts?.l?.gzip]);
  if (bare?.clusters?.parts?.l) problems.push('a build with --related-lists 0 wrote list files');
  for (const c of r.churn || []) if (!(c.byKind?.l?.files > 0)) problems.push(`churn ${c.name}: no list files counted`);
  need.push(['demoRelevance.p5', r.demoRelevance?.p5], ['demoRelevance.lists.p5', r.demoRelevance?.lists?.p5], ['firstBox.cold widget', r.firstBox?.cold?.[0]?.widget?.bytes], ['firstBox.cold fromIndexMs', r.firstBox?.cold?.[0]?.fromIndexMs]);
  // Issue 15: the sizes of what ships, the wasm breakdown when the tree has its script, the demo's
  // default site, and the widget's main-thread work on every path at every CPU rate.
  need.push(['files.wasm.brotli', r.files?.wasm?.brotli], ['files.glue.gzip', r.files?.glue?.gzip], ['files.glue.brotli', r.files?.glue?.brotli], ['files.shimServed.gzip', r.files?.shimServed?.gzip], ['files.shimServed.brotli', r.files?.shimServed?.brotli], ['files.glueAndShim.gzip', r.files?.glueAndShim?.gzip]);
  if (r.files?.glueAndShim?.gzip !== r.files?.glue?.gzip + r.files?.shimServed?.gzip + (r.files?.enginePathServed?.gzip ?? 0)) problems.push("glue + shim is not the sum of the engine path's files");
  if (!r.wasmSize) problems.push('no entry for scripts/wasm-size.sh (there or not)');
  else if (r.wasmSize.exists && (r.wasmSize.status !== 0 || !r.wasmSize.stdout.trim())) problems.push(`${r.wasmSize.script} exited ${r.wasmSize.status ?? r.wasmSize.signal}${r.wasmSize.stdout.trim() ? '' : ' and printed nothing'}: ${(r.wasmSize.stderr || '').trim().split('\n').at(-1)}`);
  const d = r.defaultDemo;
  if (!d?.boxes?.length) problems.push("no first box on the demo's default site");
  if (d && d.expected !== (d.index?.parts?.l && r.shim?.readsLists ? 'list' : 'engine')) problems.push(`demo's default site: expected path ${d.expected}`);
  for (const b of d?.boxes || []) {
    const where = `demo default site ${b.url}`;
    problems.push(...wrongPath(where, d.expected, b.took, b.groups));
    need.push([`${where} widget`, b.widget.bytes], [`${where} fromIndexMs`, b.fromIndexMs], [`${where} ms`, b.ms]);
    if (d.index.layout === 'single' && b.groups.shards.requests + b.groups.lists.requests !== 0) problems.push(`${where}: ${b.groups.shards.requests + b.groups.lists.requests} index file requests beside a single-file index`);
  }
  if (!d?.freshBoxes?.length) problems.push("no first box on the demo's default site's pages not in the index");
  for (const b of d?.freshBoxes || []) {
    const where = `demo default site, not in the index, ${b.url}`;
    problems.push(...wrongPath(where, 'engine', b.took, b.groups));
    need.push([`${where} widget`, b.widget.bytes], [`${where} wasm`, b.groups.wasm.bytes]);
  }
  const rates = r.plan.cpuRates || [];
  if (!(rates.includes(1) && rates.includes(4))) problems.push(`main thread: CPU rates ${rates}, not 1x and 4x`);
  const loopAt = (rate) => median((r.mainThread?.sets || []).filter((x) => x.rate === rate).flatMap((x) => x.pages.map((q) => q.loopMs)));
  for (const key of ['default', 'indexed', 'fresh']) {
    for (const rate of rates) {
      const set = r.mainThread?.sets?.find((x) => x.path === key && x.rate === rate);
      if (!set?.pages?.length) {
        problems.push(`main thread: no ${key} pages at ${rate}x`);
        continue;
      }
      const expected = key === 'default' ? d?.expected : fb.expected?.[key === 'indexed' ? 'cold' : 'fresh'];
      if (set.expected !== expected) problems.push(`main thread ${key}: expected path ${set.expected}, not ${expected}`);
      for (const q of set.pages) {
        const where = `main thread ${key} ${rate}x ${q.url}`;
        if (q.event !== 'render') problems.push(`${where}: the widget ended with ${q.event} (${JSON.stringify(q.error)}), not a box`);
        problems.push(...(q.took === set.expected ? [] : [`${where}: took the ${q.took} path, expected the ${set.expected} path`]));
        for (const k of ['longest', 'longTasks', 'tbt']) if (!(typeof q[k] === 'number' && Number.isFinite(q[k]) && q[k] >= 0)) problems.push(`${where}: ${k} = ${q[k]}`);
        if (q.longTasks !== q.tasks.length || (q.longTasks > 0) !== (q.longest > 0) || (q.tbt > 0 && !q.longTasks)) problems.push(`${where}: ${q.longTasks} long tasks, longest ${q.longest} ms, TBT ${q.tbt} ms do not agree`);
        // The API's contract: only tasks over 50 ms (durations in whole ms, so 50 may appear).
        for (const t of [...q.tasks, ...q.pageTasks]) if (!(t.duration >= LONG_TASK_MS)) problems.push(`${where}: the API reported a "long" task of ${t.duration} ms`);
        // The observer works: the busy loop run after the window came back as a long task.
        if (!(q.controlMs >= CONTROL_MS)) problems.push(`${where}: the ${CONTROL_MS} ms control task was not reported by the Long Tasks API (${q.controlMs}): the observer saw nothing`);
        if (!(q.shimEndMs < q.eventMs && q.eventMs <= q.idleMs)) problems.push(`${where}: shim at ${q.shimEndMs} ms, box at ${q.eventMs} ms, idle at ${q.idleMs} ms are not in order`);
        need.push([`${where} eventMs`, q.eventMs], [`${where} loopMs`, q.loopMs]);
      }
    }
  }
  // The throttling took effect: the same fixed loop ran slower at 4x than at 1x.
  if (rates.includes(1) && rates.includes(4) && !(loopAt(4) / loopAt(1) > 1.5)) problems.push(`main thread: the fixed loop took ${loopAt(1)} ms at 1x and ${loopAt(4)} ms at 4x: CPU throttling did not take effect`);
  for (const [name, value] of need) if (!(typeof value === 'number' && value > 0)) problems.push(`${name} = ${value}`);
  if (problems.length) throw new Error(`the quick run produced bad numbers:\n  ${problems.join('\n  ')}`);
  log('quick run: every figure is a number');
}

function renderOnly(path) {
  const saved = JSON.parse(readFileSync(given(path), 'utf8'));
  const report = args.report ? REPORT : saved.mode === 'quick' ? join(dirname(given(path)), 'BENCHMARKS.md') : join(ROOT, 'BENCHMARKS.md');
  const names = writeReport(saved, report);
  log(`re-rendered ${relative(ROOT, report)} and ${names.join(', ')} from ${path}`);
}

(args.render ? Promise.resolve().then(() => renderOnly(args.render)) : main()).catch((error) => {
  console.error(`bench: ${error.stack || error.message}`);
  process.exit(1);
});
