#!/usr/bin/env node
// The widget's main-thread work alone (issue 15), without the rest of the
// bench: the demo's sample (data/bbc-sample) built as the demo builds it,
// on its three paths (an indexed page: its related list; a copy of it under
// /fresh/, which the index does not hold: the engine; the sample in one
// file: the engine), N article pages each, at each CPU rate, by the Long
// Tasks API as bench/lib/longtasks.mjs measures it for BENCHMARKS.md.
//
//   node bench/mainthread.mjs [--pages N] [--rates 1,4] [--paths list,fresh,single]
//                             [--variant NAME=DIR ...] [--trace [--keep-traces]] [--out DIR] [--json FILE]
//
// --variant serves the shim files alike.js and engine-path.js of DIR
// (default: current=www/min, the shim as the demo serves it); with two or
// more, each page is loaded with each variant in turn (A, B, then B, A on
// the next page ...), so that the machine's load falls on all alike: compare variants within one
// run, never against another run's figures. --trace also records a
// Chromium trace of every page load and breaks each of the widget's long
// tasks down (bench/lib/tasktrace.mjs: kinds of work, thread CPU time,
// sampled functions, whose work), and the page's first frame with the box;
// --keep-traces writes each trace to OUT/traces/ for DevTools. Tracing
// slows the page: compare a traced run's long tasks with its own variants
// only.
// Needs the CLI (`cargo build --release`) and the widget built
// (`bash scripts/build-wasm.sh`).

import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { launch, serve } from './lib/browser.mjs';
import { spread } from './lib/corpus.mjs';
import { freshCopies, mainThreadWork, summarize } from './lib/longtasks.mjs';
import { startTrace, taskBreakdown } from './lib/tasktrace.mjs';
import { log, median, readJsonl } from './lib/util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

const { values: args } = parseArgs({
  options: {
    pages: { type: 'string', default: '5' },
    rates: { type: 'string', default: '1,4' },
    paths: { type: 'string', default: 'list,fresh,single' },
    variant: { type: 'string', multiple: true },
    trace: { type: 'boolean', default: false },
    'keep-traces': { type: 'boolean', default: false },
    out: { type: 'string', default: join(HERE, 'out/mainthread') },
    json: { type: 'string' },
  },
});

const fail = (message) => {
  console.error(`mainthread: ${message}`);
  process.exit(1);
};
const pagesPerPath = Number(args.pages);
if (!(Number.isInteger(pagesPerPath) && pagesPerPath > 0)) fail(`--pages must be a whole number over 0, not "${args.pages}"`);
const rates = args.rates.split(',').map(Number);
if (!rates.every((r) => r >= 1)) fail(`--rates must be CPU slow-down rates of 1 or more, not "${args.rates}"`);
const PATHS = ['list', 'fresh', 'single'];
const wanted = args.paths.split(',');
for (const p of wanted) if (!PATHS.includes(p)) fail(`--paths: "${p}" is none of ${PATHS.join(', ')}`);
const variants = (args.variant || ['current=www/min']).map((v) => {
  const [name, dir] = v.split('=');
  const abs = resolve(dir || '');
  if (!name || !dir || !existsSync(join(abs, 'alike.js')) || !existsSync(join(abs, 'engine-path.js'))) fail(`--variant ${v}: give NAME=DIR, DIR holding alike.js and engine-path.js`);
  return { name, dir: abs };
});

const OUT = resolve(args.out);
const CLI = join(ROOT, 'target/release/alike');
const ARTICLES = join(ROOT, 'data/bbc-sample/articles.jsonl');
const FILES = { shim: '/alike/alike.js', enginePath: '/alike/engine-path.js', glue: '/alike/pkg/alike.js', wasm: '/alike/pkg/alike_bg.wasm' };

// The sites, built once, then one copy per variant with its shim files.
const build = (out, layout) => execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--articles', ARTICLES, '--out', out, '--cli', CLI, ...(layout ? ['--layout', layout] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
rmSync(join(OUT, 'sites'), { recursive: true, force: true });
build(join(OUT, 'sites/default'));
build(join(OUT, 'sites/single'), 'single');
const records = spread(readJsonl(ARTICLES), pagesPerPath).map((a) => a.url);
for (const v of variants) {
  for (const site of ['default', 'single']) {
    const dir = join(OUT, 'sites', `${v.name}-${site}`);
    cpSync(join(OUT, 'sites', site), dir, { recursive: true });
    for (const f of ['alike.js', 'engine-path.js']) copyFileSync(join(v.dir, f), join(dir, 'alike', f));
  }
  v.fresh = freshCopies(join(OUT, 'sites', `${v.name}-default`), records);
}

