#!/usr/bin/env node
// How well alike reads article pages: token-shingle F1, precision, recall
// and empty pages of the CLI's reader (`alike inspect --json`), the widget's
// (`readArticle()` in Chromium with the real wasm, page scripts off), and the
// anchors where they run here: Readability.js (with jsdom) and trafilatura.
//
//   node bench/reader.mjs                  the committed fixtures
//                                          (tests/fixtures/pages), CLI and
//                                          widget only: what CI can run
//   node bench/reader.mjs --devset DIR     a development set: one folder a page,
//                                          each with source.html and
//                                          expected.html or expected.txt (as
//                                          bench/reader-devset.sh prepares
//                                          Readability's test pages)
//   --readers cli,widget,readability,trafilatura   which readers (default: all
//                                          four with --devset, else cli,widget)
//   --python PATH                          a Python with trafilatura (default
//                                          bench/.venv-reader/bin/python,
//                                          installed when missing)
//   --out FILE                             per-page results as JSON
//   --report FILE                          write the figures into the "Reading
//                                          article pages" section of FILE
//                                          (BENCHMARKS.md)
//   --devset-name TEXT                     how the report names the set
//   --show NAME                            print each reader's text of one page
//   --reuse FILE                           take the readers FILE (an --out of
//                                          an earlier run on the same pages)
//                                          has and --readers does not name:
//                                          the anchors, which alike's changes
//                                          do not move, need not run again
//                                          (pages FILE lacks are read now)
//
// Needs the release CLI (cargo build --release) and the widget
// (bash scripts/build-wasm.sh).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { fileURLToPath } from 'node:url';

import { htmlText, score, tokens } from './lib/reader-score.mjs';
import { withWasmAllowed } from './lib/site-csp.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const devset = option('--devset');
const dir = resolve(process.env.BENCH_CWD || process.cwd(), devset || join(ROOT, 'tests/fixtures/pages'));
const readers = option('--readers', devset ? 'cli,widget,readability,trafilatura' : 'cli,widget').split(',');
const show = option('--show');

// A page is a folder with source.html; a development set is either such
// folders or folders of them, one a source (each scored on its own too).
const pagesIn = (folder) =>
  readdirSync(folder)
    .filter((name) => existsSync(join(folder, name, 'source.html')))
    .sort();
const sourceNames = pagesIn(dir).length ? [''] : readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory() && pagesIn(join(dir, name)).length).sort();
const pages = sourceNames.flatMap((source) => pagesIn(join(dir, source)).map((name) => (source ? `${source}/${name}` : name)));
const sourceOf = (page) => (page.includes('/') ? page.slice(0, page.indexOf('/')) : '');

/**
 * Whether the page's first 1024 bytes declare a charset as the HTML
 * prescan reads them (src/input/charset.rs): a <meta charset>, or a
 * charset= in the content of a <meta http-equiv="content-type">; a
 * <meta name="Content-Type"> declares nothing.
 */
