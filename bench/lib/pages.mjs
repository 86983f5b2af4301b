// The first box on article pages of the synthetic archives: a small site
// whose pages are the demo's article pages (www/demo/templates.mjs, script
// tag and all) for a sample of an archive's articles, each pointing at the
// archive's whole index, single file or clusters. A million pages are never
// written: only the sampled ones, which is all a reader's first box sees.

import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { byGroup, firstBox, widgetTotals } from './browser.mjs';
import { tookPath } from './internals.mjs';
import { prng } from './util.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const templates = () => import(pathToFileURL(join(ROOT, 'www/demo/templates.mjs')).href);

const write = (path, text) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

/** The script tag a site owner writes, with the index this page set uses. */
export const scriptTag = (indexUrl) => `<script type="module" src="/alike/alike.js" data-index="${indexUrl}"></script>`;

/**
 * The parts every page set shares, under `root`: the widget as a site copies
 * it (`/alike/alike.js`, `/alike/pkg/`), the demo's stylesheet, a favicon and
 * a lead picture per section.
 */
export async function writeSiteParts(root, { shim, pkg, sections }) {
  const { sectionImage } = await templates();
  mkdirSync(join(root, 'alike/pkg'), { recursive: true });
  copyFileSync(shim, join(root, 'alike/alike.js'));
  // The shim's second file, which it imports where the engine runs.
  copyFileSync(join(dirname(shim), 'engine-path.js'), join(root, 'alike/engine-path.js'));
  for (const file of ['alike.js', 'alike_bg.wasm']) copyFileSync(join(pkg, file), join(root, 'alike/pkg', file));
  copyFileSync(join(ROOT, 'www/demo/style.css'), join(root, 'style.css'));
  write(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#a4161a"/></svg>\n');
  sections.forEach((s, i) => write(join(root, 'img', `${s}.svg`), sectionImage(s, (i * 360) / sections.length + 10)));
}

/**
 * Article pages for `articles` (`{url, title, body, label}`) under
 * `root/prefix`, each at its article's own URL below the prefix, loading the
 * index at `indexUrl`. `indexed` (the default): the canonical URL is the
 * article's, as the index knows it, so the shim finds its related list.
 * `indexed: false`: the canonical URL is the page's own path, which the
 * index does not hold (an article published after the last build), so the
 * list lookup misses and the engine ranks the page's text. Sections are the
 * labels; dates are seeded. Returns the pages' paths on the server.
 */
export async function writePages(root, prefix, articles, { indexUrl, sections, seed = 6, indexed = true }) {
  const { articlePage } = await templates();
  const random = prng(seed);
  const dated = articles.map((a) => ({ ...a, section: a.label, date: new Date(Date.UTC(2004, 0, 1) + Math.floor(random() * 731) * 86400000).toISOString().slice(0, 10), image: `/img/${a.label}.svg` }));
  return dated.map((article, i) => {
    // The link blocks point at the other sampled pages, as a newsroom's point at its neighbours.
    const related = [1, 2, 3, 4].map((n) => dated[(i + n) % dated.length]);
    const comment = `Off topic, but: ${dated[(i + 5) % dated.length].body.split(/(?<=\.)\s/)[0]}`;
    const path = `${prefix}${article.url}`;
    write(join(root, path), articlePage({ article, sections, related, comment, script: scriptTag(indexUrl), canonical: indexed ? article.url : path }));
    return path;
  });
}

/**
 * The first box on each of `pages`, each in a fresh browser context (cold
 * cache). Per page: everything Chromium transferred before `alike:render`
 * (body as sent plus headers, and body alone), grouped into the page itself
 * and the widget's parts (`lists`: related-list files, `l/`; `shards`: the
 * index's other files), the time from the index's first request to the
 * event, and the path the box took (`list` or `engine`, from whether the
 * glue or the wasm was fetched). A page on which the widget finds nothing
 * to show (`no-results`: no article clears the minimum score, and the box
 * stays hidden, as it should) has no first box to measure: it is left out
 * and given to `onEmpty`; any other give-up is an error.
 */
export async function measurePages(browser, server, pages, { indexUrl, rttMs = 0, onEmpty = () => {} }) {
  const indexDir = indexUrl.slice(0, indexUrl.lastIndexOf('/') + 1);
  const escape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const groups = {
    shim: /^\/alike\/(alike|engine-path)\.js$/,
    glue: /^\/alike\/pkg\/alike\.js$/,
    wasm: /^\/alike\/pkg\/alike_bg\.wasm$/,
    index: new RegExp(`^${escape(indexUrl)}$`),
    // Before `shards`: the first group that matches takes a request.
    lists: new RegExp(`^${escape(indexDir)}l/`),
    shards: new RegExp(`^${escape(indexDir)}`),
  };
  const out = [];
  for (const path of pages) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ignoreHTTPSErrors: true });
    try {
      const first = await firstBox(context, server.url + path, { index: server.url + indexUrl, rttMs, server }).catch((e) => {
        if (e.detail?.reason !== 'no-results') throw e;
        onEmpty(path);
        return null;
      });
      if (!first) continue;
      if (first.indexStartMs == null) throw new Error(`${path}: no request for ${indexUrl} before the box`);
      const g = byGroup(first.requests, groups);
      out.push({
        path,
        renderMs: first.renderMs,
        fromIndexMs: first.renderMs - first.indexStartMs,
        protocol: first.protocol,
        took: tookPath(g),
        ...widgetTotals(g),
        pageRequests: g.other.requests,
        pageBytes: g.other.bytes,
        groups: g,
      });
    } finally {
      await context.close();
    }
  }
  return out;
}
