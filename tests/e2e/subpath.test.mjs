// A site served under a path, as GitHub Pages serves a project site
// (https://user.github.io/blog/): its generator writes every link with the
// path (Hugo's relURL, Jekyll's relative_url), and its pages name no
// canonical URL. `alike index` run on the built folder as the README says
// must index the pages at the URLs readers see them at (field12, defect 1:
// the box linked to /2005/story/ for /blog/2005/story/, every link a 404,
// and no page found its own stored list). In Chromium:
//   (a) an indexed page's box comes from its stored list (no engine), and
//       every link in it opens a page of the site;
//   (b) a page published after the build gets a box from the engine, of
//       links that open, without itself.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { alikeMessages, articles, CLI, open, settle, start } from './helpers.mjs';

const PATH = '/blog';
// Two stories of each section, and one more published after the build.
const SECTIONS = ['business', 'sport', 'tech', 'politics', 'entertainment'];
const STORIES = SECTIONS.flatMap((section) => articles.filter((a) => a.section === section).slice(0, 2));
const LATE = articles.find((a) => a.section === 'business' && !STORIES.includes(a));
/** Whether the page downloaded the engine (the wasm), which the stored lists never do. */
const engineRan = (log) => log.requests.some((u) => new URL(u).pathname === `${PATH}/alike/pkg/alike_bg.wasm`);
const slug = (a) => a.url.replace(/^\//, '').replace(/\.html$/, '');

function page(title, main) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | Blog</title>
<link rel="stylesheet" href="${PATH}/css/site.css"></head><body>
<header><a href="${PATH}/">Blog</a> <a href="${PATH}/about/">About</a></header>
<main>${main}</main>
<script type="module" src="${PATH}/alike/alike.js" data-index="${PATH}/alike/index.json"></script>
</body></html>`;
}

function write(root, a) {
  const body = a.body.split(/\n\s*\n/).map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`).join('\n');
  const dir = join(root, PATH, slug(a));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), page(a.title, `<article><h1>${a.title}</h1><time datetime="${a.date}">${a.date}</time>\n${body}</article>`));
}

let dir;
let env;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alike-subpath-'));
  const served = join(dir, 'served');
  const site = join(served, PATH);
  for (const a of STORIES) write(served, a);
  const list = STORIES.map((a) => `<li><a href="${PATH}/${slug(a)}/">${a.title}</a></li>`).join('');
  writeFileSync(join(site, 'index.html'), page('Home', `<h1>Blog</h1><ul>${list}</ul>`));
  mkdirSync(join(site, 'css'));
  writeFileSync(join(site, 'css/site.css'), 'body { font-family: serif }');
  // The host's root, another site's.
  writeFileSync(join(served, 'index.html'), '<!doctype html><title>user.github.io</title>');
  execFileSync(CLI, ['index', site, '--out', join(site, 'alike/index.json'), '--quiet'], { stdio: 'pipe' });
  write(served, LATE);
  env = await start({ root: served, widget: join(site, 'alike/alike.js') });
});

after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function boxLinks(log) {
  const state = await settle(log.page);
  assert.equal(state.errors.length, 0, JSON.stringify(state.errors));
  assert.deepEqual(alikeMessages(log), []);
  return log.page.evaluate(() => [...document.querySelector('alike-related').shadowRoot.querySelectorAll('a')].map((a) => a.href));
}

async function assertAllOpen(links) {
  assert.ok(links.length > 0);
  for (const link of links) {
    assert.ok(new URL(link).pathname.startsWith(`${PATH}/`), link);
    const response = await fetch(link);
    assert.equal(response.status, 200, link);
  }
}

test('an indexed page of a site under a path gets its stored list, of links that open', async () => {
  const own = `${PATH}/${slug(STORIES[0])}/`;
  const log = await open(env, own);
  const links = await boxLinks(log);
  assert.equal(engineRan(log), false, 'the stored list answers, without the engine');
  await assertAllOpen(links);
  assert.ok(!links.some((link) => new URL(link).pathname === own), 'not itself');
  await log.page.close();
});

test('a page published after the build gets the engine\'s box, of links that open, without itself', async () => {
  const own = `${PATH}/${slug(LATE)}/`;
  const log = await open(env, own);
  const links = await boxLinks(log);
  assert.equal(engineRan(log), true);
  await assertAllOpen(links);
  assert.ok(!links.some((link) => new URL(link).pathname === own), 'not itself');
  await log.page.close();
});