const browser = await launch();
const session = args.trace ? await browser.newBrowserCDPSession() : null;
const servers = new Map();
const results = [];
const load = { start: loadavg() };
try {
  for (const v of variants) for (const site of ['default', 'single']) servers.set(`${v.name}-${site}`, await serve(join(OUT, 'sites', `${v.name}-${site}`)));
  for (const path of wanted) {
    for (const [i, page] of records.entries()) {
      for (const rate of rates) {
        // A, B on one page, B, A on the next: no variant always goes first.
        for (const v of i % 2 ? [...variants].reverse() : variants) {
          const server = servers.get(`${v.name}-${path === 'single' ? 'single' : 'default'}`);
          const url = server.url + (path === 'fresh' ? v.fresh[i] : page);
          let trace;
          const hooks = args.trace && {
            before: async () => (trace = await startTrace(session)),
            after: async (_, __, out) => {
              const events = await trace.stop();
              // Kept for Chromium's Performance panel (it opens {traceEvents}); about 5 MB each.
              if (args['keep-traces']) {
                mkdirSync(join(OUT, 'traces'), { recursive: true });
                writeFileSync(join(OUT, 'traces', `${v.name}-${path}-${rate}x-${i}.json`), JSON.stringify({ traceEvents: events }));
              }
              const breakdown = taskBreakdown(events, url, out.widget, Object.values(FILES), out.eventMs);
              // The tasks told apart as the bench's scroll, broken down the same way: whose work they were is shown, not assumed.
              const benchBreakdown = taskBreakdown(events, url, out.bench, Object.values(FILES));
              return { breakdown, benchBreakdown, boxFrame: breakdown.boxFrame, lastLayoutBefore: breakdown.lastLayoutBefore };
            },
          };
          const r = await mainThreadWork(browser, url, { rate, paths: FILES, ...(hooks && { hooks }) });
          results.push({ variant: v.name, path, rate, load: loadavg()[0], ...r });
          const off = [...r.tasks, ...r.benchTasks].filter((t) => t.scrollMs != null);
          const scroll = off.length ? ` (taken off: ${off.map((t) => `${(t.duration + (r.benchTasks.includes(t) ? 0 : t.scrollMs + t.parseMs)).toFixed(0)} ms task, parse ${t.parseMs.toFixed(0)}, scroll ${t.scrollMs.toFixed(0)}`).join('; ')})` : '';
          log(`${v.name} ${path} ${rate}x ${page}: ${r.took}, longest ${r.longest} ms, TBT ${r.tbt} ms${scroll}${r.breakdown ? breakdownLine(r.breakdown) : ''}${r.benchBreakdown?.length ? '\n  not the widget\'s (the page\'s parsing, the bench\'s scroll):' + breakdownLine(r.benchBreakdown) : ''}`);
        }
      }
    }
  }
} finally {
  await browser.close();
  for (const s of servers.values()) await s.close();
}
load.end = loadavg();

function breakdownLine(tasks) {
  return tasks
    .map((t) => {
      const kinds = Object.entries(t.cpuKinds || {})
        .filter(([, ms]) => ms >= 1)
        .sort((a, b) => b[1] - a[1])
        .map(([k, ms]) => `${k} ${ms.toFixed(1)}`)
        .join(', ');
      return `\n    task at ${t.startMs?.toFixed(0)} ms (${t.owner}): wall ${t.wallMs?.toFixed(1)} ms, thread CPU ${t.cpuMs?.toFixed(1)} ms (${kinds})${t.compileMs ? `; compiling the widget's files ${t.compileMs.toFixed(1)} ms` : ''}; sampled: ${(t.functions || []).map(([f, n]) => `${f} ${n}`).join('; ')}`;
    })
    .join('');
}

