#!/usr/bin/env node
// Builds the demo news site: an index with the real `alike` CLI, the widget
// files laid out as a site owner copies them, and one static page per
// article at its own URL.
//
//   node www/demo/build.mjs [--articles FILE] [--out DIR] [--cli FILE] [--pkg DIR]
//                           [--layout auto|single|clusters] [--related-lists N] [--cluster-size N]
//                           [--cells N]
//
// --pkg defaults to $ALIKE_PKG, else pkg/ at the repository root. --layout is
// passed to `alike index` (default: its own, auto, which gives the sample
// clusters with stored lists: alike/index.json is their manifest, with the
// engine file beside it and c/ and l/; the default build also writes the
// same site as one file into www/demo/site-single, for the end-to-end
// suites that compare the engine with `alike query`); --related-lists,
// passed on too, sets how long the related lists in l/ are (0 writes none).
// Needs the CLI (`cargo build --release`), the wasm package and the minified
// shim (`bash scripts/build-wasm.sh`) built first.

import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { ARABIC, articlePage, homePage, sectionImage, STRICT_CSP } from './templates.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const MARKER = '.alike-demo';
const LAYOUTS = ['auto', 'single', 'clusters'];
/** The shim as sites serve it: www/alike.js minified by scripts/build-wasm.sh, with its engine path's file beside it. */
const SHIM = join(ROOT, 'www/min/alike.js');
const SHIM_ENGINE_PATH = join(ROOT, 'www/min/engine-path.js');

/** The widget's tag as a site owner writes it. */
export const SCRIPT = '<script type="module" src="/alike/alike.js" data-index="/alike/index.json"></script>';

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

function options() {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: join(ROOT, 'data/bbc-sample/articles.jsonl') },
      out: { type: 'string', default: join(ROOT, 'www/demo/site') },
      cli: { type: 'string', default: join(ROOT, 'target/release/alike') },
      pkg: { type: 'string', default: process.env.ALIKE_PKG || join(ROOT, 'pkg') },
      layout: { type: 'string' },
      'related-lists': { type: 'string' },
      'cluster-size': { type: 'string' },
      cells: { type: 'string' },
    },
  });
  if (values.layout !== undefined && !LAYOUTS.includes(values.layout)) fail(`--layout must be one of ${LAYOUTS.join(', ')}, not "${values.layout}"`);
  for (const [what, path, hint] of [
    ['articles', values.articles, 'pass --articles FILE'],
    ['alike CLI', values.cli, 'run `cargo build --release` first'],
    ['engine', join(values.pkg, 'alike.js'), 'run `wasm-pack build --target web --profile wasm --out-dir pkg` first'],
    ['engine', join(values.pkg, 'alike_bg.wasm'), 'run `wasm-pack build --target web --profile wasm --out-dir pkg` first'],
    ['minified shim', SHIM, 'run `bash scripts/build-wasm.sh` first'],
  ]) {
    if (!existsSync(path)) fail(`no ${what} at ${path}; ${hint}`);
  }
  return values;
}