function declaresCharset(body) {
  for (const [tag] of body.subarray(0, 1024).toString('latin1').matchAll(/<meta\b[^>]*>/gi)) {
    const attributes = new Map();
    for (const [, name, value = ''] of tag.slice(5).matchAll(/([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?/g)) {
      if (!attributes.has(name.toLowerCase())) attributes.set(name.toLowerCase(), value.replace(/^["']|["']$/g, ''));
    }
    if (attributes.has('charset')) return true;
    if (/^\s*content-type\s*$/i.test(attributes.get('http-equiv') || '') && /charset\s*=/i.test(attributes.get('content') || '')) return true;
  }
  return false;
}

// The readers ----------------------------------------------------------------

function cliTexts(pages) {
  const bin = process.env.ALIKE_BIN || join(ROOT, 'target/release/alike');
  const texts = {};
  // A few pages a run keeps the command line short.
  for (let i = 0; i < pages.length; i += 40) {
    const batch = pages.slice(i, i + 40);
    const run = spawnSync(bin, ['inspect', '--json', ...batch.map((p) => join(dir, p, 'source.html'))], { encoding: 'utf8', maxBuffer: 1 << 28 });
    for (const line of run.stdout.split('\n').filter(Boolean)) {
      const page = JSON.parse(line);
      texts[batch.find((p) => join(dir, p, 'source.html') === page.page)] = page.text;
    }
  }
  return texts;
}

// Pages the widget's no-article guard skips without fetching (www/alike.js cannotHoldArticle).
const guardedPages = [];

async function widgetTexts(pages) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const texts = {};
  try {
    const context = await browser.newContext();
    // https, so that a page's `upgrade-insecure-requests` leaves the widget's URLs as they are.
    const origin = 'https://reader.test';
    const dist = join(ROOT, 'www/dist');
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== origin) return route.abort();
      const [, first, name] = url.pathname.split('/');
      if (first === 'alike') {
        const path = join(dist, url.pathname.slice('/alike/'.length));
        const type = path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
        return existsSync(path) ? route.fulfill({ body: readFileSync(path), contentType: type }) : route.abort();
      }
      if (first === 'p' && pages.includes(decodeURIComponent(name)) && url.pathname.endsWith('/')) {
        // Its own meta CSP as the site would have it with alike installed.
        const body = withWasmAllowed(readFileSync(join(dir, decodeURIComponent(name), 'source.html')));
        return route.fulfill({
          body,
          // The saved pages lost their server's charset. As the CLI reads a
          // file: its own <meta charset> decides; without one, a page that is
          // valid UTF-8 is UTF-8 (a browser would guess windows-1252).
          contentType: !declaresCharset(body) && isUtf8(body) ? 'text/html; charset=utf-8' : 'text/html',
          // Page scripts off: only the widget's own files run.
          headers: { 'content-security-policy': `script-src ${origin}/alike/ 'wasm-unsafe-eval'` },
        });
      }
      return route.abort();
    });
    for (const name of pages) {
      const page = await context.newPage();
      try {
        await page.goto(`${origin}/p/${encodeURIComponent(name)}/`, { waitUntil: 'domcontentloaded' });
        const [text, guarded] = await page.evaluate(async (src) => {
          const alike = await import(src);
          // The guard of a page with no article answers before any fetch;
          // past it, the index here is missing and the answer is 'index'.
          const guard = await alike.recommend(null, { index: '/no-index.json' }).catch((error) => error.reason);
          try {
            return [(await alike.readArticle()).article.body, guard === 'no-article'];
          } catch (error) {
            return [error.reason === 'no-article' ? '' : `ERROR ${error.message}`, guard === 'no-article'];
          }
        }, `${origin}/alike/alike.js`);
        texts[name] = text;
        if (guarded) {
          guardedPages.push(name);
          console.error(`widget: ${name}: the no-article guard skips it`);
        }
        if (texts[name].startsWith('ERROR ')) {
          console.error(`widget: ${name}: ${texts[name].slice(6)}`);
          texts[name] = '';
        }
      } catch (error) {
        texts[name] = '';
        console.error(`widget: ${name}: ${error.message}`);
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return texts;
}

async function readabilityTexts(pages) {
  const { JSDOM } = await import('jsdom');
  const { Readability } = await import('@mozilla/readability');
  const texts = {};
  for (const name of pages) {
    try {
      const dom = new JSDOM(readFileSync(join(dir, name, 'source.html')), { url: `http://fakehost/test/page.html` });
      const article = new Readability(dom.window.document).parse();
      texts[name] = article ? await htmlText(article.content) : '';
    } catch {
      texts[name] = '';
    }
  }
  return texts;
}

function trafilaturaTexts(pages) {
  const python = option('--python', join(ROOT, 'bench/.venv-reader/bin/python'));
  if (!existsSync(python)) {
    console.error('bench: installing trafilatura into bench/.venv-reader');
    execFileSync('python3', ['-m', 'venv', join(ROOT, 'bench/.venv-reader')]);
    execFileSync(join(ROOT, 'bench/.venv-reader/bin/pip'), ['install', '-q', 'trafilatura', 'lxml_html_clean'], { stdio: 'inherit' });
  }
  const script = `
import json, sys, trafilatura
out = {}
for name, path in json.load(sys.stdin):
    with open(path, 'rb') as f:
        out[name] = trafilatura.extract(f.read()) or ''
json.dump({'version': trafilatura.__version__, 'texts': out}, sys.stdout)
`;
  const input = JSON.stringify(pages.map((p) => [p, join(dir, p, 'source.html')]));
  const run = spawnSync(python, ['-c', script], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status) throw Error(`trafilatura failed: ${run.stderr}`);
  const { version, texts } = JSON.parse(run.stdout);
  trafilaturaVersion = version;
  return texts;
}
let trafilaturaVersion = '';

// The run ----------------------------------------------------------------------

const expected = {};
for (const name of pages) {
  const txt = join(dir, name, 'expected.txt');
  expected[name] = existsSync(txt) ? readFileSync(txt, 'utf8') : await htmlText(readFileSync(join(dir, name, 'expected.html'), 'utf8'));
}

/** Mean F1, precision and recall of scored pages, and how many are empty. */
function summary(per) {
  const mean = (key) => per.reduce((s, r) => s + r[key], 0) / per.length;
  return { f1: mean('f1'), precision: mean('precision'), recall: mean('recall'), empty: per.filter((r) => r.empty).length, pages: per.length };
}

const run = { cli: cliTexts, widget: widgetTexts, readability: readabilityTexts, trafilatura: trafilaturaTexts };
const results = {};
const reuse = option('--reuse');
const reused = [];
if (reuse) {
  const earlier = JSON.parse(readFileSync(reuse, 'utf8'));
  for (const [reader, result] of Object.entries(earlier.results)) {
    if (readers.includes(reader) || !run[reader]) continue;
    // Pages the earlier run did not read (a source added since) are read
    // now; those it read and this set no longer has are passed over.
    const earlierTexts = Object.fromEntries(result.pages.map(({ name, text }) => [name, text]));
    const missing = pages.filter((name) => !(name in earlierTexts));
    if (missing.length) {
      console.error(`--reuse: ${reader} reads the ${missing.length} pages ${reuse} lacks`);
      Object.assign(earlierTexts, await run[reader](missing));
    }
    // Scored again: the expected texts may have changed since.
    const per = pages.map((name) => ({ name, ...score(earlierTexts[name] || '', expected[name]), text: earlierTexts[name] || '' }));
    results[reader] = { ...summary(per), pages: per };
    if (result.guarded) results[reader].guarded = result.guarded.filter((name) => pages.includes(name));
    if (sourceNames.length > 1) results[reader].sources = Object.fromEntries(sourceNames.map((source) => [source, summary(per.filter((r) => sourceOf(r.name) === source))]));
    if (reader === 'trafilatura') trafilaturaVersion = earlier.trafilaturaVersion || '';
    readers.push(reader);
    reused.push(reader);
  }
}
for (const reader of readers) {
  if (results[reader]) continue; // reused
  const started = Date.now();
  const texts = await run[reader](pages);
  const per = pages.map((name) => ({ name, ...score(texts[name] || '', expected[name]), text: texts[name] || '' }));
  results[reader] = { ...summary(per), pages: per, seconds: (Date.now() - started) / 1000 };
  if (reader === 'widget') results.widget.guarded = guardedPages;
  if (sourceNames.length > 1) results[reader].sources = Object.fromEntries(sourceNames.map((source) => [source, summary(per.filter((r) => sourceOf(r.name) === source))]));
  console.error(`${reader}: F1 ${results[reader].f1.toFixed(3)} P ${results[reader].precision.toFixed(3)} R ${results[reader].recall.toFixed(3)} empty ${results[reader].empty}/${pages.length}`);
  for (const [source, s] of Object.entries(results[reader].sources || {})) console.error(`  ${source}: F1 ${s.f1.toFixed(3)} P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)} empty ${s.empty}/${s.pages}`);
}

// Agreement of the two runtimes: F1 of one's text against the other's, and pages token-identical.
if (results.cli && results.widget) {
  const pairs = pages.map((name, i) => [results.cli.pages[i].text, results.widget.pages[i].text]);
  const same = pairs.filter(([a, b]) => tokens(a).join(' ') === tokens(b).join(' ')).length;
  const f1 = pairs.reduce((s, [a, b]) => s + (a || b ? score(a, b).f1 : 1), 0) / pairs.length;
  results.agreement = { f1, same };
  console.error(`cli vs widget: mean F1 ${f1.toFixed(3)}, ${same}/${pages.length} token-identical`);
}

if (show) {
  for (const reader of readers) {
    const page = results[reader].pages.find((p) => p.name === show);
    console.log(`--- ${reader} F1 ${page.f1.toFixed(3)} P ${page.precision.toFixed(3)} R ${page.recall.toFixed(3)}\n${page.text}\n`);
  }
  console.log(`--- expected\n${expected[show]}`);
}

const outFile = option('--out');
if (outFile) writeFileSync(outFile, JSON.stringify({ dir, pages: pages.length, trafilaturaVersion, results }, null, 1));

const reportFile = option('--report');
if (reportFile) {
  const { readerSection, replaceReaderSection } = await import('./lib/reader-report.mjs');
  const commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const readabilityVersion = JSON.parse(readFileSync(join(ROOT, 'bench/node_modules/@mozilla/readability/package.json'), 'utf8')).version;
  const what = option('--devset-name', devset ? `the development set in ${devset}` : 'the committed fixtures (tests/fixtures/pages)');
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const section = readerSection({ dir: what, pages: pages.length, results, trafilaturaVersion, readabilityVersion, commit, date, reused });
  writeFileSync(reportFile, replaceReaderSection(readFileSync(reportFile, 'utf8'), section));
}

// A worst-first list helps tuning.
for (const reader of readers) {
  const worst = [...results[reader].pages].sort((a, b) => a.f1 - b.f1).slice(0, 8);
  console.error(`${reader} worst: ${worst.map((p) => `${p.name} ${p.f1.toFixed(2)}`).join(', ')}`);
}