// The summary: per path, rate and variant.
const f = (x) => (x == null ? '-' : x.toFixed(0));
console.log(`\nMain-thread work, ${pagesPerPath} page(s) per path${args.trace ? ' (TRACED: tracing slows the page, compare within this run only)' : ''}; load average ${load.start.map((x) => x.toFixed(2)).join(' ')} at the start, ${load.end.map((x) => x.toFixed(2)).join(' ')} at the end (2 cores)\n`);
console.log("| Path | CPU | Variant | Path taken | Longest task, median (max) | TBT, median (max) | Long tasks per page, median (max) | Pages with a long task | Tasks not the widget's (parse, bench scroll) | Counted whole, as before: longest, TBT, pages with one | Fixed loop, median | Load during |");
console.log('| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const summaries = [];
for (const path of wanted) {
  for (const rate of rates) {
    for (const v of variants) {
      const pages = results.filter((r) => r.path === path && r.rate === rate && r.variant === v.name);
      const s = summarize(pages);
      summaries.push({ path, rate, variant: v.name, ...s });
      const loads = pages.map((p) => p.load);
      console.log(`| ${path} | ${rate}× | ${v.name} | ${s.took.join(', ')} | ${f(s.longest.median)} ms (${f(s.longest.max)}) | ${f(s.tbt.median)} ms (${f(s.tbt.max)}) | ${s.longTasks.median} (${s.longTasks.max}) | ${s.pagesWithLongTask} of ${s.pages} | ${s.benchTasks} | ${f(s.withBench.longest.median)} (${f(s.withBench.longest.max)}) ms, ${f(s.withBench.tbt.median)} (${f(s.withBench.tbt.max)}) ms, ${s.withBench.pagesWithLongTask} of ${s.pages} | ${s.loopMs.toFixed(1)} ms | ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} |`);
    }
  }
}
if (args.trace) {
  console.log("\nThe widget's long tasks, thread CPU time by kind of work (ms, summed over the tasks), and sampled functions (share of samples); the first frame with the box, long or not:\n");
  for (const s of summaries) {
    const pages = results.filter((r) => r.path === s.path && r.rate === s.rate && r.variant === s.variant);
    const tasks = pages.flatMap((r) => r.breakdown || []).filter((t) => t.kinds);
    const kinds = {};
    const fns = new Map();
    let samples = 0;
    for (const t of tasks) {
      for (const [k, ms] of Object.entries(t.cpuKinds)) kinds[k] = (kinds[k] || 0) + ms;
      for (const [name, n] of t.functions) fns.set(name, (fns.get(name) || 0) + n);
      samples += t.samples;
    }
    const wall = tasks.reduce((a, t) => a + t.wallMs, 0);
    const cpu = tasks.reduce((a, t) => a + t.cpuMs, 0);
    console.log(`- ${s.path} ${s.rate}× ${s.variant}: ${tasks.length} long task(s), wall ${wall.toFixed(0)} ms, thread CPU ${cpu.toFixed(0)} ms${tasks.length ? ` (median task ${median(tasks.map((t) => t.cpuMs)).toFixed(1)} ms); ` : '; '}${Object.entries(kinds).sort((a, b) => b[1] - a[1]).filter(([, ms]) => ms >= 0.5).map(([k, ms]) => `${k} ${ms.toFixed(1)}`).join(', ')}`);
    const owners = {};
    for (const t of tasks) (owners[t.owner] ||= []).push(t);
    if (tasks.length) console.log(`  by whose work: ${Object.entries(owners).map(([o, ts]) => `${o}: ${ts.length} (longest ${Math.max(...ts.map((t) => t.apiMs)).toFixed(0)} ms, thread CPU ${Math.max(...ts.map((t) => t.cpuMs)).toFixed(1)} ms)`).join('; ')}`);
    if (tasks.length) console.log(`  the widget's own script in one long task, at most: ${Math.max(...tasks.map((t) => t.widgetCpuMs || 0)).toFixed(1)} ms of thread CPU (its share of the samples)`);
    if (samples) console.log(`  sampled: ${[...fns].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([n, c]) => `${n} ${((100 * c) / samples).toFixed(0)}%`).join('; ')}`);
    const benchTasks = pages.flatMap((r) => r.benchBreakdown || []).filter((t) => t.kinds);
    if (benchTasks.length) console.log(`  not the widget's once the page's parsing and the bench's scroll are taken off: ${benchTasks.length} task(s), by whose work: ${[...new Set(benchTasks.map((t) => t.owner))].map((o) => `${o}: ${benchTasks.filter((t) => t.owner === o).length}`).join('; ')}; the widget's own script in one, at most: ${Math.max(...benchTasks.map((t) => t.widgetCpuMs || 0)).toFixed(1)} ms of thread CPU, compiling its files ${Math.max(...benchTasks.map((t) => t.compileMs || 0)).toFixed(1)} ms`);
    const boxes = pages.filter((r) => r.boxFrame);
    const cpuOf = (b, ks) => ks.reduce((a, k) => a + (b.boxFrame.cpuKinds[k] || 0), 0);
    const med = (f) => median(boxes.map(f)).toFixed(1);
    const befores = pages.filter((r) => r.lastLayoutBefore);
    const medBefore = (f) => median(befores.map(f)).toFixed(1);
    if (befores.length) console.log(`  the last task with a layout before the box's event (${befores.length} pages, medians; max): wall ${medBefore((b) => b.lastLayoutBefore.wallMs)} ms (${Math.max(...befores.map((b) => b.lastLayoutBefore.wallMs)).toFixed(1)}), thread CPU ${medBefore((b) => b.lastLayoutBefore.cpuMs)} ms (${Math.max(...befores.map((b) => b.lastLayoutBefore.cpuMs)).toFixed(1)}), layout ${medBefore((b) => b.lastLayoutBefore.cpuKinds.layout || 0)}, script ${medBefore((b) => b.lastLayoutBefore.cpuKinds.script || 0)}; whose: ${[...new Set(befores.map((b) => b.lastLayoutBefore.owner))].join(', ')}`);
    if (boxes.length) console.log(`  the first frame with the box (${boxes.length} pages, medians): wall ${med((b) => b.boxFrame.wallMs)} ms, thread CPU ${med((b) => b.boxFrame.cpuMs)} ms (layout ${med((b) => cpuOf(b, ['layout']))}, style ${med((b) => cpuOf(b, ['style']))}, paint ${med((b) => cpuOf(b, ['paint']))}, image ${med((b) => cpuOf(b, ['image']))})`);
  }
}
if (args.json) {
  mkdirSync(dirname(resolve(args.json)), { recursive: true });
  writeFileSync(resolve(args.json), JSON.stringify({ load, variants, pages: pagesPerPath, rates, traced: args.trace, summaries, results }, null, 1));
}