function write(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/**
 * Loads the engine in Node and asks it one question (reading the files the
 * cluster layout asks for from disk, as the widget fetches them), so that a
 * package that cannot work (a stale build, or one broken by an old
 * wasm-opt) fails here with a message rather than in the browser with a
 * hidden box.
 */
async function checkEngine(pkg, indexFile, article) {
  try {
    const glue = await import(pathToFileURL(join(pkg, 'alike.js')).href);
    glue.initSync({ module: readFileSync(join(pkg, 'alike_bg.wasm')) });
    const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
    let file = read(indexFile);
    // The cluster layout's manifest names the engine file the engine loads.
    if (file.version === 2 && file.layout === 'clusters') file = read(join(dirname(indexFile), file.engine));
    const engine = new glue.Engine(file);
    const query = [{ url: article.url, title: article.title, body: article.body }, { k: 1 }];
    // A single file answers the first step; the cluster layout names files.
    let step = engine.start(...query);
    while (step.need) {
      for (const path of step.need) engine.add(path, read(join(dirname(indexFile), path)));
      step = engine.resume();
    }
    const related = step.related;
    if (!Array.isArray(related) || related.length !== 1) throw new Error(`asked for 1 related article, got ${JSON.stringify(related)}`);
  } catch (error) {
    const hint = /Table/.test(error.message)
      ? ' (a WebAssembly.Table error means wasm-opt broke the module: binaryen 108, as in Debian 12, does; build with `wasm-pack build ... --no-opt` or a newer wasm-opt)'
      : ' (rebuild pkg/ from the same sources as the CLI)';
    fail(`the engine in ${pkg} does not work with this index: ${error.message}${hint}`);
  }
}

export async function build({ articles: articlesFile, out, cli, pkg, layout, 'related-lists': lists, 'cluster-size': clusterSize, cells }) {
  out = resolve(out);
  if (existsSync(out)) {
    if (!existsSync(join(out, MARKER))) fail(`${out} exists and is not a demo site this script built; remove it or pick another --out`);
    rmSync(out, { recursive: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, MARKER), 'built by www/demo/build.mjs; removed and rebuilt on every build\n');

  const articles = readFileSync(articlesFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
  // The pages group articles by section and date them; articles without
  // either take the first segment of their URL and a fixed date.
  for (const a of articles) {
    a.section ||= a.url.split('/').filter(Boolean)[0]?.replace(/\.html?$/, '') || 'news';
    a.date ||= '2005-01-01';
  }
  const sections = [...new Set(articles.map((a) => a.section))].sort();
  // A lead picture per section, so that the index has images for the box.
  articles.forEach((a) => (a.image = `/img/${a.section}.svg`));
  sections.forEach((s, i) => write(join(out, 'img', `${s}.svg`), sectionImage(s, (i * 360) / sections.length + 10)));

  // The index, by the real CLI, from the articles with their pictures.
  const scratch = mkdtempSync(join(tmpdir(), 'alike-demo-'));
  try {
    const input = join(scratch, 'articles.jsonl');
    writeFileSync(input, articles.map((a) => JSON.stringify(a)).join('\n') + '\n');
    mkdirSync(join(out, 'alike'), { recursive: true });
    const flags = [...(layout ? ['--layout', layout] : []), ...(lists ? ['--related-lists', lists] : []), ...(clusterSize ? ['--cluster-size', clusterSize] : []), ...(cells ? ['--cells', cells] : [])];
    execFileSync(cli, ['index', input, '--out', join(out, 'alike/index.json'), '--snippet-chars', '160', ...flags], { stdio: 'inherit' });
    // The CLI writes through a private temporary file; a web server needs to read it.
    chmodSync(join(out, 'alike/index.json'), 0o644);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  // The widget, laid out as a site copies it: alike.js with pkg/ beside it.
  await checkEngine(pkg, join(out, 'alike/index.json'), articles[0]);
  copyFileSync(SHIM, join(out, 'alike/alike.js'));
  copyFileSync(SHIM_ENGINE_PATH, join(out, 'alike/engine-path.js'));
  mkdirSync(join(out, 'alike/pkg'), { recursive: true });
  for (const file of ['alike.js', 'alike_bg.wasm']) copyFileSync(join(pkg, file), join(out, 'alike/pkg', file));
  copyFileSync(join(HERE, 'style.css'), join(out, 'style.css'));
  write(join(out, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#a4161a"/></svg>\n');

  const bySection = Object.fromEntries(sections.map((s) => [s, articles.filter((a) => a.section === s)]));
  for (const s of sections) bySection[s].sort((a, b) => b.date.localeCompare(a.date) || a.url.localeCompare(b.url));
  const page = (article, extra = {}) => {
    const mates = bySection[article.section];
    const at = mates.indexOf(article);
    // Link blocks point at neighbours in the section, as a newsroom's would;
    // the comment talks about a story from another section.
    const related = [1, 2, 3, 4].map((n) => mates[(at + n) % mates.length]);
    const other = bySection[sections[(sections.indexOf(article.section) + 1) % sections.length]];
    const comment = `Off topic, but: ${other[at % other.length].body.split(/(?<=\.)\s/)[0]}`;
    return articlePage({ article, sections, related, comment, script: SCRIPT, ...extra });
  };
  for (const article of articles) write(join(out, article.url), page(article));

  // The same story under the strict CSP, and with right-to-left page chrome.
  const first = articles[0];
  write(join(out, 'csp.html'), page(first, { csp: STRICT_CSP }));
  const rtlScript = SCRIPT.replace('></script>', ' data-heading="مقالات ذات صلة" data-layout="cards"></script>');
  write(join(out, 'rtl.html'), page(first, { words: ARABIC, script: rtlScript, placeholder: true }));

  const extras = [
    { url: first.url, label: `An article page: ${first.title}` },
    { url: '/csp.html', label: 'The same article under a strict Content-Security-Policy' },
    { url: '/rtl.html', label: 'The same article in a right-to-left page, with the cards layout' },
  ];
  write(join(out, 'index.html'), homePage({ bySection, sections, extras }));
  console.error(`demo: wrote ${articles.length + 3} pages to ${out}`);
  return { articles, sections };
}

/**
 * The demo built as one file, beside the default site: the end-to-end
 * suites about the widget compare its boxes with `alike query`'s engine,
 * which the default site's stored lists bypass on indexed pages.
 */
export const SINGLE_SITE = join(ROOT, 'www/demo/site-single');

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const values = options();
  await build(values);
  // Built with the default site (and only then), so that one
  // `npm run demo:build` readies every suite.
  if (values.layout === undefined && resolve(values.out) === join(ROOT, 'www/demo/site')) {
    await build({ ...values, out: SINGLE_SITE, layout: 'single' });
  }
}
